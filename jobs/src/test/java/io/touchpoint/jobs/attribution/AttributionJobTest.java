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
  /** The 30-day period of the main runs; the options run below uses 29 days, so its rows are its own. */
  static final String MAIN_PERIOD = "period_start = DATE'2026-03-02'";
  static final String OPTIONS_PERIOD = "period_start = DATE'2026-03-03'";

  static AttributionJob.Options options() {
    return new AttributionJob.Options(new AttributionJourneys.Period(RUN_DATE, 30, 30), 1,
        EnumSet.allOf(AttributionModel.class), 20, 1L, 0.95, 7, 14, 0.3);
  }

  /**
   * The same journeys (no conversion or null journey of the fixture ends on 03-02) with a 50 % interval
   * level and a one-day half-life, as {@code attribution --window-days 29 --level 0.5 --half-life-days 1}
   * parses them (see CliTest).
   */
  static AttributionJob.Options otherOptions() {
    return new AttributionJob.Options(new AttributionJourneys.Period(RUN_DATE, 29, 30), 1,
        EnumSet.of(AttributionModel.MARKOV, AttributionModel.TIME_DECAY), 20, 1L, 0.5, 1, 14, 0.3);
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
    new AttributionJob(warehouse, "options").run(otherOptions());
  }

  static Map<String, Row> markovRows(String period) {
    Map<String, Row> rows = new TreeMap<>();
    warehouse.read("gold", AttributionJob.BY_CHANNEL).where("model = 'markov' AND channel <> 'direct' AND " + period)
        .collectAsList().forEach(r -> rows.put(r.getAs("channel"), r));
    return rows;
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
    for (Row r : warehouse.read("gold", AttributionJob.BY_CHANNEL).where(MAIN_PERIOD)
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
    List<Row> direct = warehouse.read("gold", AttributionJob.BY_CHANNEL)
        .where("model = 'markov' AND channel = 'direct' AND " + MAIN_PERIOD).collectAsList();
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
    assertThat(SparkTestSupport.content(warehouse.read("gold", AttributionJob.BY_CHANNEL).where(MAIN_PERIOD)))
        .as("gold.attribution_by_channel after the rerun").isEqualTo(firstRun.get(AttributionJob.BY_CHANNEL));
    for (String t : List.of(AttributionJob.PATHS, AttributionJob.TRANSITIONS)) {
      // the options run (same date and order, same journeys) rewrote these with the same rows
      assertThat(SparkTestSupport.content(warehouse.read("gold", t))).as("gold." + t + " after the reruns")
          .isEqualTo(firstRun.get(t));
    }
  }

  @Test
  void markovRowsCarryIntervalsOnConversionsAndRevenueAtTheirLevel() {
    Map<String, Row> main = markovRows(MAIN_PERIOD);
    assertThat(main.keySet()).as("Markov channels").containsExactlyInAnyOrder("display", "email", "sms", "search_ads",
        "app_push", "store_visit", "social_ads");
    main.forEach((channel, r) -> {
      assertThat(r.<Double>getAs("ci_level")).as(channel + ": level").isEqualTo(0.95);
      assertThat(r.<Double>getAs("ci_low")).as(channel + ": conversions interval ordered")
          .isLessThanOrEqualTo(r.<Double>getAs("ci_high"));
      assertThat(r.<Double>getAs("revenue_ci_low_cny")).as(channel + ": revenue interval ordered")
          .isLessThanOrEqualTo(r.<Double>getAs("revenue_ci_high_cny")).isGreaterThanOrEqualTo(0.0);
    });
    assertThat(warehouse.read("gold", AttributionJob.BY_CHANNEL)
        .where("model <> 'markov' AND (ci_level IS NOT NULL OR revenue_ci_low_cny IS NOT NULL)").count())
        .as("intervals are Markov only").isZero();
  }

  @Test
  void aLowerLevelGivesNestedIntervalsFromTheSameReplicates() {
    Map<String, Row> wide = markovRows(MAIN_PERIOD);
    Map<String, Row> narrow = markovRows(OPTIONS_PERIOD);
    assertThat(narrow.keySet()).as("same channels (same journeys)").isEqualTo(wide.keySet());
    narrow.forEach((channel, r) -> {
      Row w = wide.get(channel);
      assertThat(r.<Double>getAs("ci_level")).as(channel + ": level").isEqualTo(0.5);
      assertThat(r.<Double>getAs("conversions")).as(channel + ": point estimate").isEqualTo(w.<Double>getAs("conversions"));
      // Same seed and replicate count: the 25th..75th percentiles lie inside the 2.5th..97.5th.
      assertThat(r.<Double>getAs("ci_low")).as(channel + ": 50% low ≥ 95% low").isGreaterThanOrEqualTo(w.<Double>getAs("ci_low"));
      assertThat(r.<Double>getAs("ci_high")).as(channel + ": 50% high ≤ 95% high").isLessThanOrEqualTo(w.<Double>getAs("ci_high"));
      assertThat(r.<Double>getAs("revenue_ci_low_cny")).as(channel + ": revenue 50% low ≥ 95% low")
          .isGreaterThanOrEqualTo(w.<Double>getAs("revenue_ci_low_cny"));
      assertThat(r.<Double>getAs("revenue_ci_high_cny")).as(channel + ": revenue 50% high ≤ 95% high")
          .isLessThanOrEqualTo(w.<Double>getAs("revenue_ci_high_cny"));
    });
  }

  @Test
  void theHalfLifeSetsTheTimeDecayWeights() {
    Map<String, Double> credit = new TreeMap<>();
    warehouse.read("gold", AttributionJob.BY_CHANNEL).where("model = 'time_decay' AND " + OPTIONS_PERIOD)
        .collectAsList().forEach(r -> credit.put(r.getAs("channel"), r.<Double>getAs("conversions")));
    // same_day: search_ads 25 h and app_push 2 h before the occasion; with a one-day half-life
    // search_ads gets 2^(-25/24) / (2^(-25/24) + 2^(-2/24)) = 1 / (1 + 2^(23/24)) = 0.339782
    // (0.476294 with the default 7 days).
    assertThat(credit.get("search_ads")).as("search_ads, half-life 1 day").isCloseTo(0.339782, within(1e-6));
    assertThat(credit.get("app_push")).as("app_push, half-life 1 day").isCloseTo(0.660218, within(1e-6));
    Row weekly = warehouse.read("gold", AttributionJob.BY_CHANNEL)
        .where("model = 'time_decay' AND channel = 'search_ads' AND " + MAIN_PERIOD).first();
    assertThat(weekly.<Double>getAs("conversions")).as("search_ads, half-life 7 days").isCloseTo(0.476294, within(1e-6));
  }

  @Test
  void aNonPositiveHalfLifeIsAUsageError() {
    assertThatThrownBy(() -> new AttributionJob.Options(new AttributionJourneys.Period(RUN_DATE, 30, 30), 1,
        EnumSet.of(AttributionModel.TIME_DECAY), 0, 1L, 0.95, 0, 14, 0.3)).isInstanceOf(TouchpointException.class)
        .hasMessageContaining("--half-life-days 0").hasMessageContaining("Pass e.g. --half-life-days 7");
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
