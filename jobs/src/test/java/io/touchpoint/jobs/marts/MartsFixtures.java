package io.touchpoint.jobs.marts;

import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import io.touchpoint.silver.IdentificationRate;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A hand-built warehouse for the marts, run date 2026-03-31 (a Tuesday; its week starts Monday
 * 03-30). Orders at 04:00 UTC (noon in Shanghai), so order_date is the UTC date.
 *
 * <pre>
 * customer  order  date   channel  net   notes
 * A         a1     03-02  store    100   first purchase (new in March)
 * A         a2     03-10  app       50   repeat store → app (cross-channel)
 * A         a3     03-20  app       70   repeat app → app
 * B         b1     02-15  webshop   80   first purchase, in February
 * B         b2     03-05  store    120   repeat webshop → store (previous occasion before March)
 * C         c1     03-03  store     60   first purchase ...
 * C         c2     03-03  store     40   ... same day: one occasion of 2 orders
 * C         c3     03-25  store     90   repeat store → store
 * D         d1     03-12  tmall      0   gross 200, fully refunded: not a purchase, D is no customer
 * (none)    e1     03-15  jd        30   unidentified
 * F         f1     03-18  jd       150   02:00 UTC, first purchase; the day's first order → occasion channel jd
 * F         f2     03-18  store     50   06:00 UTC, same occasion
 * G         g1     03-30  webshop   40   first purchase, in the run date's week
 * </pre>
 * March: revenue 800, GMV 1,000, 11 purchase orders, purchasers A B C F G (5), purchase occasions
 * of identified customers 8 (A 3, B 1, C 2, F 1, G 1) worth 770 (the unidentified 30 left out).
 *
 * <p>Attribution credits (Markov, order 1), as the attribution stage would write them:
 * a1 search_ads; a2 email ½ + search_ads ½; a3 direct; b2 direct; c1+c2 social_ads; c3 direct;
 * f1+f2 search_ads (200); g1 social_ads. First purchases: A search_ads, C social_ads, F search_ads,
 * G social_ads (March), B direct (February).
 * Spend: search_ads 100 on 03-01 and 03-15 (200), 50 on 02-10; social_ads 150 on 03-10; email 10 on 03-10.
 * CLV snapshot 2026-03-31: A 300 (new, high value), B 200 (active), C 100 (new), F 500 (new, high
 * value, at risk: P(alive) 0.4), G 50 (new).
 */
public final class MartsFixtures {
  public static final LocalDate RUN_DATE = LocalDate.of(2026, 3, 31);

  static final StructType ORDERS = new StructType()
      .add("order_id", DataTypes.StringType).add("source", DataTypes.StringType).add("sales_channel", DataTypes.StringType)
      .add("channel_group", DataTypes.StringType).add("ordered_at", DataTypes.TimestampType).add("order_date", DataTypes.DateType)
      .add("customer_id", DataTypes.StringType).add("is_identified", DataTypes.BooleanType)
      .add("gross_cny", DataTypes.createDecimalType(18, 2)).add("refund_cny", DataTypes.createDecimalType(18, 2))
      .add("net_cny", DataTypes.createDecimalType(18, 2)).add("is_refunded", DataTypes.BooleanType);
  static final StructType TOUCHES = new StructType()
      .add("event_id", DataTypes.StringType).add("event_type", DataTypes.StringType).add("channel", DataTypes.StringType)
      .add("campaign_id", DataTypes.StringType).add("event_at", DataTypes.TimestampType).add("event_date", DataTypes.DateType)
      .add("customer_id", DataTypes.StringType).add("is_identified", DataTypes.BooleanType)
      .add("_export_date", DataTypes.DateType);
  static final StructType SPEND = new StructType()
      .add("spend_date", DataTypes.DateType).add("channel", DataTypes.StringType).add("campaign_id", DataTypes.StringType)
      .add("spend_cny", DataTypes.createDecimalType(18, 2)).add("impressions", DataTypes.LongType)
      .add("clicks", DataTypes.LongType);
  static final StructType LOG = new StructType()
      .add("run_id", DataTypes.StringType).add("table_name", DataTypes.StringType).add("export_date", DataTypes.DateType)
      .add("source_file", DataTypes.StringType).add("checksum", DataTypes.StringType).add("bytes", DataTypes.LongType)
      .add("rows_read", DataTypes.LongType).add("rows_accepted", DataTypes.LongType).add("rows_rejected", DataTypes.LongType)
      .add("encoding", DataTypes.StringType).add("notes", DataTypes.StringType).add("status", DataTypes.StringType)
      .add("ingested_at", DataTypes.TimestampType);

