package io.touchpoint.jobs.marts;

import static io.touchpoint.jobs.marts.MartsFixtures.RUN_DATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The marts on the hand-built warehouse of {@link MartsFixtures}, run twice for 2026-03-31; every
 * expected figure is worked out from the fixture in the comments.
 */
class MartsJobTest {
  static final String MARCH = "2026-03-01";
  static final List<String> MARTS = List.of("kpi", "kpi_catalog", "repurchase_matrix", "channel_overlap", "channel_roi",
      "channel_value_matrix", "customer_segments", "clv_distribution");

  @TempDir static Path tmp;
  static Warehouse warehouse;
  static MartsJob.Result result;
  static Map<String, List<String>> firstRun = new HashMap<>();

  @BeforeAll
  static void runTwice() throws java.io.IOException {
    // Names left in the JVM's catalog by a warehouse that has since been deleted (as an earlier test
    // class's temporary warehouse is): the marts must re-point them, not read the missing folders.
    Warehouse gone = Warehouse.open(SparkTestSupport.spark(), tmp.resolve("deleted").toString());
    new io.touchpoint.jobs.spark.TableWriter(gone, "gone", "test").overwrite(SparkTestSupport.spark().sql("SELECT 1 AS x"),
        "silver", "orders");
    new io.touchpoint.jobs.spark.TableWriter(gone, "gone", "test").overwrite(SparkTestSupport.spark().sql("SELECT 1 AS x"),
        "gold", "attribution_daily");
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(tmp.resolve("deleted"))) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(f);
      }
    }
    warehouse = new Warehouse(SparkTestSupport.spark(), tmp.resolve("warehouse").toString());
    MartsFixtures.write(warehouse, true);
    result = new MartsJob(warehouse, "first").run(MartsJob.Options.defaults(RUN_DATE, RUN_DATE));
    for (String t : MARTS) {
      firstRun.put(t, SparkTestSupport.content(warehouse.read("gold", t)));
    }
    new MartsJob(warehouse, "second").run(MartsJob.Options.defaults(RUN_DATE, RUN_DATE));
  }

  /** value, numerator, denominator of a gold.kpi row (null when absent). */
  static double[] kpi(String periodType, String start, String kpi, String channel) {
    List<Row> rows = warehouse.read("gold", "kpi").where("period_type = '" + periodType + "' AND period_start = DATE'"
        + start + "' AND kpi = '" + kpi + "' AND channel = '" + channel + "'").collectAsList();
    assertThat(rows.size()).as("rows of " + kpi + "/" + channel + " " + periodType + " " + start).isLessThanOrEqualTo(1);
    if (rows.isEmpty()) {
      return null;
    }
    Row r = rows.get(0);
    return new double[] {r.getAs("value"), r.isNullAt(r.fieldIndex("numerator")) ? Double.NaN : r.getAs("numerator"),
        r.isNullAt(r.fieldIndex("denominator")) ? Double.NaN : r.getAs("denominator")};
  }

  static double month(String kpi, String channel) {
    double[] v = kpi("month", MARCH, kpi, channel);
    assertThat(v).as(kpi + " of " + channel + " in March").isNotNull();
    return v[0];
  }

  @Test
  void everyMartIsWrittenAndEachRowCarriesItsPeriodToDate() {
    assertThat(result.times().keySet()).containsExactlyInAnyOrderElementsOf(MARTS.stream().map(t -> "gold." + t).toList());
    Row week = warehouse.read("gold", "kpi").where("period_type = 'week' AND kpi = 'revenue' AND channel = 'all'")
        .orderBy(org.apache.spark.sql.functions.col("period_start").desc()).first();
    // The run date's week (Mon 03-30..Sun 04-05) is computed to date: it ends on the run date.
    assertThat(week.<LocalDate>getAs("period_start")).isEqualTo(LocalDate.of(2026, 3, 30));
    assertThat(week.<LocalDate>getAs("period_end")).isEqualTo(RUN_DATE);
    assertThat(week.<Double>getAs("value")).as("g1 only").isEqualTo(40.0);
  }

  @Test
  void revenueOrdersCustomersAndGmvOfMarch() {
    // 100+50+70+120+60+40+90+0+30+150+50+40 = 800; GMV adds d1's refunded 200; d1 is not a purchase: 11 orders.
    assertThat(month("revenue", "all")).isEqualTo(800.0);
    assertThat(month("omnichannel_gmv", "all")).isEqualTo(1000.0);
    assertThat(month("orders", "all")).isEqualTo(11.0);
    assertThat(month("customers", "all")).as("A B C F G").isEqualTo(5.0);
    assertThat(month("average_order_value", "all")).isCloseTo(800.0 / 11, within(1e-9));
    // store: a1 b2 c1 c2 c3 f2 = 100+120+60+40+90+50
    assertThat(month("revenue", "store")).isEqualTo(460.0);
    assertThat(month("customers", "store")).isEqualTo(4.0);
    assertThat(month("omnichannel_gmv", "tmall")).isEqualTo(200.0);
    assertThat(month("orders", "tmall")).isZero();
    double byChannel = warehouse.read("gold", "kpi").where("period_type = 'month' AND period_start = DATE'" + MARCH
        + "' AND kpi = 'revenue' AND channel <> 'all'").agg(org.apache.spark.sql.functions.sum("value")).first().getDouble(0);
    assertThat(byChannel).as("channel revenue adds up to total revenue").isEqualTo(800.0);
  }

  @Test
  void repurchaseRatesAndNewCustomers() {
    // A (3 days) and C (2 days: c1+c2 is one occasion) repurchase; B, F, G do not: 2 / 5.
    assertThat(kpi("month", MARCH, "repurchase_rate", "all")).containsExactly(0.4, 2.0, 5.0);
    // store days: A 1, B 1, C 2 (03-03, 03-25), F 1 → 1 / 4; app: A on 03-10 and 03-20 → 1 / 1.
    assertThat(month("repurchase_rate", "store")).isEqualTo(0.25);
    assertThat(month("repurchase_rate", "app")).isEqualTo(1.0);
    // Quarter: B's February purchase makes B a repeater too: A, B, C of 5.
    assertThat(kpi("quarter", "2026-01-01", "repurchase_rate", "all")).containsExactly(0.6, 3.0, 5.0);
    // New in March: A (store), C (store), F (jd: the day's first order), G (webshop); B's first was in February.
    assertThat(month("new_customers", "all")).isEqualTo(4.0);
    assertThat(month("new_customers", "store")).isEqualTo(2.0);
    assertThat(month("new_customers", "jd")).isEqualTo(1.0);
    // 90-day cohort as of 03-31: A (03-10) and C (03-25) bought again, F and G not yet.
    assertThat(kpi("month", MARCH, "repurchase_rate_90d", "all")).containsExactly(0.5, 2.0, 4.0);
    assertThat(month("repurchase_rate_90d", "store")).isEqualTo(1.0);
  }

  @Test
  void repurchaseMatrixFromToAndTheOnlineOfflinePair() {
    // March repeats: A store→app, A app→app, B webshop→store (previous occasion in February), C store→store.
    Map<String, Long> matrix = new TreeMap<>();
    Map<String, Double> shares = new TreeMap<>();
    for (Row r : warehouse.read("gold", "repurchase_matrix").where("period_type = 'month' AND period_start = DATE'" + MARCH
        + "'").collectAsList()) {
      String key = r.getAs("level") + ":" + r.getAs("from_channel") + ">" + r.getAs("to_channel");
      matrix.put(key, r.getAs("repeat_occasions"));
      shares.put(key, r.getAs("share_of_from_channel"));
    }
    assertThat(matrix).containsExactlyInAnyOrderEntriesOf(Map.of(
        "channel:store>app", 1L, "channel:app>app", 1L, "channel:webshop>store", 1L, "channel:store>store", 1L,
        "group:offline>online", 1L, "group:online>online", 1L, "group:online>offline", 1L, "group:offline>offline", 1L));
    assertThat(shares.get("channel:store>app")).as("half of the repeats after a store occasion").isEqualTo(0.5);
    // 2 of the 4 repeats change channel; into store: B (cross) and C (not) → 1 / 2.
    assertThat(kpi("month", MARCH, "cross_channel_repurchase_rate", "all")).containsExactly(0.5, 2.0, 4.0);
    assertThat(month("cross_channel_repurchase_rate", "store")).isEqualTo(0.5);
  }

  @Test
  void channelOverlapAndCrossChannelPurchasers() {
    // Purchasers: store {A B C F}, app {A}, jd {F}, webshop {G}; online {A F G}, offline {A B C F}.
    Map<String, double[]> pairs = new TreeMap<>();
    for (Row r : warehouse.read("gold", "channel_overlap").where("period_type = 'month' AND period_start = DATE'" + MARCH
        + "'").collectAsList()) {
      pairs.put(r.getAs("level") + ":" + r.getAs("channel_a") + "-" + r.getAs("channel_b"), new double[] {
          r.<Long>getAs("customers_both"), r.<Long>getAs("customers_either"), r.getAs("jaccard")});
    }
    assertThat(pairs.keySet()).containsExactlyInAnyOrder("channel:app-jd", "channel:app-store", "channel:app-webshop",
        "channel:jd-store", "channel:jd-webshop", "channel:store-webshop", "group:offline-online");
    assertThat(pairs.get("channel:app-store")).containsExactly(1, 4, 0.25);
    assertThat(pairs.get("channel:jd-store")).containsExactly(1, 4, 0.25);
    assertThat(pairs.get("channel:app-jd")).containsExactly(0, 2, 0);
    assertThat(pairs.get("group:offline-online")).as("A and F of A B C F G").containsExactly(2, 5, 0.4);
    assertThat(kpi("month", MARCH, "online_offline_overlap", "all")).containsExactly(0.4, 2.0, 5.0);
    // A (store, app) and F (jd, store) bought in two channels; B's webshop purchase was in February.
    assertThat(kpi("month", MARCH, "cross_channel_purchaser_share", "all")).containsExactly(0.4, 2.0, 5.0);
    assertThat(month("cross_channel_purchaser_share", "store")).isEqualTo(0.5);
    assertThat(kpi("quarter", "2026-01-01", "cross_channel_purchaser_share", "all")).containsExactly(0.6, 3.0, 5.0);
  }

  static Map<String, Row> roi(String periodType, String start) {
    Map<String, Row> out = new TreeMap<>();
    for (Row r : warehouse.read("gold", "channel_roi").where("period_type = '" + periodType + "' AND period_start = DATE'"
        + start + "' AND attribution_model = 'markov'").collectAsList()) {
      out.put(r.getAs("channel"), r);
    }
    return out;
  }

  @Test
  void roiRoasCacAndLtvToCacPerMarketingChannel() {
    Map<String, Row> march = roi("month", MARCH);
    assertThat(march.keySet()).containsExactlyInAnyOrder("search_ads", "social_ads", "email", "direct");
    Row search = march.get("search_ads");
    // spend 100 + 100; credit a1 1 (100) + a2 ½ (25) + f 1 (200) = 2.5 conversions, 325 CNY.
    assertThat(search.<Double>getAs("spend_cny")).isEqualTo(200.0);
    assertThat(search.<Double>getAs("attributed_conversions")).isEqualTo(2.5);
    assertThat(search.<Double>getAs("attributed_revenue_cny")).isEqualTo(325.0);
    assertThat(search.<Double>getAs("roas")).isEqualTo(1.625);
    assertThat(search.<Double>getAs("roi")).as("(325 × 0.3 − 200) / 200").isCloseTo(-0.5125, within(1e-9));
    assertThat(search.<Double>getAs("marketing_expense_ratio")).as("200 / 800").isEqualTo(0.25);
    // new customers A and F: CAC 200 / 2 = 100; their mean CLV (300 + 500) / 2 = 400; LTV:CAC 4.
    assertThat(search.<Double>getAs("new_customers")).isEqualTo(2.0);
    assertThat(search.<Double>getAs("cac_cny")).isEqualTo(100.0);
    assertThat(search.<Double>getAs("mean_clv_acquired_cny")).isEqualTo(400.0);
    assertThat(search.<Double>getAs("ltv_to_cac")).isEqualTo(4.0);
    assertThat(search.<LocalDate>getAs("clv_run_date")).isEqualTo(RUN_DATE);
    Row social = march.get("social_ads");
    // spend 150; c (100) + g (40); new C and G: CAC 75, mean CLV 75, LTV:CAC 1; ROI (140 × 0.3 − 150) / 150 = −0.72.
    assertThat(social.<Double>getAs("roi")).isCloseTo(-0.72, within(1e-9));
    assertThat(social.<Double>getAs("cac_cny")).isEqualTo(75.0);
    assertThat(social.<Double>getAs("ltv_to_cac")).isEqualTo(1.0);
    Row email = march.get("email");
    assertThat(email.<Double>getAs("roi")).as("(25 × 0.3 − 10) / 10").isCloseTo(-0.25, within(1e-9));
    assertThat(email.isNullAt(email.fieldIndex("cac_cny"))).as("no new customer, no CAC").isTrue();
    Row direct = march.get("direct");
    assertThat(direct.<Double>getAs("spend_cny")).isZero();
    assertThat(direct.isNullAt(direct.fieldIndex("roi"))).isTrue();
  }

  @Test
  void attributedConversionsRevenueAndNewCustomersAddUpToThePeriodsTotals() {
    double conversions = 0;
    double revenue = 0;
    double acquired = 0;
    for (Row r : roi("month", MARCH).values()) {
      conversions += r.<Double>getAs("attributed_conversions");
      revenue += r.<Double>getAs("attributed_revenue_cny");
      acquired += r.<Double>getAs("new_customers");
    }
    assertThat(conversions).as("8 purchase occasions of identified customers").isEqualTo(8.0);
    assertThat(revenue).as("worth 770 (800 less the unidentified 30)").isEqualTo(770.0);
    assertThat(acquired).as("= new_customers of gold.kpi").isEqualTo(month("new_customers", "all"));
  }

  @Test
  void marketingKpisForAllChannelsAreBlended() {
    // spend 200 + 150 + 10 = 360, marketing-attributed revenue 325 + 140 + 25 = 490 (direct 280 left out).
    assertThat(kpi("month", MARCH, "spend", "all")[0]).isEqualTo(360.0);
    assertThat(month("roas", "all")).isCloseTo(490.0 / 360, within(1e-9));
    assertThat(month("roi", "all")).isCloseTo((490 * 0.3 - 360) / 360, within(1e-9));
    assertThat(month("marketing_expense_ratio", "all")).isCloseTo(360.0 / 800, within(1e-9));
    // blended CAC: 360 over the 4 new customers; mean CLV of A C F G = (300 + 100 + 500 + 50) / 4 = 237.5.
    assertThat(month("cac", "all")).isEqualTo(90.0);
    assertThat(month("ltv_acquired", "all")).isEqualTo(237.5);
    assertThat(month("ltv_to_cac", "all")).isCloseTo(237.5 / 90, within(1e-9));
    assertThat(month("roi", "search_ads")).isCloseTo(-0.5125, within(1e-9));
    assertThat(kpi("month", MARCH, "spend", "search_ads")[0]).isEqualTo(200.0);
    // February: search_ads spent 50 and is credited with nothing (b1 was direct).
    assertThat(kpi("month", "2026-02-01", "roi", "search_ads")).containsExactly(-1.0, -50.0, 50.0);
  }

  @Test
  void segmentCountsRevenueAndHighValueShare() {
    Map<String, Row> seg = new TreeMap<>();
    for (Row r : warehouse.read("gold", "customer_segments").where("period_type = 'month' AND period_start = DATE'" + MARCH
        + "'").collectAsList()) {
      seg.put(r.getAs("lifecycle_segment") + "/" + r.getAs("is_high_value") + "/" + r.getAs("is_high_value_at_risk"), r);
    }
    assertThat(seg.keySet()).containsExactlyInAnyOrder("new/true/false", "new/true/true", "new/false/false",
        "active/false/false");
    // C and G: 2 customers, CLV 100 + 50, bought 60+40+90 + 40 = 230 in March.
    Row newLow = seg.get("new/false/false");
    assertThat(newLow.<Long>getAs("customers")).isEqualTo(2L);
    assertThat(newLow.<Long>getAs("purchasing_customers")).isEqualTo(2L);
    assertThat(newLow.<java.math.BigDecimal>getAs("revenue_cny")).isEqualByComparingTo("230");
    assertThat(newLow.<Double>getAs("total_clv_cny")).isEqualTo(150.0);
    assertThat(newLow.<Double>getAs("mean_p_alive")).isCloseTo(0.825, within(1e-9));
    assertThat(seg.get("new/true/true").<Long>getAs("customers")).as("F: high value at risk").isEqualTo(1L);
    // A 220 + F 200 of 800.
    assertThat(kpi("month", MARCH, "high_value_revenue_share", "all")).containsExactly(0.525, 420.0, 800.0);
  }

  @Test
  void clvDistributionBucketsEveryCustomerOfTheSnapshotOnce() {
    Map<Integer, Row> b = new TreeMap<>();
    for (Row r : warehouse.read("gold", "clv_distribution").where("period_type = 'month' AND period_start = DATE'" + MARCH
        + "'").collectAsList()) {
      b.put(r.<Integer>getAs("bucket"), r);
    }
    // Every bucket, empty ones included: edges -inf, 50, 100, 200, 300, 500, 750, 1000, ..., 10000.
    assertThat(b.keySet()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13);
    assertThat(b.get(1).isNullAt(b.get(1).fieldIndex("lower_cny"))).isTrue();
    assertThat(b.get(1).<String>getAs("label")).isEqualTo("< 50");
    assertThat(b.get(13).isNullAt(b.get(13).fieldIndex("upper_cny"))).isTrue();
    assertThat(b.get(13).<String>getAs("label")).isEqualTo(">= 10,000");
    // CLV of the fixture: G 50, C 100, B 200, A 300 (high value), F 500 (high value at risk); a lower
    // edge belongs to its bucket, so each lands in the bucket its value opens: 2, 3, 4, 5, 6.
    Map<Integer, Long> customers = new TreeMap<>();
    b.forEach((k, r) -> customers.put(k, r.<Long>getAs("customers")));
    assertThat(customers).containsEntry(1, 0L).containsEntry(2, 1L).containsEntry(3, 1L).containsEntry(4, 1L)
        .containsEntry(5, 1L).containsEntry(6, 1L).containsEntry(7, 0L).containsEntry(13, 0L);
    assertThat(customers.values().stream().mapToLong(Long::longValue).sum()).as("customers conserved").isEqualTo(5L);
    assertThat(b.get(6).<Double>getAs("share")).isEqualTo(0.2);
    assertThat(b.get(6).<Long>getAs("high_value_at_risk_customers")).as("F").isEqualTo(1L);
    assertThat(b.get(5).<Long>getAs("high_value_customers")).as("A").isEqualTo(1L);
    assertThat(b.get(5).<Long>getAs("high_value_at_risk_customers")).isZero();
    assertThat(b.get(4).<String>getAs("label")).isEqualTo("200–300");
    double total = b.values().stream().mapToDouble(r -> r.<Double>getAs("total_clv_cny")).sum();
    assertThat(total).as("300 + 200 + 100 + 500 + 50").isEqualTo(1150.0);
  }

  @Test
  void channelValueMatrixOfTheStore() {
    Map<String, Row> store = new TreeMap<>();
    for (Row r : warehouse.read("gold", "channel_value_matrix").where("period_type = 'month' AND period_start = DATE'"
        + MARCH + "' AND sales_channel = 'store'").collectAsList()) {
      store.put(r.getAs("other_channel"), r);
    }
    // tmall sold (d1) but had no purchaser (fully refunded), so it overlaps with no one.
    assertThat(store.keySet()).containsExactlyInAnyOrder("store", "app", "jd", "webshop");
    Row self = store.get("store");
    assertThat(self.<Double>getAs("revenue_share")).as("460 / 800").isEqualTo(0.575);
    assertThat(self.<Double>getAs("repurchase_rate")).isEqualTo(0.25);
    assertThat(self.<Double>getAs("jaccard")).isEqualTo(1.0);
    assertThat(store.get("app").<Double>getAs("jaccard")).isEqualTo(0.25);
    Row tmall = warehouse.read("gold", "channel_value_matrix").where("period_type = 'month' AND period_start = DATE'"
        + MARCH + "' AND sales_channel = 'tmall'").first();
    assertThat(tmall.<String>getAs("other_channel")).isEqualTo("tmall");
    assertThat(tmall.isNullAt(tmall.fieldIndex("jaccard"))).as("no purchaser, no overlap").isTrue();
    // Marketing leading to the store: search_ads earned 100 of its 325 there, social_ads 100 of 140;
    // their spend is shared out alike: 200 × 100/325 + 150 × 100/140.
    double allocated = 200.0 * 100 / 325 + 150.0 * 100 / 140;
    assertThat(self.<Double>getAs("marketing_allocated_spend_cny")).isCloseTo(allocated, within(0.005));
    assertThat(self.<Double>getAs("marketing_roi")).isCloseTo((200 * 0.3 - allocated) / allocated, within(1e-6));
  }

  @Test
  void dataAccuracyConversionRateAndTouchFrequency() {
    // pos was delivered twice on 03-31: the later delivery (970 of 1000) counts.
    assertThat(kpi("day", "2026-03-31", "data_accuracy", "pos")).containsExactly(0.97, 970.0, 1000.0);
    assertThat(kpi("day", "2026-03-31", "data_accuracy", "all")).containsExactly(0.975, 1170.0, 1200.0);
    // Week from 03-30: 600 of 600, then 1170 of 1200; values are rounded to 9 decimals.
    assertThat(kpi("week", "2026-03-30", "data_accuracy", "all")).containsExactly(0.983333333, 1770.0, 1800.0);
    assertThat(kpi("month", MARCH, "conversion_rate", "search_ads")).containsExactly(0.5, 2.0, 4.0);
    // search_ads: A twice and F once (the unidentified touch is left out): 3 touches / 2 customers.
    assertThat(kpi("month", MARCH, "average_touch_frequency", "search_ads")).containsExactly(1.5, 3.0, 2.0);
    assertThat(month("average_touch_frequency", "all")).isCloseTo(4.0 / 3, within(1e-9));
    // e1 (jd, 03-15) is the one unidentified order of 12.
    assertThat(kpi("month", MARCH, "identification_rate", "all")).containsExactly(0.916666667, 11.0, 12.0);
  }

  @Test
  void theCatalogListsEveryKpiWithItsDimension() {
    Map<String, String> catalog = new TreeMap<>();
    warehouse.read("gold", "kpi_catalog").collectAsList().forEach(r -> catalog.put(r.getAs("kpi"), r.getAs("dimension")));
    TreeSet<String> written = new TreeSet<>();
    warehouse.read("gold", "kpi").select("kpi").distinct().collectAsList().forEach(r -> written.add(r.getString(0)));
    assertThat(catalog.keySet()).as("the fixture exercises every KPI of the catalogue").isEqualTo(written);
    assertThat(new TreeSet<>(catalog.values())).containsExactly("channel_synergy", "data_quality", "operating_efficiency",
        "user_value");
  }

  @Test
  void rerunningTheDateChangesNothing() {
    for (String t : MARTS) {
      assertThat(SparkTestSupport.content(warehouse.read("gold", t))).as("gold." + t).isEqualTo(firstRun.get(t));
    }
  }
}
