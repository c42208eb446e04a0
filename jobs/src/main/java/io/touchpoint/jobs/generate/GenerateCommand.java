package io.touchpoint.jobs.generate;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code touchpoint generate}: writes realistic channel export files with a known ground truth. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Generate realistic channel export files (docs/EXPORTS.md) from a simulated population, with the"
        + " ground truth in _truth/ and every injected fault in _defects/manifest.csv.")
public final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, description = "Output folder (empty, new, or a previous generate output).")
  Path out;

  @Option(names = "--customers", required = true, description = "Number of simulated persons (>= 1).")
  int customers;

  @Option(names = "--days", required = true, description = "Number of export days (>= 1).")
  int days;

  @Option(names = "--start-date", required = true, description = "First export day, YYYY-MM-DD.")
  LocalDate startDate;

  @Option(names = "--seed", required = true, description = "Random seed; same arguments give byte-identical files.")
  long seed;

  @Option(names = "--defect-rate", defaultValue = "0", description = "Share of data rows given a fault, 0 to 0.2 (default 0).")
  double defectRate;

  @Option(names = "--file-defects", defaultValue = "0", description = "Number of files given a file-level fault (default 0).")
  int fileDefects;

  @Option(names = "--incrementality", description = "Also simulate the world once without each marketing channel"
      + " (same seeds) and write the true incremental purchases to _truth/channel_incrementality.csv (about 12 times"
      + " the simulation time).")
  boolean incrementality;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    GeneratorConfig config = GeneratorConfig.of(out, customers, days, startDate, seed).withDefects(defectRate, fileDefects);
    GenerationSummary s = ExportGenerator.generate(incrementality ? config.withIncrementality() : config);
    spec.commandLine().getOut().printf("Wrote %d days of exports to %s: %d orders, %d touches, %d injected faults (%.1f s)%n",
        days, s.out(), s.orders(), s.touches(), s.defects(), s.millis() / 1000.0);
    return 0;
  }
}
