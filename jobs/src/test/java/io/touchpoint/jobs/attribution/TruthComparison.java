package io.touchpoint.jobs.attribution;

import io.touchpoint.attribution.AttributionJourneys;
import io.touchpoint.jobs.support.GeneratedWorld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The attribution stage run on a {@link GeneratedWorld} (window 30 days ending on its last day,
 * lookback 30, Markov order 1 and the heuristics) next to the world's true incremental purchases
 * ({@code _truth/channel_incrementality.csv}, summed over the window). Shares are over the marketing
 * channels: a model's attributed conversions (direct excluded), and each channel's purchases lost
 * when it is removed. Closeness is the total variation distance ½ Σ |model share − true share|
 * (0: the same profile, 1: disjoint) and the Spearman correlation of the shares.
 */
final class TruthComparison {
  static final int WINDOW_DAYS = 30;
  static final List<AttributionModel> MODELS = List.of(AttributionModel.MARKOV, AttributionModel.LAST,
      AttributionModel.FIRST, AttributionModel.LINEAR, AttributionModel.POSITION, AttributionModel.TIME_DECAY);

  final GeneratedWorld world;
  final LocalDate runDate = GeneratedWorld.LAST_DAY;
  /** Channel → purchases in the window that would not have happened without it. */
  final Map<String, Double> incremental = new TreeMap<>();
  double purchases;
  /** Model → channel → attributed conversions in the window (direct excluded). */
  final Map<String, Map<String, Double>> credit = new TreeMap<>();
  final double conversions;
  final double markovTotal;
  final AttributionJourneys.Period period =
      new AttributionJourneys.Period(runDate, WINDOW_DAYS, AttributionJob.Options.DEFAULT_LOOKBACK_DAYS);

  TruthComparison(GeneratedWorld world) {
    this.world = world;
    LocalDate from = runDate.minusDays(WINDOW_DAYS - 1);
    List<String> lines;
    try {
      lines = Files.readAllLines(world.exports.resolve("_truth/channel_incrementality.csv"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      LocalDate day = LocalDate.parse(f[0]);
      if (!day.isBefore(from) && !day.isAfter(runDate)) {
        incremental.merge(f[1], Double.parseDouble(f[4]), Double::sum);
        if (f[1].equals("search_ads")) {
          purchases += Double.parseDouble(f[2]); // the date's purchases, once per date
        }
      }
    }
    AttributionJob.Options options = new AttributionJob.Options(period, 1, EnumSet.copyOf(MODELS), 0, 1L, 0.95, 7, 14, 0.3);
    conversions = new AttributionJob(world.warehouse, "generated-attribution").run(options).conversions();
    for (Row r : world.warehouse.read("gold", AttributionJob.BY_CHANNEL).where("channel <> 'direct'").collectAsList()) {
      credit.computeIfAbsent(r.getAs("model"), m -> new TreeMap<>()).put(r.getAs("channel"), r.<Double>getAs("conversions"));
    }
    markovTotal = world.warehouse.read("gold", AttributionJob.BY_CHANNEL).where("model = 'markov'")
        .agg(functions.sum("conversions")).first().getDouble(0);
  }

  /** A channel's share of the map's total, negative values counted as 0. */
  static double share(Map<String, Double> values, String channel) {
    double total = values.values().stream().mapToDouble(v -> Math.max(0, v)).sum();
    return Math.max(0, values.getOrDefault(channel, 0.0)) / total;
  }

  double trueShare(String channel) {
    return share(incremental, channel);
  }

  double share(AttributionModel model, String channel) {
    return share(credit.get(model.label()), channel);
  }

  double distance(AttributionModel model) {
    return 0.5 * incremental.keySet().stream().mapToDouble(c -> Math.abs(share(model, c) - trueShare(c))).sum();
  }

  double rankCorrelation(AttributionModel model) {
    return new SpearmansCorrelation().correlation(
        incremental.keySet().stream().mapToDouble(this::trueShare).toArray(),
        incremental.keySet().stream().mapToDouble(c -> share(model, c)).toArray());
  }

  /**
   * Per channel: the share of the converting journeys it ends (last touch) in which that last touch
   * came at most {@code seconds} before the conversion, i.e. was most likely caused by the purchase.
   */
  Map<String, Double> lastTouchesJustBeforeTheConversion(long seconds) {
    Map<String, Double> out = new TreeMap<>();
    for (Row r : AttributionJourneys.build(io.touchpoint.jobs.identity.IdentityJob.touches(world.warehouse),
            world.warehouse.read("silver", "orders"), period)
        .where("is_converted AND touch_count > 0")
        .selectExpr("element_at(touches, -1).channel AS channel",
            "unix_seconds(converted_at) - element_at(touches, -1).at_seconds <= " + seconds + " AS close")
        .groupBy("channel").agg(functions.avg(functions.col("close").cast("double"))).collectAsList()) {
      out.put(r.getString(0), r.getDouble(1));
    }
    return out;
  }

  String table() {
    StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%d purchases in the window, %.0f identified"
        + " converting journeys%n%-16s %7s %7s", (long) purchases, conversions, "channel", "lost", "share"));
    MODELS.forEach(m -> t.append(String.format(Locale.ROOT, " %10s", m.label())));
    for (String c : incremental.keySet()) {
      t.append(String.format(Locale.ROOT, "%n%-16s %7.0f %7.4f", c, incremental.get(c), trueShare(c)));
      MODELS.forEach(m -> t.append(String.format(Locale.ROOT, " %10.4f", share(m, c))));
    }
    t.append(String.format(Locale.ROOT, "%n%-32s", "TV distance to the true shares"));
    MODELS.forEach(m -> t.append(String.format(Locale.ROOT, " %10.3f", distance(m))));
    t.append(String.format(Locale.ROOT, "%n%-32s", "Spearman with the true shares"));
    MODELS.forEach(m -> t.append(String.format(Locale.ROOT, " %10.3f", rankCorrelation(m))));
    return t.toString();
  }
}
