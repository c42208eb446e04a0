package io.touchpoint.jobs.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.errors.TouchpointException;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import java.net.URI;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.QueryPlanningTracker;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The BI role's plan rule on analysed plans of the shared test session (no server): every way
 * to reach a customer-level table or another file, or to write, is refused; gold reads pass.
 * The same rule runs inside {@code touchpoint serve} (ServeEndToEndTest checks it through a
 * real client). The fixture: gold.kpi and silver.orders, two rows each.
 */
class AccessPolicyTest {
  @TempDir static Path tmp;
  static Warehouse warehouse;
  static AccessPolicy bi;
  static AccessPolicy analyst;
  static String gold;
  static String silver;

  @BeforeAll
  static void warehouse() {
    SparkSession spark = SparkTestSupport.spark();
    warehouse = new Warehouse(spark, tmp.resolve("warehouse").toString());
    spark.sql("SELECT 'repurchase_rate' AS kpi, 0.25 AS value UNION ALL SELECT 'roi', 1.5")
        .write().format("delta").save(warehouse.path("gold", "kpi"));
    spark.sql("SELECT 'o1' AS order_id, 'C0001' AS customer_id UNION ALL SELECT 'o2', 'C0002'")
        .write().format("delta").save(warehouse.path("silver", "orders"));
    warehouse.register();
    gold = warehouse.path("gold", "kpi");
    silver = warehouse.path("silver", "orders");
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    URI readable = ServeCommand.readable(SparkTestSupport.config(tmp.resolve("warehouse"), tmp));
    bi = new AccessPolicy(AccessRole.BI, readable, hadoop);
    analyst = new AccessPolicy(AccessRole.ANALYST, readable, hadoop);
  }

