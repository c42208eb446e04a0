package io.touchpoint.attribution;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.touchpoint.errors.Errors;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Credit of each converting journey (and of each order, for the experience split), so that credits
 * can be summed over any period or customer set. Pure transforms: no actions, no session.
 *
 * <p>The window totals of {@code gold.attribution_by_channel} come from the aggregated paths; these
 * are the per-conversion counterparts, with the same rules:
 * <ul>
 *   <li>first / last touch: the whole conversion to the first / last touch's channel;</li>
 *   <li>linear: 1/L to each of the L touches (repeats included);</li>
 *   <li>position: 40 % first, 40 % last, 20 % shared by the middle touches (one touch: 100 %,
 *       two: 50 / 50) — as {@link HeuristicAttribution};</li>
 *   <li>time decay: 2^(−Δt / half-life) per touch, normalised in the journey — as
 *       {@link AttributionJourneys#timeDecay};</li>
 *   <li>markov: the journey's conversion is split over the distinct channels of its path in
 *       proportion to their removal effects in the window's fitted chain (value with the
 *       value-weighted removal effects). The window total of a channel therefore differs from
 *       {@code total × RE / ΣRE} (which is not a per-journey rule), but every conversion is split
 *       exactly once, so credits add up to the conversions of any period;</li>
 *   <li>a conversion without a touch is credited to {@code direct} under every model.</li>
 * </ul>
 * Summed over the window, the heuristic and time-decay credits equal the window totals exactly
 * (they are additive over journeys); the tests check this.
 */
public final class JourneyCredits {
  public static final String MARKOV = "markov";
  public static final String FIRST = "first";
  public static final String LAST = "last";
  public static final String LINEAR = "linear";
  public static final String TIME_DECAY = "time_decay";
  public static final String POSITION = "position";
  public static final String EXPERIENCE_SPLIT = "experience_split";

  private static final long DAY_SECONDS = 86_400L;

  private JourneyCredits() {}

  /**
   * One row per purchase occasion of an identified customer up to {@code runDate}: customer_id,
   * order_date, sales_channel (of the day's first order, by ordered_at then order_id) and
   * is_first_purchase (the customer's first day with a purchase; fully refunded orders — is_refunded
   * and net_cny &lt;= 0 — are not purchases, as in the CLV stage).
   */
  public static Dataset<Row> occasions(Dataset<Row> orders, LocalDate runDate) {
    return occasions(orders, null, runDate);
  }

  /**
   * The {@link #occasions} dated {@code from .. runDate} only ({@code from} null: all), each still
   * marked against the customer's first purchase over every order up to {@code runDate}. A run that
   * joins credits of a window to its occasions needs no others: the occasions then follow the
   * window, and only the first-purchase date is taken from the whole order history.
   */
  public static Dataset<Row> occasions(Dataset<Row> orders, LocalDate from, LocalDate runDate) {
    Dataset<Row> known = orders.where(col("customer_id").isNotNull()
        .and(col("order_date").leq(lit(java.sql.Date.valueOf(runDate)))));
    Dataset<Row> firstPurchase = known.where(not(col("is_refunded").and(col("net_cny").leq(0))))
        .groupBy("customer_id").agg(min("order_date").as("first_purchase_date"));
    Dataset<Row> dated = from == null ? known : known.where(col("order_date").geq(lit(java.sql.Date.valueOf(from))));
    return dated.groupBy("customer_id", "order_date")
        .agg(min_by(col("sales_channel"), struct(col("ordered_at"), col("order_id"))).as("sales_channel"))
        .join(firstPurchase, "customer_id", "left")
        .select(col("customer_id"), col("order_date"), col("sales_channel"),
            coalesce(col("order_date").equalTo(col("first_purchase_date")), lit(false)).as("is_first_purchase"));
  }