  private MartsFixtures() {}

  static Row order(String id, String customer, String channel, String date, double net, double gross, String utcTime) {
    Instant at = Instant.parse(date + "T" + utcTime + "Z");
    return RowFactory.create(id, "fixture", channel, channel.equals("store") ? "offline" : "online", at,
        LocalDate.parse(date), customer, customer != null, money(gross), money(gross - net), money(net), gross > net);
  }

  static Row order(String id, String customer, String channel, String date, double net) {
    return order(id, customer, channel, date, net, net, "04:00:00");
  }

  static BigDecimal money(double v) {
    return BigDecimal.valueOf(v).setScale(2, java.math.RoundingMode.HALF_EVEN);
  }

  static Dataset<Row> orders() {
    return spark().createDataFrame(List.of(
        order("a1", "A", "store", "2026-03-02", 100),
        order("a2", "A", "app", "2026-03-10", 50),
        order("a3", "A", "app", "2026-03-20", 70),
        order("b1", "B", "webshop", "2026-02-15", 80),
        order("b2", "B", "store", "2026-03-05", 120),
        order("c1", "C", "store", "2026-03-03", 60),
        order("c2", "C", "store", "2026-03-03", 40),
        order("c3", "C", "store", "2026-03-25", 90),
        order("d1", "D", "tmall", "2026-03-12", 0, 200, "04:00:00"),
        order("e1", null, "jd", "2026-03-15", 30),
        order("f1", "F", "jd", "2026-03-18", 150, 150, "02:00:00"),
        order("f2", "F", "store", "2026-03-18", 50, 50, "06:00:00"),
        order("g1", "G", "webshop", "2026-03-30", 40)), ORDERS);
  }

  static Row touch(String customer, String channel, String date) {
    Instant at = Instant.parse(date + "T03:00:00Z");
    return RowFactory.create(customer + channel + date, "click", channel, null, at, LocalDate.parse(date), customer,
        customer != null, LocalDate.parse(date));
  }

  /** search_ads: A twice, F once, one unidentified touch; social_ads: C once. */
  static Dataset<Row> touches() {
    return spark().createDataFrame(List.of(
        touch("A", "search_ads", "2026-03-01"),
        touch("A", "search_ads", "2026-03-02"),
        touch("F", "search_ads", "2026-03-17"),
        touch(null, "search_ads", "2026-03-05"),
        touch("C", "social_ads", "2026-03-03")), TOUCHES);
  }

  static Row spend(String date, String channel, double cny) {
    return RowFactory.create(LocalDate.parse(date), channel, channel.toUpperCase() + "-1", money(cny), 1000L, 10L);
  }

  static Dataset<Row> spend() {
    return spark().createDataFrame(List.of(
        spend("2026-02-10", "search_ads", 50),
        spend("2026-03-01", "search_ads", 100),
        spend("2026-03-15", "search_ads", 100),
        spend("2026-03-10", "social_ads", 150),
        spend("2026-03-10", "email", 10)), SPEND);
  }

  static Row log(String table, String date, String file, long read, long accepted, String ingestedAt) {
    return RowFactory.create("run", table, LocalDate.parse(date), file, "sha", 1L, read, accepted, read - accepted, "UTF-8",
        null, "ingested", Instant.parse(ingestedAt));
  }

  /**
   * 03-30: pos 500/500, webshop 100/100. 03-31: pos delivered twice, 900/1000 then 970/1000 (the
   * later delivery counts), webshop 200/200: pos 0.97, all 1170/1200 = 0.975.
   */
  static Dataset<Row> ingestionLog() {
    return spark().createDataFrame(List.of(
        log("pos__tickets", "2026-03-30", "pos/2026-03-30/tickets.csv", 500, 500, "2026-03-30T20:00:00Z"),
        log("webshop__orders", "2026-03-30", "webshop/2026-03-30/orders.jsonl", 100, 100, "2026-03-30T20:00:00Z"),
        log("pos__tickets", "2026-03-31", "pos/2026-03-31/tickets.csv", 1000, 900, "2026-03-31T20:00:00Z"),
        log("pos__tickets", "2026-03-31", "pos/2026-03-31/tickets.csv", 1000, 970, "2026-03-31T22:00:00Z"),
        log("webshop__orders", "2026-03-31", "webshop/2026-03-31/orders.jsonl", 200, 200, "2026-03-31T20:00:00Z")), LOG);
  }

