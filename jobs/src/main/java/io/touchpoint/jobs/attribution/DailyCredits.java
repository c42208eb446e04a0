package io.touchpoint.jobs.attribution;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;

import io.touchpoint.attribution.AttributionJourneys;
import io.touchpoint.attribution.JourneyCredits;
import io.touchpoint.jobs.spark.TableWriter;
import java.sql.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The per-conversion side of the attribution stage, so that the marts can sum credits over any
 * period (see {@link JourneyCredits}). For the run's window it writes, each with one scoped
 * {@code replaceWhere} (a later run re-credits the dates of its own window with its own fit, so
 * every date keeps the credit of the last run whose window held it):
 * <ul>
 *   <li>{@code gold.attribution_daily} — conversion date × sales channel × model × order × channel;</li>
 *   <li>{@code gold.attribution_journeys_daily} — journeys touched by each channel and how many converted, by end date;</li>
 *   <li>{@code restricted.first_purchase_credit} — the credit of each customer's first purchase
 *       (customer-level, so restricted): what CAC and the LTV of acquired customers are built from.</li>
 * </ul>
 */
public final class DailyCredits {
  public static final String DAILY = "attribution_daily";
  public static final String JOURNEYS_DAILY = "attribution_journeys_daily";
  public static final String RESTRICTED = "restricted";
  public static final String FIRST_PURCHASE = "first_purchase_credit";

  private final TableWriter writer;

  DailyCredits(TableWriter writer) {
    this.writer = writer;
  }

  /**
   * @param journeys the window's journeys ({@link AttributionJourneys#build})
   * @param experience the window's per-order experience credits ({@link AttributionJourneys#experienceCredits}),
   *     or null when the run has no experience split
   * @param removalEffects the fitted Markov removal effects per channel (conversion, value), or null when
   *     nothing was fitted
   */
  void write(AttributionJob.Options o, Dataset<Row> journeys, Dataset<Row> experience, Dataset<Row> orders,
      Map<String, double[]> removalEffects) {
    AttributionJourneys.Period period = o.period();
    // The window's purchase occasions, read by the journey credits and the experience split: computed once
    // (the first-purchase dates take one pass over the customers' orders), on disk like the journeys.
    Dataset<Row> occasions = JourneyCredits.occasions(orders, period.start(), period.runDate())
        .persist(StorageLevel.DISK_ONLY());
    try {
      write(o, journeys, experience, occasions, period, removalEffects);
    } finally {
      occasions.unpersist();
    }
  }

  private void write(AttributionJob.Options o, Dataset<Row> journeys, Dataset<Row> experience, Dataset<Row> occasions,
      AttributionJourneys.Period period, Map<String, double[]> removalEffects) {
    List<String> journeyModels = o.models().stream().filter(m -> m != AttributionModel.EXPERIENCE_SPLIT)
        .map(AttributionModel::label).sorted().toList();
    Dataset<Row> credits = null;
    if (!journeyModels.isEmpty()) {
      // No fit (no converting journey with a touch): only direct conversions, which need no removal effect.
      credits = JourneyCredits.journeys(journeys, occasions, journeyModels,
          removalEffects == null ? Map.of() : removalEffects, o.halfLifeDays());
    }
    if (experience != null) {
      Dataset<Row> split = JourneyCredits.experience(experience, occasions);
      credits = credits == null ? split : credits.unionByName(split);
    }
    Date runDate = Date.valueOf(period.runDate());
    String window = " BETWEEN DATE'" + period.start() + "' AND DATE'" + period.runDate() + "'";
    String scope = " AND markov_order = " + o.order() + " AND model IN ("
        + o.models().stream().map(m -> "'" + m.label() + "'").sorted().collect(Collectors.joining(",")) + ")";
    if (credits != null) {
      // Read by both writes below; on disk, like the journeys (AttributionJob says why).
      Dataset<Row> shared = credits.persist(StorageLevel.DISK_ONLY());
      try {
        Dataset<Row> daily = JourneyCredits.daily(shared).select(lit(runDate).as("run_date"), col("conversion_date"),
            col("sales_channel"), col("model"), lit(o.order()).as("markov_order"), col("channel"),
            round(col("conversions"), 9).as("conversions"), round(col("revenue_cny"), 4).as("revenue_cny"));
        writer.replaceWhere(daily.coalesce(1), AttributionJob.SCHEMA, DAILY, "conversion_date" + window + scope, List.of());
        Dataset<Row> first = JourneyCredits.firstPurchases(shared).select(lit(runDate).as("run_date"), col("customer_id"),
            col("first_purchase_date"), col("model"), lit(o.order()).as("markov_order"), col("channel"),
            round(col("conversions"), 9).as("conversions"), round(col("revenue_cny"), 4).as("revenue_cny"));
        writer.replaceWhere(first, RESTRICTED, FIRST_PURCHASE, "first_purchase_date" + window + scope, List.of());
      } finally {
        shared.unpersist();
      }
    }
    Dataset<Row> reach = JourneyCredits.reach(journeys).select(lit(runDate).as("run_date"), col("end_date"), col("channel"),
        col("journeys"), col("converted_journeys"));
    writer.replaceWhere(reach.coalesce(1), AttributionJob.SCHEMA, JOURNEYS_DAILY, "end_date" + window, List.of());
  }
}
