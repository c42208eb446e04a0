package io.touchpoint.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code silver.identification_rate}: one row per order date and sales channel — orders (and net
 * revenue) linked to an identified customer ÷ all orders (METRICS.md "identification rate").
 */
public final class IdentificationRate {
  private IdentificationRate() {}

  public static Dataset<Row> build(Dataset<Row> orders) {
    Column identified = col("is_identified");
    return orders.groupBy("order_date", "sales_channel").agg(
            count(lit(1)).as("count_orders"),
            sum(when(identified, 1).otherwise(0)).cast("long").as("count_identified_orders"),
            sum("net_cny").cast("decimal(18,2)").as("net_revenue_cny"),
            sum(when(identified, col("net_cny")).otherwise(lit(0))).cast("decimal(18,2)").as("identified_net_revenue_cny"))
        .select(col("order_date"), col("sales_channel"), col("count_orders"), col("count_identified_orders"),
            col("net_revenue_cny"), col("identified_net_revenue_cny"),
            col("count_identified_orders").divide(col("count_orders")).as("identification_rate"));
  }
}