  static Row credit(String date, String salesChannel, String channel, double conversions, double revenue) {
    return RowFactory.create(RUN_DATE, LocalDate.parse(date), salesChannel, "markov", 1, channel, conversions, revenue);
  }

  static Dataset<Row> attributionDaily() {
    return spark().createDataFrame(List.of(
        credit("2026-03-02", "store", "search_ads", 1, 100),
        credit("2026-03-10", "app", "email", 0.5, 25),
        credit("2026-03-10", "app", "search_ads", 0.5, 25),
        credit("2026-03-20", "app", "direct", 1, 70),
        credit("2026-03-05", "store", "direct", 1, 120),
        credit("2026-03-03", "store", "social_ads", 1, 100),
        credit("2026-03-25", "store", "direct", 1, 90),
        credit("2026-03-18", "jd", "search_ads", 1, 200),
        credit("2026-03-30", "webshop", "social_ads", 1, 40)),
        StructType.fromDDL(MartsJob.OPTIONAL.get("gold.attribution_daily")));
  }

  static Dataset<Row> journeysDaily() {
    return spark().createDataFrame(List.of(
            RowFactory.create(RUN_DATE, LocalDate.of(2026, 3, 10), "search_ads", 4L, 2L),
            RowFactory.create(RUN_DATE, LocalDate.of(2026, 3, 10), "all", 5L, 3L)),
        StructType.fromDDL(MartsJob.OPTIONAL.get("gold.attribution_journeys_daily")));
  }

  static Row firstPurchase(String customer, String date, String channel) {
    return RowFactory.create(RUN_DATE, customer, LocalDate.parse(date), "markov", 1, channel, 1.0, 0.0);
  }

  static Dataset<Row> firstPurchases() {
    return spark().createDataFrame(List.of(
        firstPurchase("A", "2026-03-02", "search_ads"),
        firstPurchase("C", "2026-03-03", "social_ads"),
        firstPurchase("F", "2026-03-18", "search_ads"),
        firstPurchase("G", "2026-03-30", "social_ads"),
        firstPurchase("B", "2026-02-15", "direct")),
        StructType.fromDDL(MartsJob.OPTIONAL.get("restricted.first_purchase_credit")));
  }

  static Row value(String customer, double clv, double pAlive, String segment, boolean highValue) {
    return RowFactory.create(RUN_DATE, customer, clv, pAlive, segment, highValue, highValue && pAlive < 0.5);
  }

  static Dataset<Row> customerValue() {
    return spark().createDataFrame(List.of(
        value("A", 300, 0.9, "new", true),
        value("B", 200, 0.8, "active", false),
        value("C", 100, 0.7, "new", false),
        value("F", 500, 0.4, "new", true),
        value("G", 50, 0.95, "new", false)),
        StructType.fromDDL(MartsJob.OPTIONAL.get("restricted.customer_value")));
  }

  /** Writes every input table of the marts into the warehouse. */
  public static void write(Warehouse w, boolean withClv) {
    Dataset<Row> orders = orders();
    save(orders, w, "silver", "orders");
    save(touches(), w, "silver", "touchpoints");
    save(spend(), w, "silver", "ad_spend");
    save(IdentificationRate.build(orders), w, "silver", "identification_rate");
    save(ingestionLog(), w, "ops", "ingestion_log");
    save(attributionDaily(), w, "gold", "attribution_daily");
    save(journeysDaily(), w, "gold", "attribution_journeys_daily");
    save(firstPurchases(), w, "restricted", "first_purchase_credit");
    if (withClv) {
      save(customerValue(), w, "restricted", "customer_value");
    }
  }

  private static void save(Dataset<Row> df, Warehouse w, String schema, String table) {
    df.coalesce(1).write().format("delta").save(w.path(schema, table));
  }

  private static SparkSession spark() {
    return SparkTestSupport.spark();
  }
}
