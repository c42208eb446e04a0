package io.touchpoint.jobs.attribution;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.touchpoint.attribution.AttributionJourneys;
import io.touchpoint.attribution.ChannelCredit;
import io.touchpoint.attribution.Credit;
import io.touchpoint.attribution.CreditInterval;
import io.touchpoint.attribution.HeuristicAttribution;
import io.touchpoint.attribution.HeuristicModel;
import io.touchpoint.attribution.Journey;
import io.touchpoint.attribution.Journeys;
import io.touchpoint.attribution.MarkovAttribution;
import io.touchpoint.attribution.MarkovBootstrap;
import io.touchpoint.attribution.MarkovResult;
import io.touchpoint.attribution.Transition;
import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.identity.IdentityJob;
import io.touchpoint.jobs.spark.TableWriter;
import io.touchpoint.jobs.spark.Warehouse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attribution stage: builds the period's journeys from {@code silver.touchpoints} and
 * {@code silver.orders} in Spark ({@link AttributionJourneys}), collects only the aggregated paths
 * (plus per-channel time-decay and experience-split sums), fits the models in plain Java and writes
 * three gold tables, each with one scoped {@code replaceWhere} so a rerun leaves the same rows:
 * <ul>
 *   <li>{@code gold.attribution_by_channel} — one row per run date × period × model × order × channel,
 *       including a {@code direct} row so every model's conversions add up to the period's;</li>
 *   <li>{@code gold.attribution_paths} — the top {@value #TOP_PATHS} paths;</li>
 *   <li>{@code gold.attribution_transitions} — the Markov chain's transitions;</li>
 *   <li>per conversion date and per first purchase: see {@link DailyCredits}.</li>
 * </ul>
 */
public final class AttributionJob {
  private static final Logger LOG = LoggerFactory.getLogger(AttributionJob.class);
  public static final String SCHEMA = "gold";
  public static final String BY_CHANNEL = "attribution_by_channel";
  public static final String PATHS = "attribution_paths";
  public static final String TRANSITIONS = "attribution_transitions";
  public static final int TOP_PATHS = 100;

  /** Everything one run depends on; defaults from METRICS.md. */
  public record Options(AttributionJourneys.Period period, int order, Set<AttributionModel> models, int bootstrap,
      long seed, double level, double halfLifeDays, int experienceDays, double storeShare) {
    public static final int DEFAULT_WINDOW_DAYS = 30;
    public static final int DEFAULT_LOOKBACK_DAYS = 30;
    public static final int DEFAULT_BOOTSTRAP = 200;
    public static final int DEFAULT_EXPERIENCE_DAYS = 14;
    public static final double DEFAULT_STORE_SHARE = 0.3;

    public Options {
      MarkovAttribution.checkOrder(order);
      models = Set.copyOf(models);
      if (models.isEmpty()) {
        throw Errors.badAttributionOption("--models", "no model was named", "Pass e.g. --models markov,last");
      }
      if (bootstrap != 0) {
        new MarkovBootstrap.Options(bootstrap, level, seed);
      }
      if (!(halfLifeDays > 0) || Double.isInfinite(halfLifeDays)) {
        throw Errors.badAttributionOption("--half-life-days " + halfLifeDays, "the time-decay half-life must be a"
            + " positive number of days", "Pass e.g. --half-life-days 7");
      }
      if (experienceDays < 0) {
        throw Errors.badAttributionOption("--experience-days " + experienceDays, "it must not be negative",
            "Pass e.g. --experience-days 14");
      }
      if (!(storeShare >= 0 && storeShare <= 1)) {
        throw Errors.badAttributionOption("--store-share " + storeShare, "the store's share must be between 0 and 1",
            "Pass e.g. --store-share 0.3 for store : online = 3 : 7");
      }
    }

    public static Options defaults(LocalDate runDate) {
      return new Options(new AttributionJourneys.Period(runDate, DEFAULT_WINDOW_DAYS, DEFAULT_LOOKBACK_DAYS), 1,
          EnumSet.allOf(AttributionModel.class), DEFAULT_BOOTSTRAP, 1L, 0.95,
          HeuristicAttribution.DEFAULT_HALF_LIFE.toDays(), DEFAULT_EXPERIENCE_DAYS, DEFAULT_STORE_SHARE);
    }
  }

  /**
   * The run dates that give every date of a range its daily credits ({@link DailyCredits}): the
   * last date, then one window earlier, and so on while the window still reaches into the range;
   * oldest first. A range no longer than the window needs one run (its last date), as before.
   */
  public static List<LocalDate> runDatesCovering(List<LocalDate> dates, int windowDays) {
    LocalDate first = dates.get(0);
    List<LocalDate> out = new ArrayList<>();
    for (LocalDate d = dates.get(dates.size() - 1); !d.isBefore(first); d = d.minusDays(windowDays)) {
      out.add(0, d);
    }
    return out;
  }

  /** What a run found: the period's converting journeys (occasions), those without a touch, and the distinct paths. */
  public record Result(double conversions, double directConversions, double nulls, int paths) {}

  static final StructType BY_CHANNEL_SCHEMA = new StructType()
      .add("run_date", DataTypes.DateType, false).add("period_start", DataTypes.DateType, false)
      .add("period_end", DataTypes.DateType, false).add("model", DataTypes.StringType, false)
      .add("markov_order", DataTypes.IntegerType, false).add("channel", DataTypes.StringType, false)
      .add("conversions", DataTypes.DoubleType, false).add("revenue_cny", DataTypes.DoubleType, false)
      .add("removal_effect", DataTypes.DoubleType, true).add("share", DataTypes.DoubleType, true)
      .add("ci_low", DataTypes.DoubleType, true).add("ci_high", DataTypes.DoubleType, true)
      .add("revenue_ci_low_cny", DataTypes.DoubleType, true).add("revenue_ci_high_cny", DataTypes.DoubleType, true)
      .add("ci_level", DataTypes.DoubleType, true);
  static final StructType PATHS_SCHEMA = new StructType()
      .add("run_date", DataTypes.DateType, false).add("markov_order", DataTypes.IntegerType, false)
      .add("path", DataTypes.StringType, false).add("conversions", DataTypes.DoubleType, false)
      .add("revenue_cny", DataTypes.DoubleType, false).add("nulls", DataTypes.DoubleType, false)
      .add("rank", DataTypes.IntegerType, false);
  static final StructType TRANSITIONS_SCHEMA = new StructType()
      .add("run_date", DataTypes.DateType, false).add("markov_order", DataTypes.IntegerType, false)
      .add("from_state", DataTypes.StringType, false).add("to_state", DataTypes.StringType, false)
      .add("probability", DataTypes.DoubleType, false).add("weight", DataTypes.DoubleType, false);

  private final Warehouse warehouse;
  private final TableWriter writer;

  public AttributionJob(Warehouse warehouse, String runId) {
    this.warehouse = warehouse;
    this.writer = new TableWriter(warehouse, runId, "attribution");
  }

  private record PathRow(String path, double conversions, double value, double nulls) {}

  public Result run(Options o) {
    AttributionJourneys.Period period = o.period();
    LocalDate runDate = period.runDate();
    warehouse.spark().sparkContext().setJobGroup("attribution", "attribution " + runDate + " (" + period.windowDays()
        + " days, order " + o.order() + ")", false);
    for (String t : List.of("touchpoints", "orders")) {
      if (!warehouse.exists("silver", t)) {
        throw Errors.input("run the attribution for " + runDate, "silver." + t + " does not exist in " + warehouse.root(),
            "Run the silver stage first, e.g. touchpoint silver --run-date " + runDate);
      }
    }
    // Only the partitions the window needs: ingest holds every touch to its export date (WRONG_DATE
    // rejects), so event_date = _export_date and the partition filter drops exactly the older touches.
    // The run's cost then follows the window and lookback, not the warehouse's history (issue 9).
    LocalDate touchesFrom = java.util.Collections.min(List.of(period.readFrom(),
        period.start().minusDays(o.experienceDays() + 1L)));
    // With the customer ids of now: the touch log keeps those of when each touch landed.
    Dataset<Row> touches = IdentityJob.touches(warehouse)
        .where(col("_export_date").geq(lit(java.sql.Date.valueOf(touchesFrom))));
    Dataset<Row> orders = warehouse.read("silver", "orders");
    // The journeys (and DailyCredits' credits) are cached on disk, not in memory: cached in memory they
    // hold storage memory that the credits' sorts cannot reclaim. At 10^6 customers with a 4 GB heap
    // (local mode: the executors share it) the credits stage then failed with UNABLE_TO_ACQUIRE_MEMORY;
    // on disk it passes, and at 8 GB the stage is no slower (docs/BENCHMARKS.md, M population).
    Dataset<Row> journeys = AttributionJourneys.build(touches, orders, period).persist(StorageLevel.DISK_ONLY());
    // The experience split's per-order credits feed its channel totals and the daily credits. Computed once: each
    // computation scans the window's touch log for store visits, while the credits are one or two rows per order.
    Dataset<Row> experience = o.models().contains(AttributionModel.EXPERIENCE_SPLIT)
        ? AttributionJourneys.experienceCredits(touches, orders, period, o.experienceDays(), o.storeShare())
            .persist(StorageLevel.DISK_ONLY())
        : null;
    try {
      List<PathRow> paths = new ArrayList<>();
      for (Row r : AttributionJourneys.paths(journeys).collectAsList()) {
        paths.add(new PathRow(r.getString(0), r.getDouble(1), r.getDouble(2), r.getDouble(3)));
      }
      // Spark returns groups in any order: sort so that sums, channel order and ranks are reproducible.
      paths.sort(Comparator.comparing(PathRow::path));
      double conversions = paths.stream().mapToDouble(PathRow::conversions).sum();
      double nulls = paths.stream().mapToDouble(PathRow::nulls).sum();
      PathRow direct = paths.stream().filter(p -> p.path().isEmpty()).findFirst().orElse(new PathRow("", 0, 0, 0));
      List<Journey> touched = paths.stream().filter(p -> !p.path().isEmpty())
          .map(p -> Journey.of(p.path(), AttributionJourneys.SEPARATOR, p.conversions(), p.value(), p.nulls())).toList();
      LOG.info("attribution {}: {} converting journeys ({} direct), {} nulls, {} distinct paths", runDate,
          conversions, direct.conversions(), nulls, touched.size());

      List<Row> byChannel = new ArrayList<>();
      List<Row> transitions = new ArrayList<>();
      double touchedConversions = conversions - direct.conversions();
      Journeys chainInput = Journeys.of(touched);
      Map<String, double[]> removalEffects = null;
      if (o.models().contains(AttributionModel.MARKOV) && touchedConversions > 0) {
        MarkovResult markov = MarkovAttribution.fit(chainInput, o.order());
        removalEffects = new HashMap<>();
        for (ChannelCredit c : markov.credits()) {
          removalEffects.put(c.channel(), new double[] {c.removalEffectConversion(), c.removalEffectValue()});
        }
        Map<String, CreditInterval> ci = new HashMap<>();
        if (o.bootstrap() > 0) {
          MarkovBootstrap.intervals(chainInput, o.order(), new MarkovBootstrap.Options(o.bootstrap(), o.level(), o.seed()))
              .forEach(i -> ci.put(i.channel(), i));
        }
        for (ChannelCredit c : markov.credits()) {
          CreditInterval i = ci.get(c.channel());
          byChannel.add(channelRow(o, AttributionModel.MARKOV, c.channel(), c.attributedConversions(), c.attributedValue(),
              c.removalEffectConversion(), conversions, i));
        }
        for (Transition t : markov.transitions()) {
          transitions.add(RowFactory.create(runDate, o.order(), t.from(), t.to(), round(t.probability(), 9),
              round(t.weight(), 6)));
        }
      } else if (o.models().contains(AttributionModel.MARKOV)) {
        LOG.warn("attribution {}: no converting journey with a touch; the Markov model has no channel rows", runDate);
      }
      if (touchedConversions > 0) {
        Map<HeuristicModel, List<Credit>> heuristics = HeuristicAttribution.compute(chainInput);
        Map<AttributionModel, HeuristicModel> names = Map.of(AttributionModel.FIRST, HeuristicModel.FIRST_TOUCH,
            AttributionModel.LAST, HeuristicModel.LAST_TOUCH, AttributionModel.LINEAR, HeuristicModel.LINEAR,
            AttributionModel.POSITION, HeuristicModel.POSITION_BASED);
        for (AttributionModel m : o.models()) {
          if (names.containsKey(m)) {
            for (Credit c : heuristics.get(names.get(m))) {
              byChannel.add(channelRow(o, m, c.channel(), c.conversions(), c.value(), null, conversions, null));
            }
          }
        }
      }
      if (o.models().contains(AttributionModel.TIME_DECAY)) {
        List<Row> decay = new ArrayList<>(AttributionJourneys.timeDecay(journeys, o.halfLifeDays()).collectAsList());
        decay.sort(Comparator.comparing(r -> r.getString(0)));
        for (Row r : decay) {
          byChannel.add(channelRow(o, AttributionModel.TIME_DECAY, r.getString(0), r.getDouble(1), r.getDouble(2), null,
              conversions, null));
        }
      }
      for (AttributionModel m : o.models()) {
        if (m != AttributionModel.EXPERIENCE_SPLIT) {
          byChannel.add(channelRow(o, m, AttributionJourneys.DIRECT, direct.conversions(), direct.value(), null,
              conversions, null));
        }
      }
      if (o.models().contains(AttributionModel.EXPERIENCE_SPLIT)) {
        List<Row> split = new ArrayList<>(AttributionJourneys.experienceSplit(experience).collectAsList());
        split.sort(Comparator.comparing(r -> r.getString(0)));
        for (Row r : split) {
          byChannel.add(channelRow(o, AttributionModel.EXPERIENCE_SPLIT, r.getString(0), r.getDouble(1), r.getDouble(2),
              null, conversions, null));
        }
      }

      List<PathRow> top = touched.isEmpty() ? List.of() : paths.stream().filter(p -> !p.path().isEmpty())
          .sorted(Comparator.comparingDouble(PathRow::conversions).reversed()
              .thenComparing(Comparator.comparingDouble(PathRow::nulls).reversed())
              .thenComparing(PathRow::path))
          .limit(TOP_PATHS).toList();
      List<Row> pathRows = new ArrayList<>();
      for (int i = 0; i < top.size(); i++) {
        PathRow p = top.get(i);
        pathRows.add(RowFactory.create(runDate, o.order(), p.path(), p.conversions(), round(p.value(), 2),
            p.nulls(), i + 1));
      }

      String models = o.models().stream().map(m -> "'" + m.label() + "'").sorted().collect(Collectors.joining(","));
      String scope = "run_date = DATE'" + runDate + "' AND markov_order = " + o.order();
      // mergeSchema: warehouses written before the revenue interval columns existed gain them (null in old rows).
      writer.replaceWhere(frame(byChannel, BY_CHANNEL_SCHEMA), SCHEMA, BY_CHANNEL,
          scope + " AND period_start = DATE'" + period.start() + "' AND model IN (" + models + ")", List.of("run_date"),
          true);
      writer.replaceWhere(frame(pathRows, PATHS_SCHEMA), SCHEMA, PATHS, scope, List.of("run_date"));
      if (o.models().contains(AttributionModel.MARKOV)) {
        writer.replaceWhere(frame(transitions, TRANSITIONS_SCHEMA), SCHEMA, TRANSITIONS, scope, List.of("run_date"));
      }
      new DailyCredits(writer).write(o, journeys, experience, orders, removalEffects);
      return new Result(conversions, direct.conversions(), nulls, touched.size());
    } finally {
      journeys.unpersist();
      if (experience != null) {
        experience.unpersist();
      }
    }
  }

  /** One row of gold.attribution_by_channel; {@code ci} is the Markov bootstrap interval, null elsewhere. */
  private Row channelRow(Options o, AttributionModel model, String channel, double conversions, double value,
      Double removalEffect, double total, CreditInterval ci) {
    AttributionJourneys.Period p = o.period();
    return RowFactory.create(p.runDate(), p.start(), p.runDate(), model.label(),
        o.order(), channel, round(conversions, 6), round(value, 2), removalEffect == null ? null : round(removalEffect, 9),
        total > 0 ? round(conversions / total, 9) : null,
        ci == null ? null : round(ci.conversionsLow(), 6), ci == null ? null : round(ci.conversionsHigh(), 6),
        ci == null ? null : round(ci.valueLow(), 2), ci == null ? null : round(ci.valueHigh(), 2),
        ci == null ? null : o.level());
  }

  private Dataset<Row> frame(List<Row> rows, StructType schema) {
    return warehouse.spark().createDataFrame(rows, schema);
  }

  /** Rounded so that a rerun whose sums differ in the last bit writes the same values. */
  static double round(double v, int digits) {
    return java.math.BigDecimal.valueOf(v).setScale(digits, java.math.RoundingMode.HALF_EVEN).doubleValue();
  }
}
