package io.touchpoint.cli;

import io.touchpoint.clv.ClvSettings;
import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.clv.ClvJob;
import io.touchpoint.jobs.pipeline.Stage;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** One picocli command per job; each is thin and delegates to {@link io.touchpoint.jobs.pipeline.Pipeline}. */
final class StageCommands {
  private StageCommands() {}

  @Command(name = "ingest", mixinStandardHelpOptions = true,
      description = "Land the channel exports of a date (or range) in bronze.<source>__<entity> Delta tables; bad rows go to ops.rejects.")
  static final class Ingest extends JobCommand {
    @Mixin DateOptions dateOptions;

    @Override
    List<LocalDate> dates() {
      return dateOptions.dates();
    }

    @Override
    Set<Stage> stages() {
      return EnumSet.of(Stage.INGEST);
    }
  }

  @Command(name = "identity", mixinStandardHelpOptions = true,
      description = "Resolve customers across channels from the identifiers landed for a date (or range): silver.identity_map.")
  static final class Identity extends JobCommand {
    @Mixin DateOptions dateOptions;

    @Override
    List<LocalDate> dates() {
      return dateOptions.dates();
    }

    @Override
    Set<Stage> stages() {
      return EnumSet.of(Stage.IDENTITY);
    }
  }

  @Command(name = "silver", mixinStandardHelpOptions = true,
      description = "Build silver.orders, silver.touchpoints, silver.ad_spend and silver.customers for a date (or range).")
  static final class Silver extends JobCommand {
    @Mixin DateOptions dateOptions;

    @Override
    List<LocalDate> dates() {
      return dateOptions.dates();
    }

    @Override
    Set<Stage> stages() {
      return EnumSet.of(Stage.SILVER);
    }
  }

  @Command(name = "clv", mixinStandardHelpOptions = true,
      description = "Fit BG/NBD + Gamma-Gamma on silver.orders up to the run date and write gold.customer_value,"
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
