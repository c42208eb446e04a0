package io.touchpoint.attribution;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.touchpoint.errors.Errors;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Customer journeys for attribution, built from {@code silver.touchpoints} and {@code silver.orders}
 * (identified customers only). Pure transforms: no actions, no session.
 *
 * <p>Rules (METRICS.md, "Attribution"):
 * <ul>
 *   <li>The conversion unit is the <b>purchase occasion</b>: all orders of a customer on one
 *       business date ({@code order_date}) form one conversion, converting at the day's last order,
 *       worth the sum of the orders' {@code net_cny} (each floored at 0). METRICS counts occasions for
 *       repeat purchase, and a basket split into two orders is one decision, so a second same-day
 *       order neither ends a journey early nor shows up as a spurious empty-path conversion.</li>
 *   <li>A journey ends at a conversion, or — without one — when {@code lookback_days} pass with no
 *       new touch (a gap longer than the lookback starts a new journey). The next journey starts
 *       after the conversion. A touch at the same instant as a conversion belongs to it.</li>
 *   <li>Touches more than {@code lookback_days} before the journey's end (its conversion, or the last
 *       touch of a journey without one) are dropped, so a path never spans more than the lookback and
 *       the job only reads {@code window + lookback} days of history.</li>
 *   <li>A conversion with no touch left is <b>direct</b>: empty path, kept out of the Markov chain,
 *       reported as channel {@code direct} so that every model's conversions reconcile.</li>
 *   <li>Window ({@link Period}): converting journeys whose conversion date is in
 *       {@code (run_date − window_days, run_date]}; journeys without a conversion whose last touch is
 *       in the window, whether already closed (lookback passed) or still open at the run date. Only
 *       data up to the run date is read, so an open journey counts as a null as of the run date:
 *       requiring closed null journeys would leave none whose last touch lies in a window no longer
 *       than the lookback, and drop every null from the chain.</li>
 * </ul>
 */
public final class AttributionJourneys {
  /** Channels in a path are joined with this separator (as in ChannelAttribution's input). */
  public static final String SEPARATOR = " > ";
  public static final String DIRECT = "direct";
  public static final String STORE = "store";
  public static final String STORE_VISIT = "store_visit";

  private static final long DAY_SECONDS = 86_400L;
  private static final int TOUCH = 0;
  private static final int CONVERSION = 1;

  private AttributionJourneys() {}

  /** The attribution window of a run: conversions dated {@code (runDate − windowDays, runDate]}. */
  public record Period(LocalDate runDate, int windowDays, int lookbackDays) {
    public Period {
      if (runDate == null) {
        throw Errors.badAttributionOption("no --run-date", "the run date is missing", "Pass --run-date YYYY-MM-DD");
      }
      if (windowDays < 1) {
        throw Errors.badAttributionOption("--window-days " + windowDays, "the window must hold at least one day",
            "Pass e.g. --window-days 30");
      }
      if (lookbackDays < 1) {
        throw Errors.badAttributionOption("--lookback-days " + lookbackDays, "the lookback must be at least one day",
            "Pass e.g. --lookback-days 30");
      }
    }

    public LocalDate start() {
      return runDate.minusDays(windowDays - 1L);
    }

    /** First date read: the window's start less the lookback, less a day for the UTC/business-date shift. */
    public LocalDate readFrom() {
      return start().minusDays(lookbackDays + 1L);
    }
  }

