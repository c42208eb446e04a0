package io.touchpoint.cli;

import io.touchpoint.jobs.clv.ClvJob;
import io.touchpoint.errors.Errors;
import io.touchpoint.clv.ClvSettings;
import io.touchpoint.attribution.AttributionJourneys;
import io.touchpoint.attribution.HeuristicAttribution;
import io.touchpoint.jobs.attribution.AttributionJob;
import io.touchpoint.jobs.attribution.AttributionModel;
import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.pipeline.RunIds;
import io.touchpoint.jobs.pipeline.Stage;
import io.touchpoint.jobs.spark.Sessions;
import io.touchpoint.jobs.spark.Warehouse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
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
    Ingest() {
      super(Stage.INGEST);
    }
  }

  @Command(name = "identity", mixinStandardHelpOptions = true,
      description = "Resolve customers across channels from the identifiers landed for a date (or range): silver.identity_map.")
  static final class Identity extends SingleStage {
    Identity() {
      super(Stage.IDENTITY);
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
      description = {"Attribute the purchase occasions of the window ending at --run-date to marketing channels (Markov",
          "chain solved exactly, heuristics, experience split): gold.attribution_by_channel, gold.attribution_paths,",
          "gold.attribution_transitions. Reads silver.touchpoints and silver.orders (identified customers)."})
  static final class Attribution extends JobCommand {
    @Option(names = "--run-date", required = true, paramLabel = "YYYY-MM-DD", description = "Last day of the window.")
    LocalDate runDate;

    @Option(names = "--window-days", defaultValue = "30", description = "Conversions dated in (run date - N, run date] (default ${DEFAULT-VALUE}).")
    int windowDays;

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

    @Option(names = "--experience-days", defaultValue = "14", description = "Experience split: store visit at most N days before the online order (default ${DEFAULT-VALUE}).")
    int experienceDays;

    @Option(names = "--store-share", defaultValue = "0.3", description = "Experience split: store's share of the order value (default ${DEFAULT-VALUE}, i.e. 3 : 7).")
    double storeShare;

    @Override
    List<LocalDate> dates() {
      return List.of(runDate);
    }

    @Override
    Set<Stage> stages() {
      return EnumSet.of(Stage.ATTRIBUTION);
    }

    AttributionJob.Options options() {
      return new AttributionJob.Options(new AttributionJourneys.Period(runDate, windowDays, lookbackDays), order,
          AttributionModel.parse(models), bootstrap, seed, 0.95, HeuristicAttribution.DEFAULT_HALF_LIFE.toDays(),
          experienceDays, storeShare);
    }

    @Override
    public Integer call() {
      AttributionJob.Options options = options();
      TouchpointConfig config = warehouseOptions.resolve(false);
      Instant t0 = Instant.now();
      SparkSession spark = Sessions.create(config, "touchpoint attribution");
      Warehouse warehouse = Warehouse.open(spark, config.warehouse());
      AttributionJob.Result r = new AttributionJob(warehouse, RunIds.next("attribution", t0)).run(options);
      spec.commandLine().getOut().printf(java.util.Locale.ROOT,
          "attribution %s (window %s..%s, order %d): %.0f conversions (%.0f direct), %.0f journeys without conversion,"
              + " %d distinct paths%nwrote gold.%s, gold.%s%s%nelapsed: %.1f s%n",
          runDate, options.period().start(), runDate, order, r.conversions(), r.directConversions(), r.nulls(), r.paths(),
          AttributionJob.BY_CHANNEL, AttributionJob.PATHS,
          options.models().contains(AttributionModel.MARKOV) ? ", gold." + AttributionJob.TRANSITIONS : "",
          Duration.between(t0, Instant.now()).toMillis() / 1000.0);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "clv", mixinStandardHelpOptions = true,
      description = "Fit BG/NBD + Gamma-Gamma on silver.orders up to the run date and write restricted.customer_value,"
          + " gold.clv_model and gold.ltv_by_acquisition_channel for that date; fails (exit 3) if the data cannot identify the models.")
  static final class Clv extends JobCommand {
    @Option(names = "--run-date", required = true, paramLabel = "YYYY-MM-DD",
        description = "Calibration end: orders up to and including this business date.")
    LocalDate runDate;

    @Option(names = "--margin", defaultValue = "0.30", description = "Gross margin applied to spend (default ${DEFAULT-VALUE}).")
    double margin;

    @Option(names = "--discount-monthly", defaultValue = "0.01", description = "Monthly discount rate (default ${DEFAULT-VALUE}).")
    double discountMonthly;

    @Option(names = "--horizon-months", defaultValue = "12", description = "CLV horizon in months (default ${DEFAULT-VALUE}).")
    int horizonMonths;

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

    @Override
    ClvJob.Options clvOptions() {
      if (!(margin >= 0 && margin <= 1)) {
        throw Errors.usage("use --margin " + margin, "the margin is a share between 0 and 1", "e.g. --margin 0.30");
      }
      if (!(discountMonthly >= 0)) {
        throw Errors.usage("use --discount-monthly " + discountMonthly, "the rate must be 0 or more", "e.g. --discount-monthly 0.01");
      }
      if (horizonMonths < 1) {
        throw Errors.usage("use --horizon-months " + horizonMonths, "the horizon must be at least one month", "e.g. --horizon-months 12");
      }
      return new ClvJob.Options(new ClvSettings(margin, discountMonthly, horizonMonths), ClvJob.IfNotIdentified.FAIL);
    }
  }

  @Command(name = "nightly", mixinStandardHelpOptions = true,
      description = "Run every stage for one export date (what the Airflow DAG calls).")
  static final class Nightly extends JobCommand {
    @Option(names = "--run-date", required = true, paramLabel = "YYYY-MM-DD", description = "The export date to process.")
    LocalDate runDate;

    @Override
    List<LocalDate> dates() {
      return List.of(runDate);
    }

    @Override
    Set<Stage> stages() {
      return EnumSet.allOf(Stage.class);
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
