package io.touchpoint.jobs.attribution;

import io.touchpoint.jobs.support.SparkTestSupport;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Hand-built silver rows, one customer per situation; run date 2026-03-31, window and lookback 30
 * days, so the period is 2026-03-02..2026-03-31. Times are 04:00 UTC (noon in Shanghai) unless
 * stated, so event_date and order_date are the UTC date.
 */
final class AttributionFixtures {
  static final LocalDate RUN_DATE = LocalDate.of(2026, 3, 31);
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  static final StructType TOUCHES = new StructType()
      .add("event_id", DataTypes.StringType).add("event_type", DataTypes.StringType).add("channel", DataTypes.StringType)
      .add("campaign_id", DataTypes.StringType).add("event_at", DataTypes.TimestampType).add("event_date", DataTypes.DateType)
      .add("customer_id", DataTypes.StringType).add("is_identified", DataTypes.BooleanType)
      .add("_export_date", DataTypes.DateType);
  static final StructType ORDERS = new StructType()
      .add("order_id", DataTypes.StringType).add("source", DataTypes.StringType).add("sales_channel", DataTypes.StringType)
      .add("channel_group", DataTypes.StringType).add("ordered_at", DataTypes.TimestampType).add("order_date", DataTypes.DateType)
      .add("customer_id", DataTypes.StringType).add("is_identified", DataTypes.BooleanType)
      .add("gross_cny", DataTypes.createDecimalType(18, 2)).add("refund_cny", DataTypes.createDecimalType(18, 2))
      .add("net_cny", DataTypes.createDecimalType(18, 2)).add("is_refunded", DataTypes.BooleanType);

  private AttributionFixtures() {}

  static Row touch(String customer, String channel, String at) {
    Instant t = Instant.parse(at);
    LocalDate d = t.atZone(SHANGHAI).toLocalDate();
    return RowFactory.create(customer + ":" + channel + ":" + at, "click", channel, null, t, d, customer,
        customer != null, d);
  }

  static Row order(String id, String customer, String salesChannel, String at, double net) {
    Instant t = Instant.parse(at);
    BigDecimal v = BigDecimal.valueOf(net).setScale(2);
    return RowFactory.create(id, "webshop", salesChannel, "store".equals(salesChannel) ? "offline" : "online", t,
        t.atZone(SHANGHAI).toLocalDate(), customer, customer != null, v, BigDecimal.ZERO.setScale(2), v, false);
  }

  /**
   * <pre>
   * lookback_drop  search_ads 02-10, display 03-05, webshop order 03-20 (80)
   *                → "display": search_ads is 38 days before the order (gaps 23 and 15 days keep one journey)
   * reset          email 03-03, store order 03-04 (100), sms 03-06, app order 03-10 (50)
   *                → "email" converts, then a new journey "sms" converts (two conversions)
   * null_journey   social_ads 03-10, display 03-12, no order → "social_ads > display" without conversion (open)
   * same_day       search_ads 03-14, webshop order 03-15 02:00 (30), app_push 03-15 03:00, webshop order 03-15 05:00 (20)
   *                → one purchase occasion "search_ads > app_push", value 50, 2 orders
   * stale_touch    affiliate 02-15, store order 03-20 (40) → 33 days apart: direct conversion; the affiliate
   *                null journey ended 02-15, before the period, so it is not counted
   * direct         jd order 03-25 (60) and no touch → direct conversion
   * store_then_web store_visit 03-20, tmall order 03-25 (200) → "store_visit"; experience split 60 store / 140 tmall
   * outside        an unidentified touch, and a touch and an order after the run date (Shanghai): ignored
   * </pre>
   * Period totals: 7 conversions (2 direct), value 580, 1 null journey.
   */
  static Dataset<Row> touches() {
    List<Row> rows = new ArrayList<>(List.of(
        touch("lookback_drop", "search_ads", "2026-02-10T04:00:00Z"),
        touch("lookback_drop", "display", "2026-03-05T04:00:00Z"),
        touch("reset", "email", "2026-03-03T04:00:00Z"),
        touch("reset", "sms", "2026-03-06T04:00:00Z"),
        touch("null_journey", "social_ads", "2026-03-10T04:00:00Z"),
        touch("null_journey", "display", "2026-03-12T04:00:00Z"),
        touch("same_day", "search_ads", "2026-03-14T04:00:00Z"),
        touch("same_day", "app_push", "2026-03-15T03:00:00Z"),
        touch("stale_touch", "affiliate", "2026-02-15T04:00:00Z"),
        touch("store_then_web", "store_visit", "2026-03-20T04:00:00Z"),
        touch(null, "display", "2026-03-20T04:00:00Z"),
        touch("outside", "email", "2026-03-31T17:00:00Z")));
    return SparkTestSupport.spark().createDataFrame(rows, TOUCHES);
  }

  static Dataset<Row> orders() {
    List<Row> rows = List.of(
        order("o1", "lookback_drop", "webshop", "2026-03-20T04:00:00Z", 80),
        order("o2", "reset", "store", "2026-03-04T04:00:00Z", 100),
        order("o3", "reset", "app", "2026-03-10T04:00:00Z", 50),
        order("o4", "same_day", "webshop", "2026-03-15T02:00:00Z", 30),
        order("o5", "same_day", "webshop", "2026-03-15T05:00:00Z", 20),
        order("o6", "stale_touch", "store", "2026-03-20T04:00:00Z", 40),
        order("o7", "direct", "jd", "2026-03-25T04:00:00Z", 60),
        order("o8", "store_then_web", "tmall", "2026-03-25T04:00:00Z", 200),
        order("o9", "outside", "tmall", "2026-04-01T04:00:00Z", 70),
        order("o10", null, "tmall", "2026-03-21T04:00:00Z", 90));
    return SparkTestSupport.spark().createDataFrame(rows, ORDERS);
  }
}
