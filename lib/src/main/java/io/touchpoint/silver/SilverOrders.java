package io.touchpoint.silver;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.when;

import io.touchpoint.identity.IdentityEdges;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code silver.orders}: one row per order over all sales channels, normalised (UTC timestamps,
 * CNY, order_id prefixed by its system), refunds netted on the order they refund
 * ({@code net_cny = gross_cny − refund_cny}, {@code is_refunded}), with the resolved customer.
 *
 * <p>Sales rows and refund rows are first brought to one shape ({@link #sales} / {@link #refunds});
 * {@link #build} then keeps the earliest delivery of each order and sums its refunds.
 */
public final class SilverOrders {
  public static final String ZONE = "Asia/Shanghai";

  private SilverOrders() {}

  /** Common shape of a sale: order_id, source, sales_channel, ordered_at, gross_cny, ..., primary identifier. */
  public static Dataset<Row> sales(Dataset<Row> pos, Dataset<Row> webshop, Dataset<Row> marketplace) {
    Dataset<Row> p = pos.filter(col("original_ticket_id").isNull())
        .select(concat(lit("pos:"), col("ticket_id")).as("order_id"), lit("pos").as("source"),
            lit("store").as("sales_channel"), col("ticket_at").as("ordered_at"), col("amount_cny").as("gross_cny"),
            col("items"), col("payment_method"), lit(null).cast("string").as("coupon"), col("store_id"),
            identifier(IdentityEdges.identifier("member", col("member_id")), IdentityEdges.identifier("phone", col("phone_hash"))),
            col("_export_date"), col("_source_file"), col("_row_number"));
    Dataset<Row> w = webshop.filter(col("record_type").equalTo("order"))
        .select(concat(lit("webshop:"), col("order_id")).as("order_id"), lit("webshop").as("source"),
            col("sales_channel"), col("created_at").as("ordered_at"), col("total_cny").as("gross_cny"),
            lit(null).cast("int").as("items"), lit(null).cast("string").as("payment_method"), col("coupon"),
            lit(null).cast("string").as("store_id"),
            identifier(IdentityEdges.identifier("member", col("member_id")), IdentityEdges.identifier("phone", col("phone_hash")),
                IdentityEdges.identifier("device", col("device_id"))),
            col("_export_date"), col("_source_file"), col("_row_number"));
    Dataset<Row> m = marketplace
        .select(concat(col("platform"), lit(":"), col("order_id")).as("order_id"), lit("marketplace").as("source"),
            col("platform").as("sales_channel"), col("ordered_at"), col("amount_paid_cny").as("gross_cny"),
            lit(null).cast("int").as("items"), lit(null).cast("string").as("payment_method"),
            lit(null).cast("string").as("coupon"), lit(null).cast("string").as("store_id"),
            concat(col("platform"), lit(":"), col("buyer_hash")).as("identifier"),
            col("_export_date"), col("_source_file"), col("_row_number"));
    return p.unionByName(w).unionByName(m);
  }

  /**
   * Refund amounts (positive CNY) per refunded order. POS and web shop refunds are their own
   * rows and add up; a marketplace row reports the order's refunded total so far (the maximum wins).
   */
  public static Dataset<Row> refunds(Dataset<Row> pos, Dataset<Row> webshop, Dataset<Row> marketplace) {
    Dataset<Row> p = pos.filter(col("original_ticket_id").isNotNull())
        .select(concat(lit("pos:"), col("original_ticket_id")).as("order_id"), col("amount_cny").multiply(-1).as("refund_cny"),
            col("_export_date"));
    Dataset<Row> w = webshop.filter(col("record_type").equalTo("refund"))
        .select(concat(lit("webshop:"), col("original_order_id")).as("order_id"), col("total_cny").multiply(-1).as("refund_cny"),
            col("_export_date"));
    Dataset<Row> additive = p.unionByName(w).groupBy("order_id")
        .agg(sum("refund_cny").as("refund_cny"), max("_export_date").as("refund_export_date"));
    Dataset<Row> m = marketplace.filter(col("refund_cny").gt(0))
        .select(concat(col("platform"), lit(":"), col("order_id")).as("order_id"), col("refund_cny"), col("_export_date"))
        .groupBy("order_id").agg(max("refund_cny").as("refund_cny"), max("_export_date").as("refund_export_date"));
    return additive.unionByName(m);
  }

  /**
   * @param sales rows of {@link #sales} for the orders to (re)build (any number of deliveries each)
   * @param refunds rows of {@link #refunds} for the same orders
   * @param identityMap {@code silver.identity_map}
   */
  public static Dataset<Row> build(Dataset<Row> sales, Dataset<Row> refunds, Dataset<Row> identityMap) {
    Column delivery = struct(col("_export_date"), col("_source_file"), col("_row_number"));
    Dataset<Row> firstDelivery = sales.groupBy("order_id").agg(
        min_by(struct(col("source"), col("sales_channel"), col("ordered_at"), col("gross_cny"), col("items"),
            col("payment_method"), col("coupon"), col("store_id"), col("identifier"), col("_export_date")), delivery).as("o"));
    Dataset<Row> orders = firstDelivery.select(col("order_id"), col("o.*"));
    Column refund = coalesce(col("refund_cny"), lit(0).cast("decimal(18,2)"));
    return orders.join(refunds.select("order_id", "refund_cny"), "order_id", "left")
        .join(identityMap.select(col("identifier"), col("customer_id")), "identifier", "left")
        .select(
            col("order_id"), col("source"), col("sales_channel"),
            when(col("sales_channel").equalTo("store"), lit("offline")).otherwise(lit("online")).as("channel_group"),
            col("ordered_at"),
            to_date(from_utc_timestamp(col("ordered_at"), ZONE)).as("order_date"),
            col("customer_id"),
            col("customer_id").isNotNull().as("is_identified"),
            col("gross_cny").cast("decimal(18,2)").as("gross_cny"),
            greatest(lit(0), refund).cast("decimal(18,2)").as("refund_cny"),
            col("gross_cny").minus(refund).cast("decimal(18,2)").as("net_cny"),
            refund.gt(0).as("is_refunded"),
            col("items"), col("payment_method"), col("coupon"), col("store_id"),
            col("_export_date").as("first_export_date"));
  }

  /** Refunds whose order is not in bronze: kept in {@code silver.unmatched_refunds}, never dropped. */
  public static Dataset<Row> unmatched(Dataset<Row> refunds, Dataset<Row> sales) {
    return refunds.join(sales.select("order_id").distinct(), "order_id", "left_anti")
        .select(col("order_id"), col("refund_cny").cast("decimal(18,2)").as("refund_cny"), col("refund_export_date"));
  }

  private static Column identifier(Column... candidates) {
    return coalesce(candidates).as("identifier");
  }

}
