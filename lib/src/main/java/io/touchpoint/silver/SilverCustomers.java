package io.touchpoint.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.substring_index;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code silver.customers}: one row per resolved customer (buyers and touch-only prospects), with
 * identifier counts (no identifier values), CRM attributes and order aggregates.
 */
public final class SilverCustomers {
  private SilverCustomers() {}

  public static Dataset<Row> build(Dataset<Row> identityMap, Dataset<Row> crmMembers, Dataset<Row> orders) {
    Dataset<Row> ids = identityMap.groupBy("customer_id").agg(
        min("first_seen_date").as("first_seen_date"),
        count(lit(1)).as("count_identifiers"),
        sum(when(col("identifier_type").equalTo("member"), 1).otherwise(0)).as("count_member_ids"),
        sum(when(col("identifier_type").equalTo("phone"), 1).otherwise(0)).as("count_phones"),
        sum(when(col("identifier_type").equalTo("device"), 1).otherwise(0)).as("count_devices"),
        sum(when(col("identifier_type").isin("tmall", "jd", "pinduoduo", "douyin_shop"), 1).otherwise(0)).as("count_marketplace_accounts"),
        min(when(col("identifier_type").equalTo("member"), substring_index(col("identifier"), ":", -1))).as("member_id"));
    Dataset<Row> members = crmMembers.groupBy("member_id").agg(
        max_by(col("tier"), col("updated_at")).as("tier"),
        min("registered_at").as("registered_at"),
        min_by(col("registration_channel"), col("registered_at")).as("registration_channel"));
    Dataset<Row> buying = orders.filter(col("customer_id").isNotNull()).groupBy("customer_id").agg(
        min("ordered_at").as("first_order_at"),
        min_by(col("sales_channel"), col("ordered_at")).as("first_order_channel"),
        max("ordered_at").as("last_order_at"),
        count(lit(1)).as("count_orders"),
        countDistinct("order_date").as("count_purchase_occasions"),
        sum("net_cny").cast("decimal(18,2)").as("net_revenue_cny"));
    return ids.join(members, "member_id", "left").join(buying, "customer_id", "left")
        .select(col("customer_id"), col("first_seen_date"), col("count_identifiers"), col("count_member_ids"),
            col("count_phones"), col("count_devices"), col("count_marketplace_accounts"),
            col("member_id").isNotNull().as("is_member"), col("member_id"), col("tier"), col("registered_at"),
            col("registration_channel"), col("first_order_at"), col("first_order_channel"), col("last_order_at"),
            coalesce(col("count_orders"), lit(0L)).as("count_orders"),
            coalesce(col("count_purchase_occasions"), lit(0L)).as("count_purchase_occasions"),
            coalesce(col("net_revenue_cny"), lit(0).cast("decimal(18,2)")).as("net_revenue_cny"));
  }
}