  /**
   * One row per journey ending in the period: customer_id, journey_number, is_converted,
   * converted_at, conversion_date, orders, conversion_value_cny, touches (array of
   * {at_seconds, channel} in time order, after the lookback drop), path ("" for a direct
   * conversion), touch_count, last_touch_date, end_date.
   */
  public static Dataset<Row> build(Dataset<Row> touches, Dataset<Row> orders, Period period) {
    long lookback = period.lookbackDays() * DAY_SECONDS;
    Column from = lit(java.sql.Date.valueOf(period.readFrom()));
    Column to = lit(java.sql.Date.valueOf(period.runDate()));
    Dataset<Row> touchEvents = touches
        .where(col("customer_id").isNotNull().and(col("event_date").between(from, to)))
        .select(col("customer_id"), lit(TOUCH).as("kind"), expr("unix_seconds(cast(event_at as timestamp))").as("at_seconds"),
            col("event_date").as("day"), col("channel"), lit(0.0).as("value"), lit(0L).as("orders"));
    Dataset<Row> occasions = orders
        .where(col("customer_id").isNotNull().and(col("order_date").between(from, to)))
        .groupBy(col("customer_id"), col("order_date"))
        .agg(max(expr("unix_seconds(cast(ordered_at as timestamp))")).as("at_seconds"),
            sum(greatest(lit(0.0), col("net_cny").cast("double"))).as("value"), count(lit(1)).as("orders"))
        .select(col("customer_id"), lit(CONVERSION).as("kind"), col("at_seconds"), col("order_date").as("day"),
            lit(null).cast("string").as("channel"), col("value"), col("orders"));

    WindowSpec byTime = Window.partitionBy("customer_id").orderBy(col("at_seconds"), col("kind"));
    Column previousKind = lag(col("kind"), 1).over(byTime);
    Column gap = col("at_seconds").minus(lag(col("at_seconds"), 1).over(byTime));
    Column starts = when(previousKind.isNull().or(previousKind.equalTo(CONVERSION)).or(gap.gt(lookback)), 1).otherwise(0);
    Dataset<Row> numbered = touchEvents.unionByName(occasions)
        .withColumn("starts", starts)
        .withColumn("journey_number", sum(col("starts")).over(byTime.rowsBetween(Window.unboundedPreceding(), Window.currentRow())));

    Column isTouch = col("kind").equalTo(TOUCH);
    Column isConversion = col("kind").equalTo(CONVERSION);
    Dataset<Row> journeys = numbered.groupBy("customer_id", "journey_number").agg(
        max(when(isConversion, col("at_seconds"))).as("converted_at_seconds"),
        max(when(isConversion, col("day"))).as("conversion_date"),
        sum(when(isConversion, col("orders"))).as("orders"),
        sum(when(isConversion, col("value"))).as("conversion_value_cny"),
        max(when(isTouch, col("day"))).as("last_touch_date"),
        max(when(isTouch, col("at_seconds"))).as("last_touch_seconds"),
        sort_array(collect_list(when(isTouch, struct(col("at_seconds"), col("channel"))))).as("all_touches"));

    Dataset<Row> kept = journeys
        .withColumn("end_seconds", coalesce(col("converted_at_seconds"), col("last_touch_seconds")))
        .withColumn("touches", expr("filter(all_touches, t -> t.at_seconds >= end_seconds - " + lookback + ")"));
    Column endDate = coalesce(col("conversion_date"), col("last_touch_date"));
    return kept
        .where(endDate.gt(lit(java.sql.Date.valueOf(period.runDate().minusDays(period.windowDays()))))
            .and(endDate.leq(to)))
        .select(col("customer_id"), col("journey_number"),
            col("converted_at_seconds").isNotNull().as("is_converted"),
            expr("timestamp_seconds(converted_at_seconds)").as("converted_at"),
            col("conversion_date"),
            coalesce(col("orders"), lit(0L)).as("orders"),
            coalesce(col("conversion_value_cny"), lit(0.0)).as("conversion_value_cny"),
            col("touches"),
            expr("array_join(transform(touches, t -> t.channel), '" + SEPARATOR + "')").as("path"),
            expr("size(touches)").as("touch_count"),
            col("last_touch_date"),
            endDate.as("end_date"));
  }

  /**
   * Identical journeys aggregated, one row per path: path ("" = direct conversions), conversions,
   * conversion_value_cny, nulls. This is what the Markov and heuristic models take.
   */
  public static Dataset<Row> paths(Dataset<Row> journeys) {
    return journeys.groupBy("path").agg(
        sum(when(col("is_converted"), 1.0).otherwise(0.0)).as("conversions"),
        sum(col("conversion_value_cny")).as("conversion_value_cny"),
        sum(when(col("is_converted"), 0.0).otherwise(1.0)).as("nulls"));
  }

  /**
   * Time-decay credit per channel (channel, conversions, revenue_cny): a touch Δt before its
   * conversion weighs 2^(−Δt / half-life), normalised within the journey. Converting journeys with
   * at least one touch only; direct conversions are reported apart.
   */
  public static Dataset<Row> timeDecay(Dataset<Row> journeys, double halfLifeDays) {
    if (!(halfLifeDays > 0) || Double.isInfinite(halfLifeDays)) {
      throw Errors.badAttributionOption("half-life " + halfLifeDays + " days", "it must be positive",
          "Pass e.g. 7 days");
    }
    double halfLife = halfLifeDays * DAY_SECONDS;
    String weight = "pow(2D, -(unix_seconds(converted_at) - t.at_seconds) / " + halfLife + "D)";
    return journeys.where(col("is_converted").and(col("touch_count").gt(0)))
        .select(col("conversion_value_cny"),
            expr("transform(touches, t -> named_struct('channel', t.channel, 'weight', " + weight + "))").as("weighted"))
        .withColumn("total_weight", expr("aggregate(weighted, 0D, (acc, w) -> acc + w.weight)"))
        .select(col("conversion_value_cny"), col("total_weight"), explode(col("weighted")).as("w"))
        .withColumn("credit", col("w.weight").divide(col("total_weight")))
        .groupBy(col("w.channel").as("channel"))
        .agg(sum(col("credit")).as("conversions"), sum(col("credit").multiply(col("conversion_value_cny"))).as("revenue_cny"));
  }

