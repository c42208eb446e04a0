package io.touchpoint.cli;

import io.touchpoint.jobs.clv.ClvJob;
import io.touchpoint.errors.Errors;
import io.touchpoint.attribution.AttributionJourneys;
import io.touchpoint.ingest.BronzeTable;
import io.touchpoint.jobs.attribution.AttributionJob;
import io.touchpoint.jobs.attribution.DailyCredits;
import io.touchpoint.jobs.attribution.AttributionModel;
import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.pipeline.RunIds;
import io.touchpoint.jobs.pipeline.Stage;
import io.touchpoint.jobs.spark.Sandbox;
import io.touchpoint.jobs.spark.Sessions;
import io.touchpoint.jobs.spark.Warehouse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** One picocli command per job; each is thin and delegates to {@link io.touchpoint.jobs.pipeline.Pipeline}. */
final class StageCommands {
  private StageCommands() {}

  /** A command that runs one stage for {@code --run-date D} or {@code --from D1 --to D2}. */
  abstract static class SingleStage extends JobCommand {
    @Mixin DateOptions dateOptions;
    private final Stage stage;

    SingleStage(Stage stage) {
      this.stage = stage;
    }

    @Override
    List<LocalDate> dates() {
      return dateOptions.dates();
    }

    @Override
    Set<Stage> stages() {
      return EnumSet.of(stage);
    }
  }

  @Command(name = "ingest", mixinStandardHelpOptions = true,
      description = "Land the channel exports of a date (or range) in bronze.<source>__<entity> Delta tables; bad rows go to ops.rejects.")
  static final class Ingest extends SingleStage {
    @Option(names = "--sources", split = ",", paramLabel = "SOURCE",
        description = "Only these sources, comma-separated (default: all of ${COMPLETION-CANDIDATES}). The Airflow DAG"
            + " ingests each source in its own task.",
        completionCandidates = SourceNames.class)
    List<String> sourceNames;

    Ingest() {
      super(Stage.INGEST);
    }

    @Override
    Set<String> sources() {
      if (sourceNames == null) {
        return super.sources();
      }
      List<String> known = BronzeTable.sources();
      List<String> unknown = sourceNames.stream().filter(s -> !known.contains(s)).toList();
      if (!unknown.isEmpty() || sourceNames.isEmpty()) {
        throw Errors.usage("ingest --sources " + String.join(",", sourceNames),
            unknown.isEmpty() ? "no source was named" : "unknown source(s) " + unknown,
            "Choose from " + String.join(",", known));
      }
      return Set.copyOf(sourceNames);
    }
  }

