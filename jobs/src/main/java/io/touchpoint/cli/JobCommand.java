package io.touchpoint.cli;

import io.touchpoint.ingest.BronzeTable;
import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.clv.ClvJob;
import io.touchpoint.jobs.pipeline.Headlines;
import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.pipeline.Pipeline;
import io.touchpoint.jobs.pipeline.RunIds;
import io.touchpoint.jobs.pipeline.RunLock;
import io.touchpoint.jobs.pipeline.RunSummary;
import io.touchpoint.jobs.pipeline.Stage;
import io.touchpoint.jobs.spark.DateSpan;
import io.touchpoint.jobs.spark.Sandbox;
import io.touchpoint.jobs.spark.Sessions;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Base of the Spark job commands: resolve config once, start Spark, run stages, print the summary. */
abstract class JobCommand implements Callable<Integer>, Plannable {
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

  /** Whether a critical alert makes the command exit 6 (after every write); {@code nightly} does. */
  boolean failsOnCriticalAlert() {
    return false;
  }

  /** The CLV stage's not-identified policy, with the configured settings; the {@code clv} command fails instead of skipping. */
  ClvJob.Options clvOptions(TouchpointConfig config) {
    return new ClvJob.Options(config.clv(), ClvJob.IfNotIdentified.SKIP);
  }

  /** Whether the run first looks for late exports of past dates and widens its dates to reprocess them ({@code nightly}). */
  boolean catchesUpLateData() {
    return false;
  }

  /** The sources the ingest stage lands; only the {@code ingest} command narrows them. */
  Set<String> sources() {
    return Set.copyOf(BronzeTable.sources());
  }

  /** Checks the command's own options the way the run would (dry runs call it too). */
  void validate() {
    clvOptions(warehouseOptions.resolve(true, configFlags()));
  }

  /** The stages that write the incremental state (bronze, silver): never run into a sandbox. */
  static final Set<Stage> STATE_STAGES = EnumSet.of(Stage.INGEST, Stage.IDENTITY, Stage.SILVER);

  @Override
  public Integer call() {
    List<LocalDate> dates = dates();
    Set<String> sources = sources();
    Optional<Sandbox> sandbox = sandbox(stages());
    TouchpointConfig config = warehouseOptions.resolve(demoKeyAllowed(), configFlags());
    return runPipeline(config, sandbox, dates, stages(), clvOptions(config), sources, spec.name(), spec.commandLine().getOut(),
        failsOnCriticalAlert(), catchesUpLateData());
  }

  @Override
  public Plan plan() {
    List<LocalDate> dates = dates();
    validate();
    Set<String> sources = sources();
    TouchpointConfig config = warehouseOptions.resolve(true, configFlags());
    List<String> writes = new ArrayList<>();
    EnumSet.copyOf(stages()).forEach(s -> writes.addAll(StageTables.writes(s, sources)));
    Plan.Builder plan = Plan.of(spec.qualifiedName(" ").replaceFirst("^touchpoint ", ""))
        .fact("dates", DateSpan.of(dates) + " (" + dates.size() + " day" + (dates.size() > 1 ? "s" : "") + ")")
        .fact("stages", stages().stream().sorted().map(Stage::label).collect(Collectors.joining(", ")));
    if (stages().contains(Stage.INGEST)) {
      plan.fact("sources", BronzeTable.sources().stream().filter(sources::contains).collect(Collectors.joining(",")));
      plan.fact("exports", config.exports());
    }
    plan.fact("warehouse", config.warehouse()).fact("writes", String.join(", ", writes));
    if (warehouseOptions.sandbox().isEmpty()) {
      plan.fact("audit", "ops.runs, ops.run_inputs, ops.table_versions (README, \"Audit and lineage\")");
    }
    sandbox(stages()).ifPresent(sb -> plan.fact("output schema", sb.schema() + " (production tables untouched)"));
    if (!demoKeyAllowed() && config.pii().isDemoKey()) {
      plan.fact("note", "no HMAC key is configured here; the real run needs TOUCHPOINT_HMAC_KEY or"
          + " TOUCHPOINT_HMAC_KEY_FILE where it runs (else exit 5)");
    }
    return plan.build();
  }

  /** {@code --output-schema}, checked before Spark starts: a valid name, and no stage that writes bronze or silver. */
  Optional<Sandbox> sandbox(Set<Stage> stages) {
    Optional<Sandbox> sandbox = warehouseOptions.sandbox();
    if (sandbox.isPresent() && stages.stream().anyMatch(STATE_STAGES::contains)) {
      throw Errors.usage("run " + spec.name() + " into " + sandbox.get().schema(),
          spec.name() + " writes bronze/silver, the incremental state every later run continues from, so it has no"
              + " sandbox mode",
          "Run the analysis into the sandbox instead (touchpoint attribution|clv ... --output-schema "
              + sandbox.get().name() + "), or try the stage on a separate --warehouse");
    }
    if (stages.contains(Stage.MARTS) || stages.contains(Stage.ALERTS)) {
      warehouseOptions.refuseSandbox(spec.name(), "it reads the gold tables it writes by their production names",
          "Drop --output-schema, or run it on a separate --warehouse");
    }
    return sandbox;
  }