  /**
   * The experience split (channel, conversions, revenue_cny): an online order placed within
   * {@code experienceDays} after a {@code store_visit} touch of the same customer credits
   * {@code storeShare} of its value to {@code store} and the rest to its sales channel; every other
   * order credits its own sales channel (offline orders: {@code store}). Identified orders dated in
   * the period; each order carries 1/n of its purchase occasion's conversion (n orders that day), so
   * conversions add up to the period's purchase occasions, as in the journey-based models.
   */
  public static Dataset<Row> experienceSplit(Dataset<Row> touches, Dataset<Row> orders, Period period,
      int experienceDays, double storeShare) {
    return experienceSplit(experienceCredits(touches, orders, period, experienceDays, storeShare));
  }

  /**
   * The experience split (channel, conversions, revenue_cny) summed from its per-order credits
   * ({@link #experienceCredits}), for a caller that computes those once for several outputs.
   */
  public static Dataset<Row> experienceSplit(Dataset<Row> experienceCredits) {
    return experienceCredits.groupBy("channel")
        .agg(sum("conversions").as("conversions"), sum("revenue_cny").as("revenue_cny"));
  }

  /**
   * The experience split of {@link #experienceSplit} per order: one row per identified order dated
   * in the period and credited channel, with order_id, customer_id, order_date, sales_channel,
   * channel, conversions (share × 1/n of the occasion) and revenue_cny (share × value).
   */
  public static Dataset<Row> experienceCredits(Dataset<Row> touches, Dataset<Row> orders, Period period,
      int experienceDays, double storeShare) {
    if (experienceDays < 0) {
      throw Errors.badAttributionOption("--experience-days " + experienceDays, "it must not be negative",
          "Pass e.g. --experience-days 14");
    }
    if (!(storeShare >= 0 && storeShare <= 1)) {
      throw Errors.badAttributionOption("store share " + storeShare, "it must be between 0 and 1",
          "Pass e.g. 0.3 for store : online = 3 : 7");
    }
    Column start = lit(java.sql.Date.valueOf(period.start()));
    Column end = lit(java.sql.Date.valueOf(period.runDate()));
    Dataset<Row> inPeriod = orders
        .where(col("customer_id").isNotNull().and(col("order_date").between(start, end)))
        .select(col("order_id"), col("customer_id"), col("order_date"), col("sales_channel"), col("channel_group"),
            col("ordered_at").cast("timestamp").as("ordered_at"),
            greatest(lit(0.0), col("net_cny").cast("double")).as("value"),
            lit(1.0).divide(count(lit(1)).over(Window.partitionBy("customer_id", "order_date"))).as("weight"));
    Dataset<Row> visits = touches
        .where(col("customer_id").isNotNull().and(col("channel").equalTo(STORE_VISIT))
            .and(col("event_date").between(lit(java.sql.Date.valueOf(period.start().minusDays(experienceDays + 1L))), end)))
        .select(col("customer_id").as("visit_customer_id"), col("event_at").cast("timestamp").as("visited_at"));
    Column followsVisit = col("channel_group").equalTo("online")
        .and(col("visit_customer_id").equalTo(col("customer_id")))
        .and(col("visited_at").leq(col("ordered_at")))
        .and(col("visited_at").geq(expr("ordered_at - make_dt_interval(" + experienceDays + ")")));
    Dataset<Row> split = inPeriod.join(visits, followsVisit, "left_semi").select(col("order_id"), lit(true).as("is_split"));
    Column shares = when(col("is_split").isNotNull(), array(
            struct(lit(STORE).as("channel"), lit(storeShare).as("share")),
            struct(col("sales_channel").as("channel"), lit(1 - storeShare).as("share"))))
        .otherwise(array(struct(col("sales_channel").as("channel"), lit(1.0).as("share"))));
    return inPeriod.join(split, "order_id", "left")
        .select(col("order_id"), col("customer_id"), col("order_date"), col("sales_channel"), col("weight"), col("value"),
            explode(shares).as("s"))
        .select(col("order_id"), col("customer_id"), col("order_date"), col("sales_channel"), col("s.channel").as("channel"),
            col("s.share").multiply(col("weight")).as("conversions"), col("s.share").multiply(col("value")).as("revenue_cny"));
  }
}
