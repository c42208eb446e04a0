package io.touchpoint.jobs.attribution;

import static io.touchpoint.jobs.attribution.AttributionFixtures.RUN_DATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.touchpoint.attribution.AttributionJourneys;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-conversion credits of the attribution stage on the hand-built fixture
 * ({@link AttributionFixtures}, window 03-02..03-31), run twice.
 *
 * <pre>
 * conversion                 date   sales channel  value  path                    first purchase
 * reset #1                   03-04  store          100    email                   yes
 * reset #2                   03-10  app             50    sms                     no
 * same_day (2 orders)        03-15  webshop         50    search_ads > app_push   yes
 * lookback_drop              03-20  webshop         80    display                 yes
 * stale_touch                03-20  store           40    (direct)                yes
 * direct                     03-25  jd              60    (direct)                yes
 * store_then_web             03-25  tmall          200    store_visit             yes
 * null_journey (no order)    03-12                        social_ads > display
 * </pre>
 * Only same_day's path has two channels. In the fitted chain search_ads leads only to app_push and
 * app_push is reached only from search_ads, so removing either loses the same conversion: equal
 * removal effects, and the Markov split of that journey is 0.5 / 0.5 (25 CNY each). Linear and
 * position (two touches: 50 / 50) split it the same way; time decay weighs search_ads (25 h before
 * the conversion at 05:00 UTC) 2^(−25/168) against app_push's (2 h) 2^(−2/168).
 */
class DailyCreditsTest {
  @TempDir static Path tmp;
  static Warehouse warehouse;
  static Map<String, List<String>> firstRun = new TreeMap<>();
  static final List<String[]> TABLES = List.of(new String[] {"gold", DailyCredits.DAILY},
      new String[] {"gold", DailyCredits.JOURNEYS_DAILY}, new String[] {"restricted", DailyCredits.FIRST_PURCHASE});

  @BeforeAll
  static void runTwice() {
    warehouse = new Warehouse(SparkTestSupport.spark(), tmp.resolve("warehouse").toString());
    AttributionFixtures.touches().write().format("delta").save(warehouse.path("silver", "touchpoints"));
    AttributionFixtures.orders().write().format("delta").save(warehouse.path("silver", "orders"));
    AttributionJob.Options options = new AttributionJob.Options(new AttributionJourneys.Period(RUN_DATE, 30, 30), 1,
        EnumSet.allOf(AttributionModel.class), 0, 1L, 0.95, 7, 14, 0.3);
    new AttributionJob(warehouse, "first").run(options);
    for (String[] t : TABLES) {
      firstRun.put(t[1], SparkTestSupport.content(warehouse.read(t[0], t[1]), "run_date"));
    }
    new AttributionJob(warehouse, "second").run(options);
  }

  /** model|date|sales channel|channel → conversions, revenue. */
  private static Map<String, double[]> daily() {
    Map<String, double[]> out = new TreeMap<>();
    for (Row r : warehouse.read("gold", DailyCredits.DAILY).collectAsList()) {
      out.put(r.<String>getAs("model") + "|" + r.getAs("conversion_date") + "|" + r.getAs("sales_channel") + "|"
          + r.getAs("channel"), new double[] {r.getAs("conversions"), r.getAs("revenue_cny")});
    }
    return out;
  }