  /** The source names of the export contracts, for {@code --sources} help. */
  static final class SourceNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return BronzeTable.sources().iterator();
    }
  }

  @Command(name = "identity", mixinStandardHelpOptions = true,
      description = "Resolve customers across channels from the identifiers landed for a date (or range): silver.identity_map.")
  static final class Identity extends SingleStage {
    Identity() {
      super(Stage.IDENTITY);
    }
  }

  @Command(name = "maintain", mixinStandardHelpOptions = true,
      description = {"Housekeeping, the nightly's last stage: compact (Delta OPTIMIZE) every table holding at least",
          "maintenance.compact-min-files files (default 50) and, on maintenance.vacuum-day (default sunday), VACUUM every table",
          "with maintenance.vacuum-retention-hours (default 168). Rows are never changed. Logged in ops.maintenance."})
  static final class Maintain extends SingleStage {
    @Option(names = "--vacuum", description = "Vacuum every table now, whatever the vacuum day.")
    boolean vacuum;

    @Option(names = "--retention-hours", paramLabel = "H",
        description = "VACUUM retention for this run (at least 168; default maintenance.vacuum-retention-hours).")
    Long retentionHours;

    Maintain() {
      super(Stage.MAINTAIN);
    }

    @Override
    Map<String, String> configFlags() {
      Map<String, String> flags = new java.util.HashMap<>();
      if (vacuum) {
        List<LocalDate> d = dates();
        flags.put("maintenance.vacuum-day", d.get(d.size() - 1).getDayOfWeek().name());
      }
      if (retentionHours != null) {
        flags.put("maintenance.vacuum-retention-hours", String.valueOf(retentionHours));
      }
      return flags;
    }
  }

  @Command(name = "silver", mixinStandardHelpOptions = true,
      description = "Build silver.orders, silver.touchpoints, silver.ad_spend and silver.customers for a date (or range).")
  static final class Silver extends SingleStage {
    Silver() {
      super(Stage.SILVER);
    }
  }

  @Command(name = "attribution", mixinStandardHelpOptions = true,
      description = {"Attribute the purchase occasions of the window ending at --run-date (or of --from..--to)",
          "to marketing channels (Markov chain solved exactly, heuristics, experience split): gold.attribution_by_channel, gold.attribution_paths,",
          "gold.attribution_transitions. Reads silver.touchpoints and silver.orders (identified customers)."})
  static final class Attribution extends JobCommand {
    @Option(names = "--run-date", paramLabel = "YYYY-MM-DD", description = "Last day of the window (or give --from and --to).")
    LocalDate runDate;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD",
        description = "First day of the conversion period, with --to (instead of --run-date and --window-days).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last day of the conversion period: the run date.")
    LocalDate to;

    @Option(names = "--window-days", description = "Conversions dated in (run date - N, run date] (default 30).")
    Integer windowDays;

    @Option(names = "--lookback-days", defaultValue = "30", description = "Journey lookback in days (default ${DEFAULT-VALUE}).")
    int lookbackDays;

    @Option(names = "--order", defaultValue = "1", description = "Markov order 1-4 (default ${DEFAULT-VALUE}).")
    int order;

    @Option(names = "--models", split = ",", paramLabel = "NAME",
        defaultValue = "markov,first,last,linear,time_decay,position,experience_split",
        description = "Models to compute (default ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "--bootstrap", defaultValue = "200", description = "Bootstrap replicates for the Markov intervals, 0 for none (default ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "1", description = "Bootstrap seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--level", defaultValue = "0.95",
        description = "Level of the Markov bootstrap intervals on conversions and revenue (default ${DEFAULT-VALUE}).")
    double level;

    @Option(names = "--half-life-days", defaultValue = "7", paramLabel = "DAYS",
        description = "Time decay: a touch's weight halves for every N days between it and the conversion (default ${DEFAULT-VALUE}).")
    double halfLifeDays;

    @Option(names = "--experience-days", defaultValue = "14", description = "Experience split: store visit at most N days before the online order (default ${DEFAULT-VALUE}).")
    int experienceDays;

    @Option(names = "--store-share", defaultValue = "0.3", description = "Experience split: store's share of the order value (default ${DEFAULT-VALUE}, i.e. 3 : 7).")
    double storeShare;

    @Override
    List<LocalDate> dates() {
      return List.of(period().runDate());
    }

    @Override
    Set<Stage> stages() {
      return EnumSet.of(Stage.ATTRIBUTION);
    }

    @Override
    void validate() {
      options();
    }

    /** {@code --run-date D [--window-days N]}, or {@code --from D1 --to D2} (run date D2, window D2 - D1 + 1 days). */
    AttributionJourneys.Period period() {
      if (runDate != null && from == null && to == null) {
        return new AttributionJourneys.Period(runDate, windowDays == null ? AttributionJob.Options.DEFAULT_WINDOW_DAYS
            : windowDays, lookbackDays);
      }
      if (runDate == null && from != null && to != null && windowDays == null) {
        if (to.isBefore(from)) {
          throw Errors.usage("attribute " + from + ".." + to, "--to is before --from", "Swap the two dates");
        }
        return new AttributionJourneys.Period(to, (int) java.time.temporal.ChronoUnit.DAYS.between(from, to) + 1,
            lookbackDays);
      }
      throw Errors.usage("choose the conversion period", "give either --run-date D (with --window-days N, default 30),"
          + " or both --from D1 and --to D2 without --run-date and --window-days", "e.g. --from 2026-03-01 --to 2026-03-31");
    }

    AttributionJob.Options options() {
      return new AttributionJob.Options(period(), order, AttributionModel.parse(models), bootstrap, seed, level,
          halfLifeDays, experienceDays, storeShare);
    }

    @Override
    public Integer call() {
      AttributionJob.Options options = options();
      LocalDate day = options.period().runDate();
      Optional<Sandbox> sandbox = sandbox(stages());
      TouchpointConfig config = warehouseOptions.resolve(true); // hashes nothing, so it needs no HMAC key
      Instant t0 = Instant.now();
      SparkSession spark = Sessions.create(config, "touchpoint attribution");
      Warehouse warehouse = Warehouse.open(spark, config.warehouse(), sandbox);
      String runId = RunIds.next("attribution", t0);
      AttributionJob.Result r;
      try (var lock = lock(config, spark, stages(), Set.of(), sandbox, runId, "attribution", List.of(day))) {
        io.touchpoint.jobs.pipeline.Pipeline.logStarted(runId, Stage.ATTRIBUTION, List.of(day));
        r = new AttributionJob(warehouse, runId).run(options);
        new io.touchpoint.jobs.lineage.RunLog(warehouse).record(runId, t0, List.of(day), "attribution", null);
      }
      warehouse.register();
      String gold = AttributionJob.SCHEMA;
      spec.commandLine().getOut().printf(java.util.Locale.ROOT,
          "attribution %s (window %s..%s, order %d): %.0f conversions (%.0f direct), %.0f journeys without conversion,"
              + " %d distinct paths%nwrote %s, %s%s; credits per day: %s, %s, %s%nelapsed: %.1f s%n",
          day, options.period().start(), day, order, r.conversions(), r.directConversions(), r.nulls(), r.paths(),
          warehouse.outputName(gold, AttributionJob.BY_CHANNEL), warehouse.outputName(gold, AttributionJob.PATHS),
          options.models().contains(AttributionModel.MARKOV) ? ", " + warehouse.outputName(gold, AttributionJob.TRANSITIONS) : "",
          warehouse.outputName(gold, DailyCredits.DAILY), warehouse.outputName(gold, DailyCredits.JOURNEYS_DAILY),
          warehouse.outputName(DailyCredits.RESTRICTED, DailyCredits.FIRST_PURCHASE),
          Duration.between(t0, Instant.now()).toMillis() / 1000.0);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "clv", mixinStandardHelpOptions = true,
      description = "Fit BG/NBD (or MBG/NBD) + Gamma-Gamma on silver.orders up to the run date and write restricted.customer_value,"
          + " gold.clv_model and gold.ltv_by_acquisition_channel for that date; fails (exit 3) if the data cannot identify the models.")
  static final class Clv extends JobCommand {
    @Option(names = "--run-date", required = true, paramLabel = "YYYY-MM-DD",
        description = "Calibration end: orders up to and including this business date.")
    LocalDate runDate;

    @Option(names = "--margin", paramLabel = "SHARE",
        description = "Gross margin applied to spend, 0..1 (default: clv.margin, $TOUCHPOINT_CLV_MARGIN, else 0.30).")
    Double margin;

    @Option(names = "--discount-monthly", paramLabel = "RATE",
        description = "Monthly discount rate, 0..1 (default: clv.discount-monthly, $TOUCHPOINT_CLV_DISCOUNT_MONTHLY, else 0.01).")
    Double discountMonthly;

    @Option(names = "--horizon-months", paramLabel = "MONTHS",
        description = "CLV horizon in months, 1..1200 (default: clv.horizon-months, $TOUCHPOINT_CLV_HORIZON_MONTHS, else 12).")
    Integer horizonMonths;

    @Option(names = "--model", paramLabel = "MODEL",
        description = "Purchase-count model: bgnbd, or mbgnbd (customers may drop out after their first purchase too)"
            + " (default: clv.model, $TOUCHPOINT_CLV_MODEL, else bgnbd).")
    String model;

    @Override
    List<LocalDate> dates() {
      return List.of(runDate);
    }

    @Override
    Set<Stage> stages() {
      return EnumSet.of(Stage.CLV);
    }

    @Override
    boolean demoKeyAllowed() {
      return true; // the clv stage hashes nothing, so it needs no HMAC key
    }

    /** The flags given, checked here so that a bad flag is a usage error (a bad env or file value is a config error). */
    @Override
    Map<String, String> configFlags() {
      Map<String, String> flags = new HashMap<>();
      if (margin != null) {
        if (!(margin >= 0 && margin <= 1)) {
          throw Errors.usage("use --margin " + margin, "the margin is a share between 0 and 1", "e.g. --margin 0.30");
        }
        flags.put("clv.margin", margin.toString());
      }
      if (discountMonthly != null) {
        if (!(discountMonthly >= 0 && discountMonthly < 1)) {
          throw Errors.usage("use --discount-monthly " + discountMonthly, "the rate must be in [0, 1)",
              "e.g. --discount-monthly 0.01");
        }
        flags.put("clv.discount-monthly", discountMonthly.toString());
      }
      if (horizonMonths != null) {
        if (horizonMonths < 1 || horizonMonths > 1200) {
          throw Errors.usage("use --horizon-months " + horizonMonths, "the horizon must be 1 to 1200 months",
              "e.g. --horizon-months 12");
        }
        flags.put("clv.horizon-months", horizonMonths.toString());
      }
      if (model != null) {
        String m = model.strip().toLowerCase(java.util.Locale.ROOT);
        if (!io.touchpoint.clv.ClvSettings.FREQUENCY_MODELS.contains(m)) {
          throw Errors.usage("use --model " + model, "the customer value stage fits "
              + io.touchpoint.clv.ClvSettings.FREQUENCY_MODELS, "Pass --model bgnbd or --model mbgnbd");
        }
        flags.put("clv.model", m);
      }
      return flags;
    }

    @Override
    ClvJob.Options clvOptions(TouchpointConfig config) {
      return new ClvJob.Options(config.clv(), ClvJob.IfNotIdentified.FAIL);
    }
  }

  @Command(name = "nightly", mixinStandardHelpOptions = true,
      description = {"Run every stage for one export date (what the Airflow DAG calls). Exits 6 after every write when a",
          "critical alert fired (conf/alerts.yaml, or $TOUCHPOINT_ALERTS_FILE)."})
  static final class Nightly extends JobCommand {
    @Option(names = "--run-date", required = true, paramLabel = "YYYY-MM-DD", description = "The export date to process.")
    LocalDate runDate;

    @Option(names = "--reprocess-from", paramLabel = "YYYY-MM-DD",
        description = {"Also reprocess every export date from this one (re-delivered or late exports): the run covers",
            "D..--run-date in one pass; unchanged files are skipped by checksum. Without it, past dates whose files",
            "are new or changed since they were ingested are found and reprocessed the same way (README, \"Late data\")."})
    LocalDate reprocessFrom;

    @Override
    List<LocalDate> dates() {
      if (reprocessFrom == null) {
        return List.of(runDate);
      }
      if (reprocessFrom.isAfter(runDate)) {
        throw Errors.usage("reprocess from " + reprocessFrom + " in the run for " + runDate,
            "--reprocess-from is after --run-date", "Give a date on or before " + runDate);
      }
      return io.touchpoint.jobs.pipeline.Pipeline.range(reprocessFrom, runDate);
    }

    @Override
    Set<Stage> stages() {
      return EnumSet.allOf(Stage.class);
    }

    @Override
    boolean failsOnCriticalAlert() {
      return true;
    }

    @Override
    boolean catchesUpLateData() {
      return true;
    }
  }

  @Command(name = "backfill", mixinStandardHelpOptions = true,
      description = "Run every stage for a range of export dates in one pass (same tables as nightly per date in order).")
  static final class Backfill extends JobCommand {
    @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "First export date.")
    LocalDate from;

    @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "Last export date.")
    LocalDate to;

    @Override
    List<LocalDate> dates() {
      DateOptions d = new DateOptions();
      d.from = from;
      d.to = to;
      return d.dates();
    }

    @Override
    Set<Stage> stages() {
      return EnumSet.allOf(Stage.class);
    }
  }
}