  static int runPipeline(TouchpointConfig config, List<LocalDate> dates, Set<Stage> stages, String command, PrintWriter out) {
    return runPipeline(config, Optional.empty(), dates, stages, new ClvJob.Options(config.clv(), ClvJob.IfNotIdentified.SKIP),
        Set.copyOf(BronzeTable.sources()), command, out);
  }

  static int runPipeline(TouchpointConfig config, Optional<Sandbox> sandbox, List<LocalDate> dates, Set<Stage> stages,
      ClvJob.Options clv, Set<String> sources, String command, PrintWriter out) {
    return runPipeline(config, sandbox, dates, stages, clv, sources, command, out, false);
  }

  static int runPipeline(TouchpointConfig config, Optional<Sandbox> sandbox, List<LocalDate> dates, Set<Stage> stages,
      ClvJob.Options clv, Set<String> sources, String command, PrintWriter out, boolean failOnCriticalAlert) {
    return runPipeline(config, sandbox, dates, stages, clv, sources, command, out, failOnCriticalAlert, false);
  }

  static int runPipeline(TouchpointConfig config, Optional<Sandbox> sandbox, List<LocalDate> dates, Set<Stage> stages,
      ClvJob.Options clv, Set<String> sources, String command, PrintWriter out, boolean failOnCriticalAlert,
      boolean catchUpLateData) {
    Instant t0 = Instant.now();
    SparkSession spark = Sessions.create(config, "touchpoint " + command);
    String runId = RunIds.next(command, t0);
    try (RunLock lock = lock(config, spark, stages, sources, sandbox, runId, command, dates)) {
      return runPipeline(config, sandbox, dates, stages, clv, sources, out, failOnCriticalAlert, catchUpLateData, t0, spark,
          runId);
    }
  }

  /** Takes the warehouse's run lock for what a run of {@code stages} writes (exit 7 when another run holds it). */
  static RunLock lock(TouchpointConfig config, SparkSession spark, Set<Stage> stages, Set<String> sources,
      Optional<Sandbox> sandbox, String runId, String command, List<LocalDate> dates) {
    // A sandbox run keeps its lock inside its sandbox folder: it writes no production file at all.
    String root = sandbox.map(sb -> config.warehouse().replaceAll("/+$", "") + "/" + sb.schema()).orElse(config.warehouse());
    return RunLock.acquire(root, spark.sparkContext().hadoopConfiguration(),
        RunLock.scopes(stages, stages.contains(Stage.INGEST) ? sources : Set.of(), sandbox.map(Sandbox::schema)),
        RunLock.Holder.self(runId, command, DateSpan.of(dates)), RunLock.staleAfter(System.getenv()));
  }

  private static int runPipeline(TouchpointConfig config, Optional<Sandbox> sandbox, List<LocalDate> dates, Set<Stage> stages,
      ClvJob.Options clv, Set<String> sources, PrintWriter out, boolean failOnCriticalAlert, boolean catchUpLateData,
      Instant t0, SparkSession spark, String runId) {
    Warehouse warehouse = Warehouse.open(spark, config.warehouse(), sandbox);
    Pipeline pipeline = new Pipeline(warehouse, config, clv, sources);
    if (catchUpLateData) {
      List<LocalDate> widened = pipeline.withLateData(dates);
      if (widened.size() > dates.size()) {
        out.printf("late data: exports of %s changed since they were ingested; reprocessing %s..%s%n", widened.get(0),
            widened.get(0), widened.get(widened.size() - 1));
      }
      dates = widened;
    }
    Pipeline.Outcome outcome = pipeline.run(dates, stages, runId);
    RunSummary.of(warehouse, outcome).print(out, outcome, Duration.between(t0, Instant.now()));
    if (stages.contains(Stage.MARTS)) {
      Headlines.of(warehouse, dates.get(dates.size() - 1)).print(out);
    }
    if (outcome.alerts() != null) {
      Headlines.printAlerts(out, outcome.alerts());
      out.flush();
      if (failOnCriticalAlert && !outcome.alerts().criticalRules().isEmpty()) {
        throw Errors.criticalAlerts(outcome.alerts().runDate().toString(), outcome.alerts().criticalRules());
      }
    }
    out.flush();
    return 0;
  }
}