  @Test
  void eachConversionIsCreditedOnItsDateAndSalesChannel() {
    Map<String, double[]> d = daily();
    assertThat(d.get("first|2026-03-04|store|email")).containsExactly(1.0, 100.0);
    assertThat(d.get("last|2026-03-15|webshop|app_push")).containsExactly(1.0, 50.0);
    assertThat(d.get("first|2026-03-15|webshop|search_ads")).containsExactly(1.0, 50.0);
    assertThat(d.get("linear|2026-03-15|webshop|search_ads")).containsExactly(0.5, 25.0);
    assertThat(d.get("position|2026-03-15|webshop|app_push")).containsExactly(0.5, 25.0);
    assertThat(d.get("markov|2026-03-15|webshop|search_ads")).as("equal removal effects").containsExactly(0.5, 25.0);
    assertThat(d.get("markov|2026-03-15|webshop|app_push")).containsExactly(0.5, 25.0);
    assertThat(d.get("markov|2026-03-20|webshop|display")).as("a one-channel path takes the whole conversion")
        .containsExactly(1.0, 80.0);
    assertThat(d.get("markov|2026-03-20|store|direct")).containsExactly(1.0, 40.0);
    double search = Math.pow(2, -25.0 / 168);
    double push = Math.pow(2, -2.0 / 168);
    assertThat(d.get("time_decay|2026-03-15|webshop|search_ads")[0]).isCloseTo(search / (search + push), within(1e-9));
    assertThat(d.get("time_decay|2026-03-15|webshop|app_push")[1]).isCloseTo(50 * push / (search + push), within(1e-4));
    assertThat(d.get("experience_split|2026-03-25|tmall|store")).as("store visit 03-20, tmall order 03-25: 3 : 7")
        .containsExactly(0.3, 60.0);
    assertThat(d.get("experience_split|2026-03-25|tmall|tmall")).containsExactly(0.7, 140.0);
    assertThat(d.get("experience_split|2026-03-15|webshop|webshop")).as("two orders, one occasion")
        .containsExactly(1.0, 50.0);
    assertThat(d.keySet()).noneMatch(k -> k.contains("2026-04-01")).noneMatch(k -> k.contains("affiliate"));
  }

  @Test
  void everyModelCreditsEachConversionOnceSoDailyCreditsAddUpToTheConversions() {
    Map<String, double[]> byModel = new TreeMap<>();
    daily().forEach((k, v) -> {
      double[] s = byModel.computeIfAbsent(k.split("\\|")[0], m -> new double[2]);
      s[0] += v[0];
      s[1] += v[1];
    });
    assertThat(byModel.keySet()).containsExactlyInAnyOrder("markov", "first", "last", "linear", "time_decay",
        "position", "experience_split");
    byModel.forEach((m, s) -> {
      assertThat(s[0]).as(m + ": 7 conversions").isCloseTo(7.0, within(1e-9));
      assertThat(s[1]).as(m + ": 580 CNY").isCloseTo(580.0, within(1e-3));
    });
  }

  @Test
  void heuristicDailyCreditsSumToTheWindowTotals() {
    // The heuristics are additive over journeys, so the per-journey rules must reproduce the
    // aggregated window totals of gold.attribution_by_channel exactly (Markov is not additive).
    Map<String, Double> window = new TreeMap<>();
    for (Row r : warehouse.read("gold", AttributionJob.BY_CHANNEL).where("model <> 'markov'").collectAsList()) {
      window.put(r.<String>getAs("model") + "|" + r.getAs("channel"), r.getAs("conversions"));
    }
    Map<String, Double> summed = new TreeMap<>();
    daily().forEach((k, v) -> {
      String[] p = k.split("\\|");
      if (!p[0].equals("markov")) {
        summed.merge(p[0] + "|" + p[3], v[0], Double::sum);
      }
    });
    // The window table also lists channels seen only on paths without a conversion, with 0 credit.
    assertThat(window.keySet()).containsAll(summed.keySet()).contains("first|social_ads");
    window.forEach((k, v) -> assertThat(summed.getOrDefault(k, 0.0)).as(k).isCloseTo(v, within(1e-6)));
  }