  /**
   * Credits of the converting journeys of {@link AttributionJourneys#build}: one row per journey ×
   * model × channel with customer_id, conversion_date, sales_channel, is_first_purchase, model,
   * channel, conversions (the journey's share, summing to 1 per journey and model) and revenue_cny
   * (share of the conversion value).
   *
   * @param occasions {@link #occasions} of the same orders
   * @param models labels of the journey models to credit ({@link #MARKOV}, {@link #FIRST}, ...);
   *     the experience split is order-based, see {@link #experience}
   * @param removalEffects Markov removal effects per channel (conversion, value); required when
   *     {@code models} has {@link #MARKOV}
   */
  public static Dataset<Row> journeys(Dataset<Row> journeys, Dataset<Row> occasions, List<String> models,
      Map<String, double[]> removalEffects, double halfLifeDays) {
    if (!(halfLifeDays > 0) || Double.isInfinite(halfLifeDays)) {
      throw Errors.badAttributionOption("half-life " + halfLifeDays + " days", "it must be positive", "Pass e.g. 7 days");
    }
    List<Column> parts = new ArrayList<>();
    for (String m : models) {
      parts.add(switch (m) {
        case FIRST -> expr("array(named_struct('model', 'first', 'channel', element_at(ch, 1), 'c', 1D, 'v', 1D))");
        case LAST -> expr("array(named_struct('model', 'last', 'channel', element_at(ch, -1), 'c', 1D, 'v', 1D))");
        case LINEAR -> expr("transform(ch, x -> named_struct('model', 'linear', 'channel', x, 'c', 1D / size(ch),"
            + " 'v', 1D / size(ch)))");
        case POSITION -> expr("transform(ch, (x, i) -> named_struct('model', 'position', 'channel', x, 'c', "
            + POSITION_SHARE + ", 'v', " + POSITION_SHARE + "))");
        case TIME_DECAY -> expr("transform(decay, d -> named_struct('model', 'time_decay', 'channel', d.channel,"
            + " 'c', d.w / decay_total, 'v', d.w / decay_total))");
        case MARKOV -> {
          if (removalEffects == null) {
            throw new IllegalArgumentException("the markov credits need the fitted removal effects");
          }
          yield expr("transform(distinct_ch, x -> named_struct('model', 'markov', 'channel', x,"
              + " 'c', " + markovShare("re_c") + ", 'v', " + markovShare("re_v") + "))");
        }
        default -> throw new IllegalArgumentException("no journey credit rule for model '" + m + "'");
      });
    }
    Column direct = expr("array(" + String.join(", ", models.stream()
        .map(m -> "named_struct('model', '" + m + "', 'channel', '" + AttributionJourneys.DIRECT + "', 'c', 1D, 'v', 1D)")
        .toList()) + ")");
    double halfLifeSeconds = halfLifeDays * DAY_SECONDS;
    Dataset<Row> converting = journeys.where(col("is_converted"))
        .withColumn("ch", expr("transform(touches, t -> t.channel)"))
        .withColumn("distinct_ch", expr("array_distinct(ch)"))
        .withColumn("decay", expr("transform(touches, t -> named_struct('channel', t.channel, 'w',"
            + " pow(2D, -(unix_seconds(converted_at) - t.at_seconds) / " + halfLifeSeconds + "D)))"))
        .withColumn("re_c", effects(removalEffects, 0))
        .withColumn("re_v", effects(removalEffects, 1))
        // Each journey's totals once, not inside the per-touch lambdas: there they were summed again for every
        // touch, quadratic in the path's length.
        .withColumn("decay_total", expr("aggregate(decay, 0D, (a, e) -> a + e.w)"))
        .withColumn("re_c_total", removalTotal("re_c"))
        .withColumn("re_v_total", removalTotal("re_v"));
    Column credits = when(expr("size(ch) = 0"), direct)
        .otherwise(parts.isEmpty() ? expr("array()") : org.apache.spark.sql.functions.concat(parts.toArray(new Column[0])));
    return converting
        .join(occasions, converting.col("customer_id").equalTo(occasions.col("customer_id"))
            .and(converting.col("conversion_date").equalTo(occasions.col("order_date"))), "left")
        .select(converting.col("customer_id"), col("conversion_date"), col("sales_channel"),
            coalesce(col("is_first_purchase"), lit(false)).as("is_first_purchase"), col("conversion_value_cny"),
            explode(credits).as("k"))
        .select(col("customer_id"), col("conversion_date"), col("sales_channel"), col("is_first_purchase"),
            col("k.model").as("model"), col("k.channel").as("channel"), col("k.c").as("conversions"),
            col("k.v").multiply(col("conversion_value_cny")).as("revenue_cny"));
  }

  /** 40/20/40 for touch {@code i} of {@code size(ch)}; one touch 100 %, two 50 / 50. */
  private static final String POSITION_SHARE = "CASE WHEN size(ch) = 1 THEN 1D WHEN size(ch) = 2 THEN 0.5D"
      + " WHEN i = 0 OR i = size(ch) - 1 THEN 0.4D ELSE 0.2D / (size(ch) - 2) END";

  /**
   * A channel's removal effect over the sum of the path's distinct channels' ({@code <map>_total}, one
   * column per journey); equal split when they sum to 0.
   */
  private static String markovShare(String map) {
    String total = map + "_total";
    return "IF(" + total + " > 0D, coalesce(" + map + "[x], 0D) / " + total + ", 1D / size(distinct_ch))";
  }

  /** The sum over the path's distinct channels of their removal effects in {@code map}. */
  private static Column removalTotal(String map) {
    return expr("aggregate(distinct_ch, 0D, (a, y) -> a + coalesce(" + map + "[y], 0D))");
  }

