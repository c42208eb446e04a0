package io.touchpoint.cli;

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
