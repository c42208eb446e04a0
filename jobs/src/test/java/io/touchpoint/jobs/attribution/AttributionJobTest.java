package io.touchpoint.jobs.attribution;

import static io.touchpoint.jobs.attribution.AttributionFixtures.RUN_DATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.touchpoint.attribution.AttributionJourneys;
import io.touchpoint.cli.Touchpoint;
import io.touchpoint.errors.TouchpointException;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The attribution job end to end on the hand-built silver fixture ({@link AttributionFixtures}), run twice. */
class AttributionJobTest {
  static final List<String> TABLES = List.of(AttributionJob.BY_CHANNEL, AttributionJob.PATHS, AttributionJob.TRANSITIONS);

  @TempDir static Path tmp;
  static Warehouse warehouse;
  static AttributionJob.Result result;
  static Map<String, List<String>> firstRun = new TreeMap<>();

  static AttributionJob.Options options() {
    return new AttributionJob.Options(new AttributionJourneys.Period(RUN_DATE, 30, 30), 1,
        EnumSet.allOf(AttributionModel.class), 20, 1L, 0.95, 7, 14, 0.3);
  }

  @BeforeAll
  static void runTwice() {
    warehouse = new Warehouse(SparkTestSupport.spark(), tmp.resolve("warehouse").toString());
    AttributionFixtures.touches().write().format("delta").save(warehouse.path("silver", "touchpoints"));
    AttributionFixtures.orders().write().format("delta").save(warehouse.path("silver", "orders"));
    result = new AttributionJob(warehouse, "first").run(options());
    for (String t : TABLES) {
      firstRun.put(t, SparkTestSupport.content(warehouse.read("gold", t)));
    }
    new AttributionJob(warehouse, "second").run(options());
  }

  @Test
  void everyTableHasRows() {
    for (String t : TABLES) {
      assertThat(warehouse.read("gold", t).count()).as("rows of gold." + t).isPositive();
    }
    assertThat(result).as("period totals of the fixture").isEqualTo(new AttributionJob.Result(7, 2, 1, 6));
  }

  @Test
  void everyModelAttributesThePeriodsConversionsAndRevenue() {
    Map<String, double[]> sums = new TreeMap<>();
    for (Row r : warehouse.read("gold", AttributionJob.BY_CHANNEL)
        .groupBy("model").agg(org.apache.spark.sql.functions.sum("conversions"), org.apache.spark.sql.functions.sum("revenue_cny"),
            org.apache.spark.sql.functions.sum("share")).collectAsList()) {
      sums.put(r.getString(0), new double[] {r.getDouble(1), r.getDouble(2), r.getDouble(3)});
    }
    assertThat(sums.keySet()).as("models").containsExactlyInAnyOrder("markov", "first", "last", "linear", "time_decay",
        "position", "experience_split");
    sums.forEach((model, s) -> {
      assertThat(s[0]).as(model + ": attributed conversions = 7 converting journeys").isCloseTo(7.0, within(1e-5));
      assertThat(s[1]).as(model + ": attributed revenue = 580 CNY").isCloseTo(580.0, within(0.05));
      assertThat(s[2]).as(model + ": shares add up to 1").isCloseTo(1.0, within(1e-6));
    });
  }

  @Test
  void directConversionsAreReportedApartFromTheChain() {
    List<Row> direct = warehouse.read("gold", AttributionJob.BY_CHANNEL).where("model = 'markov' AND channel = 'direct'")
        .collectAsList();
    assertThat(direct).as("one direct row for markov").hasSize(1);
    assertThat(direct.get(0).<Double>getAs("conversions")).as("direct conversions").isEqualTo(2.0);
    assertThat(warehouse.read("gold", AttributionJob.TRANSITIONS).where("from_state = 'direct' OR to_state = 'direct'").count())
        .as("direct is no state of the chain").isZero();
  }

  @Test
  void pathsAreRankedByConversions() {
    List<Row> paths = warehouse.read("gold", AttributionJob.PATHS).orderBy("rank").collectAsList();
    assertThat(paths).as("the 6 touched paths").hasSize(6);
    assertThat(paths.get(0).<String>getAs("path")).as("rank 1: most conversions, then nulls, then path").isEqualTo("display");
    assertThat(paths.get(5).<String>getAs("path")).as("last: the null journey").isEqualTo("social_ads > display");
  }

  @Test
  void transitionProbabilitiesOfEachStateAddUpToOne() {
    for (Row r : warehouse.read("gold", AttributionJob.TRANSITIONS).groupBy("from_state")
        .agg(org.apache.spark.sql.functions.sum("probability")).collectAsList()) {
      assertThat(r.getDouble(1)).as("out of " + r.getString(0)).isCloseTo(1.0, within(1e-6));
    }
  }

  @Test
  void rerunningTheDateChangesNothing() {
    for (String t : TABLES) {
      assertThat(SparkTestSupport.content(warehouse.read("gold", t))).as("gold." + t + " after the rerun")
          .isEqualTo(firstRun.get(t));
    }
  }

  @Test
  void unknownModelsAndBadOrdersAreRejectedWithTheFix() {
    assertThatThrownBy(() -> AttributionModel.parse(List.of("markov", "u_shape"))).isInstanceOf(TouchpointException.class)
        .hasMessageContaining("[u_shape]").hasMessageContaining("experience_split");
    StringWriter err = new StringWriter();
    CommandLine cl = Touchpoint.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("attribution", "--run-date", RUN_DATE.toString(), "--order", "5",
        "--warehouse", tmp.resolve("unused").toString());
    assertThat(code).as("exit code of a bad --order").isEqualTo(io.touchpoint.errors.Errors.EXIT_USAGE);
    assertThat(err.toString()).as("message").contains("order");
  }
}