  static LogicalPlan analysed(String sql) throws Exception {
    SparkSession spark = SparkTestSupport.spark();
    LogicalPlan parsed = spark.sessionState().sqlParser().parsePlan(sql);
    return spark.sessionState().analyzer().executeAndCheck(parsed, new QueryPlanningTracker(scala.Option.empty()));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM gold.kpi",
      "SELECT kpi, value FROM gold.kpi WHERE value > (SELECT min(value) FROM gold.kpi)",
      "WITH k AS (SELECT * FROM gold.kpi) SELECT count(*) FROM k",
      "SELECT * FROM delta.`{gold}`",
      "SELECT * FROM gold.kpi VERSION AS OF 0",
      "SELECT * FROM range(3)",
      "SHOW TABLES IN gold",
      "SHOW DATABASES",
      "DESCRIBE TABLE gold.kpi",
      "USE gold",
      "SET spark.sql.shuffle.partitions = 4",
      "EXPLAIN SELECT * FROM gold.kpi",
      "CREATE OR REPLACE TEMPORARY VIEW kpi_view AS SELECT * FROM gold.kpi"})
  void goldReadsAndReadOnlyCommandsPass(String sql) {
    assertThatCode(() -> bi.check(analysed(sql.replace("{gold}", gold)))).as(sql).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM silver.orders",
      "SELECT * FROM delta.`{silver}`",
      "SELECT * FROM parquet.`{silver}`",
      "SELECT * FROM delta.`{gold}/../../silver/orders`",
      "SELECT * FROM text.`/etc/hostname`",
      "SELECT kpi, (SELECT count(*) FROM silver.orders) AS n FROM gold.kpi",
      "SELECT * FROM gold.kpi WHERE EXISTS (SELECT 1 FROM silver.orders)",
      "SELECT kpi FROM gold.kpi UNION ALL SELECT customer_id FROM silver.orders",
      "WITH o AS (SELECT * FROM silver.orders) SELECT count(*) FROM o"})
  void customerLevelAndOtherFilesAreRefusedHoweverNamed(String sql) throws Exception {
    LogicalPlan plan = analysed(sql.replace("{gold}", gold).replace("{silver}", silver));
    assertThatThrownBy(() -> bi.check(plan)).as(sql)
        .isInstanceOf(TouchpointException.class)
        .hasMessageContaining("Cannot read")
        .hasMessageContaining("role bi reads the aggregated gold schema only");
    assertThatCode(() -> analyst.check(plan)).as("analyst: " + sql).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "INSERT INTO gold.kpi VALUES ('x', 1.0)",
      "DELETE FROM gold.kpi WHERE kpi = 'roi'",
      "UPDATE gold.kpi SET value = 0",
      "MERGE INTO gold.kpi t USING gold.kpi s ON t.kpi = s.kpi WHEN MATCHED THEN UPDATE SET *",
      "CREATE TABLE gold.copy USING delta LOCATION '{silver}'",
      "CREATE TABLE gold.copy2 AS SELECT * FROM gold.kpi",
      "CREATE VIEW gold.persisted AS SELECT * FROM gold.kpi",
      "DROP TABLE gold.kpi",
      "CACHE TABLE gold.kpi",
      "DESCRIBE HISTORY gold.kpi",
      "CREATE TEMPORARY VIEW files USING parquet OPTIONS (path '{silver}')"})
  void writesAndCatalogChangesAreRefused(String sql) throws Exception {
    LogicalPlan plan = analysed(sql.replace("{silver}", silver));
    assertThatThrownBy(() -> bi.check(plan)).as(sql)
        .isInstanceOf(TouchpointException.class)
        .hasMessageContaining("(this endpoint is read-only)");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT reflect('java.lang.System', 'getenv', 'HOME')",
      "SELECT java_method('java.lang.System', 'getProperty', 'user.home')"})
  void serverSideCodeIsRefused(String sql) {
    assertThatThrownBy(() -> bi.check(analysed(sql))).as(sql).hasMessageContaining("run code on the server");
  }

  @Test
  void dataFrameReadsAreJudgedByTheFilesTheyRead() {
    SparkSession spark = SparkTestSupport.spark();
    Dataset<Row> goldByPath = spark.read().format("delta").load(gold);
    Dataset<Row> silverByPath = spark.read().format("delta").load(silver);
    Dataset<Row> silverFiles = spark.read().parquet(silver);
    Dataset<Row> tables = spark.sql("SHOW TABLES IN gold").filter("tableName = 'kpi'");
    assertThatCode(() -> bi.check(tables.queryExecution().analyzed())).as("the rows of a SHOW").doesNotThrowAnyException();
    assertThatCode(() -> bi.check(goldByPath.queryExecution().analyzed())).doesNotThrowAnyException();
    assertThat(goldByPath.count()).isEqualTo(2);
    assertThatThrownBy(() -> bi.check(silverByPath.queryExecution().analyzed())).hasMessageContaining("Cannot read orders in ");
    assertThatThrownBy(() -> bi.check(silverFiles.queryExecution().analyzed())).hasMessageContaining("Cannot read orders in ");
  }

  @Test
  void aFunctionIsServerCodeOnlyWhenSparksClassLoaderLoadedIt() throws Exception {
    assertThat(AccessPolicy.serverCode((java.util.function.Function<String, String>) String::trim)).as("a lambda of this JVM").isTrue();
    assertThat(AccessPolicy.serverCode("")).as("a JDK class").isTrue();
    // A client's class: defined by a loader below Spark's, as Spark Connect's artifact loader does.
    Object client = new ClientClassLoader().loadClass(ClientFunction.class.getName()).getConstructor().newInstance();
    assertThat(client.getClass().getName()).isEqualTo(ClientFunction.class.getName());
    assertThat(AccessPolicy.serverCode(client)).as("the same class, from a client's loader").isFalse();
  }

  /** A function class to load twice. */
  public static final class ClientFunction implements java.util.function.Function<String, String> {
    @Override
    public String apply(String s) {
      return s;
    }
  }

  /** Defines {@link ClientFunction} itself (child first) instead of asking its parent. */
  static final class ClientClassLoader extends ClassLoader {
    ClientClassLoader() {
      super(AccessPolicyTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.equals(ClientFunction.class.getName())) {
        return super.loadClass(name, resolve);
      }
      try (var in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
        byte[] bytes = in.readAllBytes();
        return defineClass(name, bytes, 0, bytes.length);
      } catch (java.io.IOException e) {
        throw new ClassNotFoundException(name, e);
      }
    }
  }

  @Test
  void aTemporaryViewIsCheckedWhenItIsRead() {
    SparkSession spark = SparkTestSupport.spark();
    spark.read().format("delta").load(silver).createOrReplaceTempView("orders_view");
    assertThatThrownBy(() -> bi.check(analysed("SELECT * FROM orders_view"))).hasMessageContaining("Cannot read orders in ");
  }
}
