package io.touchpoint.jobs.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.connect.proto.AnalyzePlanRequest;
import org.apache.spark.connect.proto.Command;
import org.apache.spark.connect.proto.CommonInlineUserDefinedFunction;
import org.apache.spark.connect.proto.ConfigRequest;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.Expression;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.Project;
import org.apache.spark.connect.proto.Read;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.ScalarScalaUDF;
import org.apache.spark.connect.proto.SqlCommand;
import org.apache.spark.connect.proto.WriteOperation;
import org.junit.jupiter.api.Test;
import org.sparkproject.connect.protobuf.ByteString;

/** The BI endpoint's request filter on hand-built Spark Connect requests (warehouse /w, readable /w/gold). */
class BiRequestInterceptorTest {
  static final BiRequestInterceptor BI = new BiRequestInterceptor(
      new AccessPolicy(AccessRole.BI, URI.create("file:/w/gold"), new Configuration()));

  static ExecutePlanRequest execute(Plan plan) {
    return ExecutePlanRequest.newBuilder().setSessionId("00000000-0000-0000-0000-000000000001").setPlan(plan).build();
  }

  static Relation read(String path) {
    return Relation.newBuilder().setRead(Read.newBuilder().setDataSource(
        Read.DataSource.newBuilder().setFormat("delta").addPaths(path))).build();
  }

  @Test
  void readsByPathAreJudgedBeforeSparkListsTheFolder() {
    assertThat(BI.refusal(execute(Plan.newBuilder().setRoot(read("/w/gold/kpi")).build()))).isNull();
    assertThat(BI.refusal(execute(Plan.newBuilder().setRoot(read("/w/restricted/customer_value")).build())))
        .isEqualTo("read /w/restricted/customer_value");
    assertThat(BI.refusal(execute(Plan.newBuilder().setRoot(read("/w/gold/../silver/orders")).build())))
        .as("no way out of gold by ..").isEqualTo("read /w/gold/../silver/orders");
    AnalyzePlanRequest schema = AnalyzePlanRequest.newBuilder().setSchema(AnalyzePlanRequest.Schema.newBuilder()
        .setPlan(Plan.newBuilder().setRoot(read("/etc")))).build();
    assertThat(BI.refusal(schema)).as("asking for a schema reads the files too").isEqualTo("read /etc");
    Relation jdbc = Relation.newBuilder().setRead(Read.newBuilder().setDataSource(Read.DataSource.newBuilder()
        .setFormat("jdbc").putOptions("url", "jdbc:postgresql://crm.internal/members").putOptions("dbtable", "members"))).build();
    assertThat(BI.refusal(execute(Plan.newBuilder().setRoot(jdbc).build()))).as("Spark would connect while resolving")
        .isEqualTo("read from the source 'jdbc'");
  }

  @Test
  void codeIsRefusedWhereverItIsNested() {
    Expression udf = Expression.newBuilder().setCommonInlineUserDefinedFunction(CommonInlineUserDefinedFunction.newBuilder()
        .setFunctionName("f").setScalarScalaUdf(ScalarScalaUDF.newBuilder().setPayload(ByteString.copyFromUtf8("serialized closure")))).build();
    Relation project = Relation.newBuilder().setProject(Project.newBuilder().setInput(read("/w/gold/kpi")).addExpressions(udf)).build();
    assertThat(BI.refusal(execute(Plan.newBuilder().setRoot(project).build())))
        .startsWith("send code to the server (CommonInlineUserDefinedFunction");
  }

  @Test
  void onlySqlTemporaryViewsAndHousekeepingCommandsPass() {
    Plan sql = Plan.newBuilder().setCommand(Command.newBuilder().setSqlCommand(SqlCommand.newBuilder())).build();
    assertThat(BI.refusal(execute(sql))).as("SQL is judged after analysis").isNull();
    Plan write = Plan.newBuilder().setCommand(Command.newBuilder().setWriteOperation(
        WriteOperation.newBuilder().setInput(read("/w/gold/kpi")).setPath("/w/gold/copy"))).build();
    assertThat(BI.refusal(execute(write))).isEqualTo("run the command WRITE_OPERATION");
    assertThat(BI.refusal(ConfigRequest.getDefaultInstance())).as("not a plan").isNull();
  }

  @Test
  void anAnalystEndpointLetsEverythingThrough() {
    BiRequestInterceptor analyst = new BiRequestInterceptor(
        new AccessPolicy(AccessRole.ANALYST, URI.create("file:/w/gold"), new Configuration()));
    assertThat(analyst.refusal(execute(Plan.newBuilder().setRoot(read("/w/restricted/customer_value")).build()))).isNull();
  }
}
