package io.touchpoint.jobs.marts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.jobs.generate.ExportGenerator;
import io.touchpoint.jobs.generate.GeneratorConfig;
import io.touchpoint.jobs.pipeline.Pipeline;
import io.touchpoint.jobs.pipeline.Stage;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import io.touchpoint.jobs.support.WarehouseState;
import io.touchpoint.pii.Pii;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every stage, marts and alerts included, on generated exports of the demo's shape at a smaller
 * population (1,500 customers × the first quarter of 2026, one backfill pass), compared with what
 * the generator realised ({@code _truth/summary.json}, counted per simulated person from the clean
 * events). The quarter is the whole range and the period of the demo's headline KPIs, so the mart's
 * quarter figures and the truth describe the same purchases; they differ by what the pipeline cannot
 * see: orders it cannot link to a customer (a store ticket with neither member code nor phone) and
 * persons it cannot join (a marketplace account bound to no member is a customer of its own). Also
 * checks docs/TABLES.md against the schemas of every gold and restricted table of the run.
 */
class MartsGeneratedDataTest {
  private static final Logger LOG = LoggerFactory.getLogger(MartsGeneratedDataTest.class);
  static final LocalDate START = LocalDate.of(2026, 1, 1);
  static final int DAYS = 90;
  static final int CUSTOMERS = 1_500;
  static final LocalDate END = START.plusDays(DAYS - 1);

  @TempDir static Path tmp;
  static Warehouse warehouse;
  static JsonNode truth;
  static Map<String, Double> quarter = new TreeMap<>();

  @BeforeAll
  static void generateAndRun() throws IOException {
    long t0 = System.nanoTime();
    Path exports = tmp.resolve("exports");
    ExportGenerator.generate(GeneratorConfig.of(exports, CUSTOMERS, DAYS, START, 7));
    truth = new ObjectMapper().readTree(exports.resolve("_truth/summary.json").toFile()).get("figures");
    warehouse = new Warehouse(SparkTestSupport.spark(), tmp.resolve("warehouse").toString());
    new Pipeline(warehouse, SparkTestSupport.config(tmp.resolve("warehouse"), exports))
        .run(Pipeline.range(START, END), EnumSet.allOf(Stage.class), "generated");
    for (Row r : warehouse.read("gold", "kpi").where("period_type = 'quarter' AND period_start = DATE'2026-01-01'"
        + " AND channel = 'all'").collectAsList()) {
      quarter.put(r.getAs("kpi"), r.getAs("value"));
    }
    LOG.info("generated data: all stages in {} s; quarter KPIs {}; truth {}", String.format("%.1f", (System.nanoTime() - t0) / 1e9),
        quarter, truth);
  }

