package io.touchpoint.customervalue;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The inputs of the customer value models, from {@code silver.orders} up to a run date (pure
 * transforms, no actions). Conventions (docs/CLV.md, METRICS.md "Customer value"):
 * <ul>
 *   <li>orders without a customer_id (unidentified) are left out, and so are orders after the run
 *       date: calibration ends at the end of the run date (business date, Asia/Shanghai);</li>
 *   <li>a fully refunded order (is_refunded and net_cny &lt;= 0) is not a purchase and is left
 *       out, so a customer whose every order was refunded is not scored at all; a zero-value order
 *       that was not refunded (e.g. fully discounted) is a purchase, as in CDNOW;</li>
 *   <li>a purchase occasion is a customer-day with at least one purchase, valued at the net of
 *       that day's purchases, summed;</li>
 *   <li>frequency x = occasions - 1; recency t_x = days from the first to the last occasion / 7;
 *       age T = days from the first occasion to the run date / 7 (weeks);</li>
 *   <li>monetary = mean net value of the repeat occasions (the first excluded), null when x = 0;</li>
 *   <li>acquisition channel = sales_channel of the first order (by ordered_at, then order_id) of
 *       the first occasion.</li>
 * </ul>
 */
public final class ClvFeatures {
  public static final double DAYS_PER_WEEK = 7.0;

  private ClvFeatures() {}

  /** One row per purchase occasion: customer_id, order_date, value_cny (decimal, &gt;= 0), first_order_channel. */
  public static Dataset<Row> occasions(Dataset<Row> orders, LocalDate runDate) {
    return orders
        .where(col("customer_id").isNotNull()
            .and(col("order_date").leq(lit(Date.valueOf(runDate))))
            .and(not(col("is_refunded").and(col("net_cny").leq(0)))))
        // Distributed by customer once: both this aggregate and the per-customer one in
        // customers() then run where their rows are. A map-side partial aggregate would not help:
        // a customer-day rarely holds two orders.
        .repartition(col("customer_id"))
        .groupBy("customer_id", "order_date")
        .agg(sum("net_cny").as("value_cny"),
            min_by(col("sales_channel"), struct(col("ordered_at"), col("order_id"))).as("first_order_channel"));
  }

  /**
   * One row per customer with at least one purchase occasion up to the run date: customer_id,
   * frequency, recency_weeks, t_weeks, monetary_cny (double, null when frequency = 0),
   * first_purchase_date, last_purchase_date, acquisition_channel.
   */
  public static Dataset<Row> customers(Dataset<Row> orders, LocalDate runDate) {
    Column runDay = lit(Date.valueOf(runDate));
    Dataset<Row> perCustomer = occasions(orders, runDate)
        .groupBy("customer_id")
        .agg(count(lit(1)).cast("int").as("occasions"),
            min("order_date").as("first_purchase_date"),
            max("order_date").as("last_purchase_date"),
            sum("value_cny").as("total_cny"),
            min_by(col("value_cny"), col("order_date")).as("first_value_cny"),
            min_by(col("first_order_channel"), col("order_date")).as("acquisition_channel"));
    Column x = col("occasions").minus(1);
    return perCustomer.select(
        col("customer_id"),
        x.as("frequency"),
        datediff(col("last_purchase_date"), col("first_purchase_date")).divide(DAYS_PER_WEEK).as("recency_weeks"),
        datediff(runDay, col("first_purchase_date")).divide(DAYS_PER_WEEK).as("t_weeks"),
        // decimals subtract exactly; the mean is taken in double
        when(x.gt(0), col("total_cny").minus(col("first_value_cny")).cast("double").divide(x)).as("monetary_cny"),
        col("first_purchase_date"),
        col("last_purchase_date"),
        col("acquisition_channel"));
  }

  /**
   * The sufficient statistics of both models in one small frame (collected to fit on the driver):
   * rows with statistic = "frequency" count the customers per (frequency, recency_weeks, t_weeks)
   * (BG/NBD); rows with statistic = "spend" count the repeat customers (frequency &gt;= 1, positive
   * monetary) per (frequency, monetary_cny) (Gamma-Gamma). Sorted, so the fit sees a fixed order.
   */
  public static Dataset<Row> statistics(Dataset<Row> customers) {
    Dataset<Row> frequency = customers.groupBy("frequency", "recency_weeks", "t_weeks").agg(count(lit(1)).as("customers"))
        .select(lit("frequency").as("statistic"), col("frequency"), col("recency_weeks"), col("t_weeks"),
            lit(null).cast("double").as("monetary_cny"), col("customers"));
    Dataset<Row> spend = customers.where(col("frequency").geq(1).and(col("monetary_cny").gt(0)))
        .groupBy("frequency", "monetary_cny").agg(count(lit(1)).as("customers"))
        .select(lit("spend").as("statistic"), col("frequency"), lit(null).cast("double").as("recency_weeks"),
            lit(null).cast("double").as("t_weeks"), col("monetary_cny"), col("customers"));
    return frequency.unionByName(spend)
        .orderBy("statistic", "frequency", "recency_weeks", "t_weeks", "monetary_cny");
  }
}
