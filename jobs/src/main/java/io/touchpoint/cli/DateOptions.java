package io.touchpoint.cli;

import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.pipeline.Pipeline;
import java.time.LocalDate;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --run-date D} or {@code --from D1 --to D2}. */
public final class DateOptions {
  @Option(names = "--run-date", paramLabel = "YYYY-MM-DD", description = "The export date to process.")
  LocalDate runDate;

  @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "First export date of a range (with --to).")
  LocalDate from;

  @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last export date of a range (with --from).")
  LocalDate to;

  public List<LocalDate> dates() {
    if (runDate != null && from == null && to == null) {
      return List.of(runDate);
    }
    if (runDate == null && from != null && to != null) {
      if (to.isBefore(from)) {
        throw Errors.usage("process " + from + ".." + to, "--to is before --from", "Swap the two dates");
      }
      return Pipeline.range(from, to);
    }
    throw Errors.usage("choose the dates to process", "give either --run-date D, or both --from D1 and --to D2",
        "e.g. --run-date 2026-01-05");
  }
}