  /**
   * The quarter's purchasers re-keyed by the generator's person (identifiers of _truth/persons.csv
   * looked up in silver.identity_map): cross-channel share, online/offline overlap and repurchase
   * rate of the same identified purchases, with the customers the identity stage could not join
   * (a marketplace account bound to no member) counted as one.
   */
  static double[] byPerson() throws IOException {
    Pii pii = Pii.demo();
    List<String> lines = Files.readAllLines(tmp.resolve("exports/_truth/persons.csv"));
    List<Row> rows = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split(",", -1);
      List<String> ids = new ArrayList<>();
      ids.add(f[1].isEmpty() ? null : "member:" + f[1]);
      ids.add(f[2].isEmpty() ? null : "phone:" + f[2]);
      ids.add(f[3].isEmpty() ? null : "email:" + f[3]);
      for (String d : f[4].split("\\|")) {
        ids.add(d.isEmpty() ? null : "device:" + d);
      }
      for (String b : f[5].split("\\|")) {
        String[] kv = b.split(":", 2);
        ids.add(b.isEmpty() ? null : kv[0] + ":" + pii.identifierHash("buyer:" + kv[0], kv[1]));
      }
      ids.stream().filter(java.util.Objects::nonNull).forEach(id -> rows.add(RowFactory.create(id, f[0])));
    }
    SparkSession spark = SparkTestSupport.spark();
    spark.createDataFrame(rows, new StructType().add("identifier", "string").add("person", "string"))
        .createOrReplaceTempView("generated_persons");
    warehouse.read("silver", "identity_map").createOrReplaceTempView("generated_identity_map");
    warehouse.read("silver", "orders").createOrReplaceTempView("generated_orders");
    Row r = spark.sql("WITH customer_person AS (SELECT i.customer_id, min(p.person) AS person, count(DISTINCT p.person) AS persons"
        + " FROM generated_identity_map i JOIN generated_persons p USING (identifier) GROUP BY i.customer_id),"
        + " bought AS (SELECT c.person, collect_set(o.sales_channel) AS channels, collect_set(o.channel_group) AS groups,"
        + " count(DISTINCT o.order_date) AS days, max(c.persons) AS persons FROM generated_orders o JOIN customer_person c"
        + " USING (customer_id) WHERE NOT (o.is_refunded AND o.net_cny <= 0) GROUP BY c.person)"
        + " SELECT avg(CASE WHEN size(channels) >= 2 THEN 1 ELSE 0 END),"
        + " count_if(array_contains(groups, 'online') AND array_contains(groups, 'offline')) / count(*),"
        + " avg(CASE WHEN days >= 2 THEN 1 ELSE 0 END), max(persons) FROM bought").first();
    return new double[] {r.getDouble(0), r.getDouble(1), r.getDouble(2), r.getLong(3)};
  }

  @Test
  void overlapAndCrossChannelPurchasersLandBetweenTheIdentityLimitAndTheTruth() throws IOException {
    double overlap = quarter.get("online_offline_overlap");
    double crossShare = quarter.get("cross_channel_purchaser_share");
    double[] person = byPerson();
    LOG.info("quarter: overlap mart {} / by person {} / truth {}; cross-channel purchasers mart {} / by person {} / truth {};"
        + " repurchase mart {} / by person {} / truth {}", overlap, person[1], truth.get("online_offline_overlap"),
        crossShare, person[0], truth.get("cross_channel_share_of_purchasers"), quarter.get("repurchase_rate"), person[2],
        truth.get("repeat_rate"));
    assertThat(person[3]).as("the identity stage never merges two persons").isEqualTo(1.0);
    // The generator realises overlap and cross-channel share over all orders of each person; the
    // pipeline sees identified orders only (a store ticket without member code or phone is nobody's)
    // and cannot join a marketplace account bound to no member, so each step away from the truth can
    // only lose: mart <= same purchases by person <= truth. (The client's "below 30 %" is a measured
    // figure, asserted on the mart; the world's own overlap is near 0.29 here and 0.31 in the demo.)
    double slack = 0.01; // orders fully refunded are no purchase in the mart; the truth counts them
    assertThat(overlap).as("online/offline overlap").isLessThan(0.30).isLessThanOrEqualTo(person[1] + 1e-9);
    assertThat(person[1]).isLessThanOrEqualTo(truth.get("online_offline_overlap").asDouble() + slack);
    assertThat(crossShare).as("cross-channel purchaser share").isLessThanOrEqualTo(person[0] + 1e-9);
    assertThat(person[0]).isLessThanOrEqualTo(truth.get("cross_channel_share_of_purchasers").asDouble() + slack);
    // And the mart's figures are those of its definition on silver, recomputed here by customer.
    Row direct = SparkTestSupport.spark().sql("SELECT avg(CASE WHEN size(channels) >= 2 THEN 1 ELSE 0 END),"
        + " count_if(array_contains(groups, 'online') AND array_contains(groups, 'offline')) / count(*) FROM ("
        + " SELECT customer_id, collect_set(sales_channel) AS channels, collect_set(channel_group) AS groups"
        + " FROM generated_orders WHERE customer_id IS NOT NULL AND NOT (is_refunded AND net_cny <= 0) GROUP BY customer_id)")
        .first();
    assertThat(crossShare).isCloseTo(direct.getDouble(0), within(1e-9));
    assertThat(overlap).isCloseTo(direct.getDouble(1), within(1e-9));
  }

  /**
   * The demo's headline KPIs (the quarter, as {@code touchpoint demo} prints them) against the
   * client's figures the generator is calibrated to (METRICS.md, "Figures from the client's
   * documents"): online/offline overlap below 30 % and cross-channel purchasers around 42 % "after
   * integration", both as measured, so as the mart sees them: the simulated world has more
   * cross-channel purchasers than that (the truth of this run) and the pipeline sees the share it
   * can link (members' marketplace accounts and devices bound in the CRM, phones and member codes on
   * store tickets). Tolerance: ± 0.05 around 0.40, about three standard errors of a share over the
   * ~1,150 purchasers of this run. Measured: 0.370 and 0.223 (the 50,000-customer demo: see
   * docs/EXPORTS.md). The 3 : 7 store : online experience split is asserted below.
   */
  @Test
  void theHeadlineKpisLandNearTheClientsFigures() {
    assertThat(quarter.get("cross_channel_purchaser_share")).as("cross-channel purchaser share (client: ~42 %%)")
        .isCloseTo(0.40, within(0.05));
    assertThat(quarter.get("online_offline_overlap")).as("online/offline overlap (client: below 30 %%)")
        .isLessThan(0.30).isGreaterThan(0.10);
    assertThat(quarter.get("customers")).as("purchasers of the quarter").isGreaterThan(900.0);
  }

  @Test
  void onlineOrdersAfterAStoreVisitAreCreditedThreeToSeven() {
    // Independently of the attribution job: the identified online orders placed within 14 days
    // after a store_visit touch of the same customer, and their value.
    warehouse.read("silver", "orders").createOrReplaceTempView("generated_orders");
    // The touch log keeps the ids of when each touch landed; the attribution maps absorbed ids, so does this.
    WarehouseState.resolved(warehouse, "silver.touchpoints").createOrReplaceTempView("generated_touches");
    Row experienced = SparkTestSupport.spark().sql("SELECT count(*), sum(greatest(0, CAST(net_cny AS DOUBLE)))"
        + " FROM generated_orders o WHERE o.customer_id IS NOT NULL AND o.channel_group = 'online' AND EXISTS ("
        + " SELECT 1 FROM generated_touches t WHERE t.customer_id = o.customer_id AND t.channel = 'store_visit'"
        + " AND t.event_at <= o.ordered_at AND t.event_at >= o.ordered_at - INTERVAL 14 DAYS)").first();
    Row online = SparkTestSupport.spark().sql("SELECT count(*) FROM generated_orders"
        + " WHERE customer_id IS NOT NULL AND channel_group = 'online'").first();
    // The experience split of the attribution stage, summed over the quarter's conversion dates.
    Row credit = warehouse.read("gold", "attribution_daily").where("model = 'experience_split'").selectExpr(
        "sum(CASE WHEN channel = 'store' AND sales_channel <> 'store' THEN revenue_cny END)",
        "sum(CASE WHEN channel <> 'store' AND sales_channel <> 'store' THEN revenue_cny END)").first();
    double value = experienced.getDouble(1);
    double share = (double) experienced.getLong(0) / online.getLong(0);
    LOG.info("experience split: {} of {} identified online orders follow a store visit ({}; truth over all orders {}),"
        + " worth {} CNY; store credit {} CNY", experienced.getLong(0), online.getLong(0), share,
        truth.get("online_orders_after_store_visit_14d_share"), value, credit.getDouble(0));
    // store : online = 3 : 7 of those orders' value (to the cent per order).
    assertThat(credit.getDouble(0)).as("store credit = 0.3 × their value").isCloseTo(0.3 * value,
        within(0.01 * experienced.getLong(0)));
    assertThat(credit.getDouble(0) / (value - credit.getDouble(0))).isCloseTo(3.0 / 7, within(1e-4));
    // And those are orders the generator made after a store visit. The truth counts all online orders
    // and every store_visit touch of the person; the pipeline sees only the visits whose device is
    // linked to the ordering customer, so it can only find fewer. Seen with the seed and size of this
    // test: 0.325 against a truth of 0.381. (With the generator's earlier, pre-integration
    // identification — 55 % members, 60 % of their bindings before the window — it was 0.205 against
    // 0.341 on 2,000 customers × January; only members bind devices, so more members and earlier
    // bindings link more of the visits.)
    double truthShare = truth.get("online_orders_after_store_visit_14d_share").asDouble();
    assertThat(share).as("share of online orders within 14 days after a store visit (truth %.3f)", truthShare)
        .isLessThanOrEqualTo(truthShare + 0.02).isGreaterThan(0.75 * truthShare);
    assertThat(credit.getDouble(1)).isPositive();
  }

  @Test
  void channelAndAttributedFiguresAddUpToTheQuartersTotals() {
    Row sums = warehouse.read("gold", "kpi").where("period_type = 'quarter' AND period_start = DATE'2026-01-01'"
        + " AND kpi = 'revenue' AND channel <> 'all'").selectExpr("sum(value)").first();
    assertThat(sums.getDouble(0)).as("channel revenue = total revenue").isCloseTo(quarter.get("revenue"), within(0.01));
    Row roi = warehouse.read("gold", "channel_roi").where("period_type = 'quarter' AND period_start = DATE'2026-01-01'"
        + " AND attribution_model = 'markov'").selectExpr("sum(attributed_conversions)", "sum(new_customers)").first();
    long occasions = warehouse.read("silver", "orders").where("customer_id IS NOT NULL AND NOT (is_refunded AND net_cny <= 0)"
        + " AND order_date <= DATE'" + END + "'").select("customer_id", "order_date").distinct().count();
    long everyOccasion = warehouse.read("silver", "orders").where("customer_id IS NOT NULL AND order_date <= DATE'" + END + "'")
        .select("customer_id", "order_date").distinct().count();
    // Journeys convert on every identified customer-day with an order, a fully refunded one included.
    assertThat(roi.getDouble(0)).as("attributed conversions = purchase occasions").isCloseTo(everyOccasion, within(1e-6));
    assertThat(occasions).isLessThanOrEqualTo(everyOccasion);
    assertThat(roi.getDouble(1)).as("attributed new customers = new customers").isCloseTo(quarter.get("new_customers"),
        within(1e-6));
  }

  @Test
  void roiAndCacArePublishedForThePaidChannels() {
    Map<String, Row> markov = new LinkedHashMap<>();
    for (Row r : warehouse.read("gold", "channel_roi").where("period_type = 'quarter' AND period_start = DATE'2026-01-01'"
        + " AND attribution_model = 'markov'").collectAsList()) {
      markov.put(r.getAs("channel"), r);
    }
    for (String paid : new String[] {"search_ads", "social_ads", "content_seeding"}) {
      Row r = markov.get(paid);
      assertThat(r).as(paid).isNotNull();
      assertThat(r.<Double>getAs("spend_cny")).as(paid + " spend").isPositive();
      assertThat(r.<Double>getAs("roi")).as(paid + " roi = (revenue × 0.3 − spend) ÷ spend").isCloseTo(
          (r.<Double>getAs("attributed_revenue_cny") * 0.3 - r.<Double>getAs("spend_cny")) / r.<Double>getAs("spend_cny"),
          within(1e-6));
      assertThat(r.isNullAt(r.fieldIndex("cac_cny"))).as(paid + " has a CAC").isFalse();
    }
    assertThat(quarter).containsKeys("roi", "cac", "ltv_to_cac", "high_value_revenue_share", "identification_rate",
        "data_accuracy", "conversion_rate", "average_touch_frequency", "repurchase_rate_90d", "cross_channel_repurchase_rate");
  }

  /**
   * Average touch frequency of every period and channel (day, week, month, quarter; each channel and
   * {@code all}) counted directly: the identified touches dated in the period over the distinct customers
   * they reached, from the touch log mapped to today's customer ids. Same rows as the mart's, no more.
   */
  @Test
  void touchFrequencyOfEveryPeriodCountsTheCustomersReachedInIt() {
    SparkSession spark = warehouse.spark();
    WarehouseState.resolved(warehouse, "silver.touchpoints").createOrReplaceTempView("resolved_touches");
    warehouse.read("gold", "kpi").createOrReplaceTempView("generated_kpi");
    List<String> counted = SparkTestSupport.content(spark.sql("""
        WITH periods AS (SELECT DISTINCT period_type, period_start, period_end FROM generated_kpi),
        touches AS (
          SELECT p.period_type, p.period_start, t.channel, t.customer_id
          FROM resolved_touches AS t INNER JOIN periods AS p ON t.event_date BETWEEN p.period_start AND p.period_end
          WHERE t.customer_id IS NOT NULL)
        SELECT period_type, period_start, channel, CAST(count(*) AS DOUBLE) AS touches,
          CAST(count(DISTINCT customer_id) AS DOUBLE) AS customers
        FROM touches GROUP BY period_type, period_start, channel
        UNION ALL
        SELECT period_type, period_start, 'all', count(*), count(DISTINCT customer_id)
        FROM touches GROUP BY period_type, period_start"""));
    List<String> published = SparkTestSupport.content(spark.sql("SELECT period_type, period_start, channel, numerator,"
        + " denominator FROM generated_kpi WHERE kpi = 'average_touch_frequency'"));
    assertThat(published).as("average_touch_frequency rows of gold.kpi").isEqualTo(counted);
    assertThat(published).as("every period type").anyMatch(r -> r.startsWith("[day,"))
        .anyMatch(r -> r.startsWith("[week,")).anyMatch(r -> r.startsWith("[month,")).anyMatch(r -> r.startsWith("[quarter,"));
  }

  @Test
  void tablesMdDocumentsEveryColumnOfEveryGoldAndRestrictedTable() {
    Map<String, Map<String, String>> documented = TablesDoc.read();
    Map<String, Map<String, String>> actual = new TreeMap<>();
    for (String t : warehouse.tables()) {
      if (t.startsWith("gold.") || t.startsWith("restricted.")) {
        String[] p = t.split("\\.");
        Map<String, String> columns = new LinkedHashMap<>();
        for (StructField f : warehouse.read(p[0], p[1]).schema().fields()) {
          columns.put(f.name(), f.dataType().simpleString());
        }
        actual.put(t, columns);
      }
    }
    assertThat(actual.keySet()).as("tables of the run").contains("gold.kpi", "gold.channel_roi", "gold.alerts",
        "restricted.customer_value", "gold.clv_model");
    assertThat(documented.keySet()).as("tables in " + TablesDoc.file()).containsAll(actual.keySet());
    actual.forEach((t, columns) -> assertThat(documented.get(t)).as("columns and types of " + t + " in docs/TABLES.md")
        .containsExactlyInAnyOrderEntriesOf(columns));
  }
}
