package io.touchpoint.jobs.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.touchpoint.ingest.BronzeTable;
import io.touchpoint.jobs.identity.IdentityJob;
import io.touchpoint.jobs.spark.DateSpan;
import io.touchpoint.jobs.spark.TableWriter;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.silver.IdentificationRate;
import io.touchpoint.silver.SilverCustomers;
import io.touchpoint.silver.SilverOrders;
import io.touchpoint.silver.SilverTouchpoints;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the silver layer for the run's export dates, idempotently:
 * <ul>
 *   <li>{@code silver.orders} — MERGE on order_id of every order sold or refunded in the batch,
 *       recomputed from all its bronze deliveries (so late refunds net correctly);</li>
 *   <li>{@code silver.unmatched_refunds} — refunds whose order is unknown (never dropped), cleared once the
 *       order arrives late;</li>
 *   <li>{@code silver.touchpoints} — replaceWhere on the batch's export dates;</li>
 *   <li>{@code silver.ad_spend} — replaceWhere on spend_date (one row per date, channel, campaign);</li>
 *   <li>{@code silver.customers} — recomputed whole from the identity map, CRM and orders;</li>
 *   <li>{@code silver.identification_rate} — per order date and sales channel, recomputed whole.</li>
 * </ul>
 */
public final class SilverJob {
  private static final Logger LOG = LoggerFactory.getLogger(SilverJob.class);

  private final Warehouse warehouse;
  private final TableWriter writer;

  public SilverJob(Warehouse warehouse, String runId) {
    this.warehouse = warehouse;
    this.writer = new TableWriter(warehouse, runId, "silver");
  }

  public void run(List<LocalDate> dates) {
    warehouse.spark().sparkContext().setJobGroup("silver", "silver " + DateSpan.of(dates), false);
    String dateList = dates.stream().map(d -> "DATE'" + d + "'").collect(Collectors.joining(","));
    String inDates = "_export_date IN (" + dateList + ")";
    Dataset<Row> identity = warehouse.read("silver", IdentityJob.MAP);

    Dataset<Row> pos = bronze(BronzeTable.POS_TICKETS);
    Dataset<Row> web = bronze(BronzeTable.WEBSHOP_ORDERS);
    Dataset<Row> market = bronze(BronzeTable.MARKETPLACE_ORDERS);
    Dataset<Row> batchSales = SilverOrders.sales(pos.where(inDates), web.where(inDates), market.where(inDates));
    Dataset<Row> batchRefunds = SilverOrders.refunds(pos.where(inDates), web.where(inDates), market.where(inDates));
    Dataset<Row> affected = batchSales.select("order_id").union(batchRefunds.select("order_id")).distinct();
    String since = deliveriesSince(dates, batchSales, batchRefunds);
    Dataset<Row> sales = SilverOrders.sales(pos.where(since), web.where(since), market.where(since)).join(affected, "order_id", "left_semi");
    Dataset<Row> refunds = SilverOrders.refunds(pos.where(since), web.where(since), market.where(since))
        .join(affected, "order_id", "left_semi");
    writer.upsert(SilverOrders.build(sales, refunds, identity), "silver", "orders", List.of("order_id"), List.of());
    Dataset<Row> unmatched = SilverOrders.unmatched(refunds, sales);
    writer.upsert(unmatched, "silver", "unmatched_refunds", List.of("order_id"), List.of());
    // A refund parked here leaves once its order has arrived (late): the order now nets it.
    writer.deleteMatching(sales.select("order_id").distinct(), "silver", "unmatched_refunds", List.of("order_id"));

    Dataset<Row> events = bronze(BronzeTable.TOUCHPOINT_EVENTS).where(inDates);
    writer.replaceWhere(SilverTouchpoints.build(events, identity), "silver", "touchpoints", inDates, List.of("_export_date"));

    Dataset<Row> spend = bronze(BronzeTable.AD_SPEND).where(inDates)
        .select(col("spend_date"), col("channel"), col("campaign_id"), col("spend_cny"), col("impressions"), col("clicks"));
    writer.replaceWhere(spend, "silver", "ad_spend", "spend_date IN (" + dateList + ")", List.of());

    Dataset<Row> orders = warehouse.read("silver", "orders");
    writer.overwrite(SilverCustomers.build(identity, bronze(BronzeTable.CRM_MEMBERS), orders), "silver", "customers");
    writer.overwrite(IdentificationRate.build(orders), "silver", "identification_rate");
    LOG.info("silver: orders, touchpoints, ad_spend and customers written for {} date(s)", dates.size());
  }

  /**
   * The bronze partitions that hold every delivery of the batch's orders, as a filter on {@code
   * _export_date}. An order's deliveries all lie on or after its order date: ingest holds a POS or
   * web-shop sale to its export date (WRONG_DATE), a refund comes after its sale, and a marketplace
   * row restating an order (a refund) repeats the order's creation time. So the bound is the oldest
   * order date among the batch's sale rows (a restated marketplace order brings its own date) and
   * the orders its POS and web-shop refunds refund, which {@code silver.orders} dates. A refund of
   * an order silver has never seen (its sale not delivered, or older than the warehouse) could have
   * earlier refund deliveries anywhere, so then every partition is read. With this bound a nightly
   * reads the days since its oldest touched order (the refund window), not the whole history.
   */
  private String deliveriesSince(List<LocalDate> dates, Dataset<Row> batchSales, Dataset<Row> batchRefunds) {
    LocalDate since = dates.stream().min(LocalDate::compareTo).orElseThrow();
    Row sold = batchSales.agg(min(to_date(from_utc_timestamp(col("ordered_at"), SilverOrders.ZONE)))).first();
    if (!sold.isNullAt(0)) {
      since = java.util.Collections.min(List.of(since, (LocalDate) sold.get(0)));
    }
    Dataset<Row> refundOnly = batchRefunds.select("order_id").distinct()
        .join(batchSales.select("order_id"), "order_id", "left_anti");
    if (!warehouse.exists("silver", "orders")) {
      return refundOnly.isEmpty() ? "_export_date >= DATE'" + since + "'" : "true";
    }
    Row known = refundOnly.join(warehouse.read("silver", "orders").select("order_id", "order_date"), "order_id", "left")
        .agg(min("order_date"), count(when(col("order_date").isNull(), 1))).first();
    if (known.getLong(1) > 0) {
      LOG.info("silver: {} refund(s) of orders not in silver.orders; reading every bronze partition for them", known.getLong(1));
      return "true";
    }
    if (!known.isNullAt(0)) {
      since = java.util.Collections.min(List.of(since, (LocalDate) known.get(0)));
    }
    return "_export_date >= DATE'" + since + "'";
  }

  private Dataset<Row> bronze(BronzeTable t) {
    StructType schema = t.schema();
    return warehouse.readOrEmpty("bronze", t.tableName(), schema);
  }
}