  @Test
  void firstPurchasesOfTheSixNewCustomersAreCredited() {
    Map<String, Double> first = new TreeMap<>();
    for (Row r : warehouse.read("restricted", DailyCredits.FIRST_PURCHASE).where("model IN ('markov', 'experience_split')")
        .collectAsList()) {
      first.put(r.<String>getAs("model") + "|" + r.getAs("customer_id") + "|" + r.getAs("first_purchase_date") + "|"
          + r.getAs("channel"), r.getAs("conversions"));
    }
    // reset's second occasion (sms, 03-10) is a repeat purchase and earns no acquisition credit.
    assertThat(first).containsEntry("markov|reset|2026-03-04|email", 1.0)
        .containsEntry("markov|same_day|2026-03-15|search_ads", 0.5)
        .containsEntry("markov|same_day|2026-03-15|app_push", 0.5)
        .containsEntry("markov|lookback_drop|2026-03-20|display", 1.0)
        .containsEntry("markov|stale_touch|2026-03-20|direct", 1.0)
        .containsEntry("markov|direct|2026-03-25|direct", 1.0)
        .containsEntry("markov|store_then_web|2026-03-25|store_visit", 1.0)
        .containsEntry("experience_split|store_then_web|2026-03-25|store", 0.3)
        .doesNotContainKey("markov|reset|2026-03-10|sms");
    assertThat(first.keySet().stream().filter(k -> k.startsWith("markov|")).count()).isEqualTo(7);
    Row perModel = warehouse.read("restricted", DailyCredits.FIRST_PURCHASE).groupBy("model").sum("conversions")
        .where("model = 'linear'").first();
    assertThat(perModel.getDouble(1)).as("6 new customers").isCloseTo(6.0, within(1e-9));
  }

  @Test
  void journeysTouchedByEachChannelAndHowManyConverted() {
    Map<String, long[]> reach = new TreeMap<>();
    for (Row r : warehouse.read("gold", DailyCredits.JOURNEYS_DAILY).groupBy("channel").sum("journeys", "converted_journeys")
        .collectAsList()) {
      reach.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2)});
    }
    // display: lookback_drop (converted) and null_journey (not); 'all' = the 6 journeys with a touch, 5 converted.
    assertThat(reach.get("display")).containsExactly(2, 1);
    assertThat(reach.get("social_ads")).containsExactly(1, 0);
    assertThat(reach.get("all")).containsExactly(6, 5);
    assertThat(reach).doesNotContainKey("direct");
  }

  @Test
  void rerunningTheDateChangesNothing() {
    for (String[] t : TABLES) {
      assertThat(SparkTestSupport.content(warehouse.read(t[0], t[1]), "run_date")).as(t[1]).isEqualTo(firstRun.get(t[1]));
    }
  }

  /**
   * The stage joins its credits to the window's occasions only; each is still marked against the customer's
   * first purchase over all their orders. From 03-10, reset's occasion of that day is a repeat purchase (its
   * first was 03-04, before the range): the same rows as all occasions cut to the range.
   */
  @Test
  void occasionsOfARangeAreMarkedAgainstTheWholeOrderHistory() {
    LocalDate from = LocalDate.of(2026, 3, 10);
    org.apache.spark.sql.Dataset<Row> orders = AttributionFixtures.orders();
    List<String> range = SparkTestSupport.content(io.touchpoint.attribution.JourneyCredits.occasions(orders, from, RUN_DATE));
    List<String> all = SparkTestSupport.content(io.touchpoint.attribution.JourneyCredits.occasions(orders, RUN_DATE)
        .where(org.apache.spark.sql.functions.col("order_date").geq(java.sql.Date.valueOf(from))));
    assertThat(range).isEqualTo(all).hasSize(6).contains("[reset,2026-03-10,app,false]", "[same_day,2026-03-15,webshop,true]")
        .noneMatch(r -> r.contains("2026-03-04"));
  }

  @Test
  void aRangeLongerThanTheWindowGetsOneRunPerWindow() {
    LocalDate from = LocalDate.of(2026, 1, 1);
    assertThat(AttributionJob.runDatesCovering(List.of(from, from.plusDays(89)), 30))
        .containsExactly(LocalDate.of(2026, 1, 30), LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 31));
    assertThat(AttributionJob.runDatesCovering(io.touchpoint.jobs.pipeline.Pipeline.range(from, from.plusDays(2)), 30))
        .containsExactly(from.plusDays(2));
  }
}
