package io.touchpoint.jobs.serve;

import io.touchpoint.jobs.attribution.AttributionJob;
import io.touchpoint.jobs.spark.TableWriter;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * A small warehouse written the way a nightly run writes it, built once per test JVM: a hand-built
 * silver fixture, the real attribution job for two run dates (gold.attribution_* are partitioned
 * by run_date) and a customer-level restricted.customer_value.
 * <pre>
 * customer  touches (04:00 UTC, noon in Shanghai)   orders
 * A         search_ads 03-20                         webshop 03-25, 100.00
 * B         email 03-22, display 03-23               app 03-26, 50.00
 * C         social_ads 03-24                         none: a journey without conversion
 * D         none                                     jd 03-27, 30.00: a direct conversion
 * </pre>
 * Both periods (run dates 03-30 and 03-31, 30-day window) hold all of it, so on each run date
 * every model credits 3 conversions (1 of them direct) worth 180.00 in all.
 */
final class GoldFixture {
  static final List<LocalDate> RUN_DATES = List.of(LocalDate.of(2026, 3, 30), LocalDate.of(2026, 3, 31));
  static final int CONVERSIONS_PER_RUN_DATE = 3;
  static final double REVENUE_PER_RUN_DATE = 180.0;

  private static Warehouse warehouse;

  private GoldFixture() {}

  static synchronized Warehouse warehouse() {
    if (warehouse == null) {
      warehouse = build(tempDir());
    }
    return warehouse;
  }

  private static Warehouse build(Path dir) {
    SparkSession spark = SparkTestSupport.spark();
    Warehouse w = new Warehouse(spark, dir.resolve("warehouse").toString());
    spark.sql("""
        SELECT concat(customer_id, ':', channel) AS event_id, 'click' AS event_type, channel,
               CAST(NULL AS STRING) AS campaign_id, event_at, to_date(from_utc_timestamp(event_at, 'Asia/Shanghai')) AS event_date,
               customer_id, true AS is_identified, to_date(from_utc_timestamp(event_at, 'Asia/Shanghai')) AS _export_date
        FROM VALUES ('A', 'search_ads', TIMESTAMP'2026-03-20 04:00:00'), ('B', 'email', TIMESTAMP'2026-03-22 04:00:00'),
                    ('B', 'display', TIMESTAMP'2026-03-23 04:00:00'), ('C', 'social_ads', TIMESTAMP'2026-03-24 04:00:00')
             AS t(customer_id, channel, event_at)""")
        .write().format("delta").save(w.path("silver", "touchpoints"));
    spark.sql("""
        SELECT order_id, 'webshop' AS source, sales_channel, 'online' AS channel_group, ordered_at,
               to_date(from_utc_timestamp(ordered_at, 'Asia/Shanghai')) AS order_date, customer_id, true AS is_identified,
               CAST(net AS DECIMAL(18,2)) AS gross_cny, CAST(0 AS DECIMAL(18,2)) AS refund_cny,
               CAST(net AS DECIMAL(18,2)) AS net_cny, false AS is_refunded
        FROM VALUES ('oA', 'webshop', TIMESTAMP'2026-03-25 04:00:00', 'A', 100.0), ('oB', 'app', TIMESTAMP'2026-03-26 04:00:00', 'B', 50.0),
                    ('oD', 'jd', TIMESTAMP'2026-03-27 04:00:00', 'D', 30.0)
             AS t(order_id, sales_channel, ordered_at, customer_id, net)""")
        .write().format("delta").save(w.path("silver", "orders"));
    for (LocalDate d : RUN_DATES) {
      new AttributionJob(w, "fixture-" + d).run(AttributionJob.Options.defaults(d));
    }
    new TableWriter(w, "fixture", "test").replaceWhere(spark.sql("""
        SELECT customer_id, CAST(clv AS DOUBLE) AS clv_12m_cny, DATE'2026-03-31' AS run_date
        FROM VALUES ('C1f0e2d3c4b5a6978', 120.5), ('C0a1b2c3d4e5f6071', 33.0) AS t(customer_id, clv)"""),
        "restricted", "customer_value", "run_date = DATE'2026-03-31'", List.of("run_date"));
    return w;
  }

  private static Path tempDir() {
    try {
      Path dir = Files.createTempDirectory("touchpoint-gold-fixture");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at JVM exit
    }
  }
}
