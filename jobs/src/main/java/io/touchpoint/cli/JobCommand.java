package io.touchpoint.cli;

import io.touchpoint.jobs.clv.ClvJob;
import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.pipeline.Pipeline;
import io.touchpoint.jobs.pipeline.RunIds;
import io.touchpoint.jobs.pipeline.RunSummary;
import io.touchpoint.jobs.pipeline.Stage;
import io.touchpoint.jobs.spark.Sessions;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Base of the Spark job commands: resolve config once, start Spark, run stages, print the summary. */
abstract class JobCommand implements Callable<Integer> {
  @Mixin WarehouseOptions warehouseOptions;
  @Spec CommandSpec spec;

  abstract List<LocalDate> dates();

  abstract Set<Stage> stages();

  boolean demoKeyAllowed() {
    return false;
  }

  /** Settings given on this command's line, keyed like the config file (CLI &gt; env &gt; file &gt; default). */
  Map<String, String> configFlags() {
    return Map.of();
  }

  /** The CLV stage's not-identified policy, with the configured settings; the {@code clv} command fails instead of skipping. */
  ClvJob.Options clvOptions(TouchpointConfig config) {
    return new ClvJob.Options(config.clv(), ClvJob.IfNotIdentified.SKIP);
  }

  @Override
  public Integer call() {
    List<LocalDate> dates = dates();
    Map<String, String> flags = configFlags();
    TouchpointConfig config = warehouseOptions.resolve(demoKeyAllowed(), flags);
    return runPipeline(config, dates, stages(), clvOptions(config), spec.name(), spec.commandLine().getOut());
  }

  static int runPipeline(TouchpointConfig config, List<LocalDate> dates, Set<Stage> stages, String command, PrintWriter out) {
    return runPipeline(config, dates, stages, new ClvJob.Options(config.clv(), ClvJob.IfNotIdentified.SKIP), command, out);
  }

  static int runPipeline(TouchpointConfig config, List<LocalDate> dates, Set<Stage> stages, ClvJob.Options clv,
      String command, PrintWriter out) {
    Instant t0 = Instant.now();
    SparkSession spark = Sessions.create(config, "touchpoint " + command);
    Warehouse warehouse = new Warehouse(spark, config.warehouse());
    Pipeline.Outcome outcome = new Pipeline(warehouse, config, clv).run(dates, stages, RunIds.next(command, t0));
    RunSummary.of(warehouse, outcome).print(out, outcome, Duration.between(t0, Instant.now()));
    return 0;
  }
}
