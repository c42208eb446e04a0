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

  /** The CLV stage's settings and not-identified policy; only the {@code clv} command changes them. */
  ClvJob.Options clvOptions() {
    return ClvJob.Options.PIPELINE;
  }

  @Override
  public Integer call() {
    List<LocalDate> dates = dates();
    TouchpointConfig config = warehouseOptions.resolve(demoKeyAllowed());
    return runPipeline(config, dates, stages(), clvOptions(), spec.name(), spec.commandLine().getOut());
  }

  static int runPipeline(TouchpointConfig config, List<LocalDate> dates, Set<Stage> stages, String command, PrintWriter out) {
    return runPipeline(config, dates, stages, ClvJob.Options.PIPELINE, command, out);
  }

  static int runPipeline(TouchpointConfig config, List<LocalDate> dates, Set<Stage> stages, ClvJob.Options clv,
      String command, PrintWriter out) {
    Instant t0 = Instant.now();
    SparkSession spark = Sessions.create(config, "touchpoint " + command);
    Warehouse warehouse = Warehouse.open(spark, config.warehouse());
    Pipeline.Outcome outcome = new Pipeline(warehouse, config, clv).run(dates, stages, RunIds.next(command, t0));
    RunSummary.of(warehouse, outcome).print(out, outcome, Duration.between(t0, Instant.now()));
    return 0;
  }
}
