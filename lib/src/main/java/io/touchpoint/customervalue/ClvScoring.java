package io.touchpoint.customervalue;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import io.touchpoint.clv.FrequencyModel;
import io.touchpoint.clv.ClvSettings;
import io.touchpoint.clv.GammaGamma;
import io.touchpoint.clv.Valuation;
import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Scores customers with fitted models (pure transforms): the library's prediction functions run in
 * a UDF on the executors with the broadcast parameters, so no customer-level data reaches the
 * driver. Definitions in METRICS.md "Customer value".
 */
public final class ClvScoring {
  public static final double HIGH_VALUE_SHARE = 0.20;
  public static final double AT_RISK_P_ALIVE = 0.5;
  static final double DAYS_90_WEEKS = 90 / ClvFeatures.DAYS_PER_WEEK;
  static final double DAYS_365_WEEKS = 365 / ClvFeatures.DAYS_PER_WEEK;

  static final StructType PREDICTION = new StructType()
      .add("p_alive", DataTypes.DoubleType, false)
      .add("expected_purchases_90d", DataTypes.DoubleType, false)
      .add("expected_purchases_365d", DataTypes.DoubleType, false)
      .add("expected_spend_cny", DataTypes.DoubleType, false)
      .add("clv_cny", DataTypes.DoubleType, false);

  private ClvScoring() {}

  /** How many customers are flagged high value: floor(20% of n), so never more than 20%. */
  public static long highValueCount(long customers) {
    return (long) Math.floor(HIGH_VALUE_SHARE * customers);
  }

  /**
   * {@code restricted.customer_value} for the run date, one row per customer of {@link ClvFeatures#customers}.
   * is_high_value marks exactly {@code highValueCount} customers: the highest CLV first, ties
   * broken by customer_id (ascending), so equal CLVs on the boundary are split deterministically.
   * The ranking is one global window (a single task); fine for millions of customers.
   */
  public static Dataset<Row> score(Dataset<Row> customers, Broadcast<ClvParameters> parameters, LocalDate runDate,
      long highValueCount) {
    Column predicted = udf(new Predict(parameters), PREDICTION)
        .apply(col("frequency"), col("recency_weeks"), col("t_weeks"), col("monetary_cny"));
    Dataset<Row> scored = customers.withColumn("prediction", predicted)
        .select(col("*"), col("prediction.*")).drop("prediction");
    Column rank = row_number().over(Window.orderBy(col("clv_cny").desc(), col("customer_id").asc()));
    Column highValue = rank.leq(highValueCount);
    return scored.withColumn("is_high_value", highValue).select(
        lit(Date.valueOf(runDate)).as("run_date"),
        col("customer_id"),
        col("frequency"),
        col("recency_weeks"),
        col("t_weeks"),
        col("monetary_cny"),
        col("p_alive"),
        lit(1.0).minus(col("p_alive")).as("churn_risk"),
        col("expected_purchases_90d"),
        col("expected_purchases_365d"),
        col("expected_spend_cny"),
        col("clv_cny").as("clv_12m_cny"),
        lifecycleSegment(col("first_purchase_date"), col("last_purchase_date"), runDate).as("lifecycle_segment"),
        col("is_high_value"),
        col("is_high_value").and(col("p_alive").lt(AT_RISK_P_ALIVE)).as("is_high_value_at_risk"),
        col("acquisition_channel"));
  }

  /**
   * Lifecycle at the run date, first match wins: new (first purchase &lt;= 30 days ago), active
   * (last purchase &lt;= 90 days ago), dormant (91-365 days), lost (&gt; 365 days).
   */
  public static Column lifecycleSegment(Column firstPurchaseDate, Column lastPurchaseDate, LocalDate runDate) {
    Column runDay = lit(Date.valueOf(runDate));
    Column sinceLast = datediff(runDay, lastPurchaseDate);
    return when(datediff(runDay, firstPurchaseDate).leq(30), lit("new"))
        .when(sinceLast.leq(90), lit("active"))
        .when(sinceLast.leq(365), lit("dormant"))
        .otherwise(lit("lost"));
  }

  /** {@code gold.ltv_by_acquisition_channel} from one run date of {@code restricted.customer_value}. */
  public static Dataset<Row> byAcquisitionChannel(Dataset<Row> customerValue) {
    return customerValue.groupBy("run_date", "acquisition_channel")
        .agg(count(lit(1)).as("customers"), avg("clv_12m_cny").as("mean_clv_cny"), sum("clv_12m_cny").as("total_clv_cny"))
        .select("run_date", "acquisition_channel", "customers", "mean_clv_cny", "total_clv_cny");
  }

  /** P(alive), E[Y(90 d)], E[Y(365 d)], expected spend per purchase and CLV of one customer. */
  static final class Predict implements UDF4<Integer, Double, Double, Double, Row> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<ClvParameters> parameters;
    private transient FrequencyModel frequency;
    private transient GammaGamma spend;
    private transient ClvSettings settings;

    Predict(Broadcast<ClvParameters> parameters) {
      this.parameters = parameters;
    }

    @Override
    public Row call(Integer x, Double recency, Double age, Double monetary) {
      if (frequency == null) {
        ClvParameters p = parameters.value();
        frequency = p.frequencyModel();
        spend = p.spendModel();
        settings = p.settings();
      }
      double m = monetary == null ? Double.NaN : monetary;
      return RowFactory.create(
          frequency.probabilityAlive(x, recency, age),
          frequency.expected(x, recency, age, DAYS_90_WEEKS),
          frequency.expected(x, recency, age, DAYS_365_WEEKS),
          spend.expectedSpend(x, m),
          Valuation.clv(frequency, spend, x, recency, age, m, settings));
    }
  }
}