  private static Column effects(Map<String, double[]> removalEffects, int which) {
    if (removalEffects == null || removalEffects.isEmpty()) {
      return lit(null).cast(DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType));
    }
    List<Column> kv = new ArrayList<>();
    new TreeMap<>(removalEffects).forEach((channel, re) -> {
      kv.add(lit(channel));
      kv.add(lit(Math.max(0.0, re[which])));
    });
    return map(kv.toArray(new Column[0]));
  }

  /**
   * The experience split per order (same rules and inputs as {@link AttributionJourneys#experienceSplit}):
   * one row per identified order dated in the period × credited channel with customer_id,
   * conversion_date (the order date), sales_channel (the order's), is_first_purchase, model
   * ({@code experience_split}), channel, conversions (1/n of the occasion's conversion, times the
   * share) and revenue_cny.
   *
   * @param perOrder the per-order credits of {@link AttributionJourneys#experienceCredits} (computed
   *     once by the caller: they read the touch log, and feed the channel totals too)
   * @param occasions {@link #occasions} covering the credits' dates
   */
  public static Dataset<Row> experience(Dataset<Row> perOrder, Dataset<Row> occasions) {
    Dataset<Row> firsts = occasions.select(col("customer_id").as("o_customer_id"), col("order_date").as("o_date"),
        col("is_first_purchase"));
    return perOrder.join(firsts, col("customer_id").equalTo(col("o_customer_id")).and(col("order_date").equalTo(col("o_date"))), "left")
        .select(col("customer_id"), col("order_date").as("conversion_date"), col("sales_channel"),
            coalesce(col("is_first_purchase"), lit(false)).as("is_first_purchase"), lit(EXPERIENCE_SPLIT).as("model"),
            col("channel"), col("conversions"), col("revenue_cny"));
  }

  /**
   * Credits summed per conversion date × sales channel × model × channel (the daily grain that
   * the marts sum over periods).
   */
  public static Dataset<Row> daily(Dataset<Row> credits) {
    return credits.groupBy("conversion_date", "sales_channel", "model", "channel")
        .agg(exactSum("conversions", CONVERSION_UNITS), exactSum("revenue_cny", MONEY_UNITS));
  }

  /**
   * A sum that does not depend on the order Spark adds the rows in (which differs with partitioning,
   * e.g. on a cluster): each credit as a whole number of {@code units} (rounded half up), added exactly
   * as longs, back to a double. A double sum may land either side of a rounding tie of the stored
   * figure from one run to the next. Conversions count in units of 10^-12 and money in 10^-8 CNY,
   * finer than the 9 and 4 places they are stored with; a long then holds sums up to 9.2 million
   * conversions and 92 billion CNY per group, and beyond that Spark's ANSI mode fails the sum rather
   * than wrap. (Each credit as a decimal of 18 places, as before, was exact too but took Spark's
   * BigDecimal path: at 250,000 customers the two aggregates spent 19.1 s and 8.4 s on 8.7 M credit rows.)
   */
  static Column exactSum(String column, double units) {
    return sum(floor(col(column).multiply(lit(units)).plus(lit(0.5)))).cast(DataTypes.DoubleType).divide(lit(units))
        .as(column);
  }

  static final double CONVERSION_UNITS = 1e12;
  static final double MONEY_UNITS = 1e8;

  /**
   * The credit of each customer's first purchase: customer_id, first_purchase_date, model,
   * channel, conversions (shares of the one first purchase, summing to 1 per customer and model),
   * revenue_cny.
   */
  public static Dataset<Row> firstPurchases(Dataset<Row> credits) {
    return credits.where(col("is_first_purchase"))
        .groupBy(col("customer_id"), col("conversion_date").as("first_purchase_date"), col("model"), col("channel"))
        .agg(exactSum("conversions", CONVERSION_UNITS), exactSum("revenue_cny", MONEY_UNITS));
  }

  /**
   * Journeys touched by each channel, by the journey's end date (conversion date, or last touch of
   * a journey without one): end_date, channel, journeys, converted_journeys. Channel {@code all}
   * counts the journeys with at least one touch (METRICS "conversion rate (marketing channel)").
   */
  public static Dataset<Row> reach(Dataset<Row> journeys) {
    Dataset<Row> touched = journeys.where(expr("size(touches) > 0"))
        .select(col("end_date"), col("is_converted"),
            explode(expr("array_union(array('all'), array_distinct(transform(touches, t -> t.channel)))")).as("channel"));
    return touched.groupBy("end_date", "channel")
        .agg(count(lit(1)).as("journeys"), sum(when(col("is_converted"), 1L).otherwise(0L)).as("converted_journeys"));
  }
}
