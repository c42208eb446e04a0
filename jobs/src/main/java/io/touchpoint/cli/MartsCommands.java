package io.touchpoint.cli;

import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.alerts.AlertRule;
import io.touchpoint.jobs.alerts.AlertRules;
import io.touchpoint.jobs.alerts.AlertsJob;
import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.marts.MartsJob;
import io.touchpoint.jobs.pipeline.Headlines;
import io.touchpoint.jobs.pipeline.RunIds;
import io.touchpoint.jobs.pipeline.Stage;
import io.touchpoint.jobs.spark.Sessions;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code touchpoint marts} and {@code touchpoint alerts}: the last two nightly stages on their own. */
final class MartsCommands {
  private MartsCommands() {}

  @Command(name = "marts", mixinStandardHelpOptions = true,
      description = {"Run the SQL models of sql/ in dependency order and write the KPI marts: gold.kpi, gold.kpi_catalog,",
          "gold.repurchase_matrix, gold.channel_overlap, gold.channel_roi, gold.channel_value_matrix,",
          "gold.customer_segments, gold.clv_distribution. Recomputes every day, week, month and quarter holding a date of",
          "(first date - restate days)..run date, each to date. Reads silver, ops.ingestion_log and the",
          "attribution and CLV outputs."})
  static final class Marts extends JobCommand {
    @Mixin DateOptions dateOptions;

    @Option(names = "--restate-days", defaultValue = "90", paramLabel = "N",
        description = "Also recompute the periods of the N days before the first date: late refunds, identity merges,"
            + " the 90-day cohort (default ${DEFAULT-VALUE}).")
    int restateDays;

    @Option(names = "--margin", defaultValue = "0.30", description = "Gross margin for ROI (default ${DEFAULT-VALUE}).")
    double margin;

    @Option(names = "--attribution-model", defaultValue = "markov", paramLabel = "MODEL",
        description = "Model behind the ROI family of gold.kpi and the channel value matrix: markov, first, last, linear,"
            + " time_decay or position (default ${DEFAULT-VALUE}; gold.channel_roi has every model).")
    String attributionModel;

    @Option(names = "--markov-order", defaultValue = "1", paramLabel = "K",
        description = "Attribution order whose credits are used (default ${DEFAULT-VALUE}).")
    int markovOrder;

    @Option(names = "--period-types", split = ",", defaultValue = "day,week,month,quarter", paramLabel = "TYPE",
        description = "Period types to compute (default ${DEFAULT-VALUE}).")
    List<String> periodTypes;

    @Override
    List<LocalDate> dates() {
      return dateOptions.dates();
    }

    @Override
    Set<Stage> stages() {
      return EnumSet.of(Stage.MARTS);
    }

    @Override
    boolean demoKeyAllowed() {
      return true; // the marts hash nothing
    }

    @Override
    public Integer call() {
      List<LocalDate> dates = dates();
      MartsJob.Options options = new MartsJob.Options(dates.get(0), dates.get(dates.size() - 1), restateDays, margin,
          attributionModel, markovOrder, periodTypes);
      sandbox(stages()); // refused: see JobCommand.sandbox
      TouchpointConfig config = warehouseOptions.resolve(demoKeyAllowed());
      Instant t0 = Instant.now();
      SparkSession spark = Sessions.create(config, "touchpoint marts");
      Warehouse warehouse = new Warehouse(spark, config.warehouse());
      String runId = RunIds.next("marts", t0);
      MartsJob.Result r;
      try (var lock = lock(config, spark, stages(), Set.of(), Optional.empty(), runId, "marts", dates())) {
        r = new MartsJob(warehouse, runId).run(options);
        new io.touchpoint.jobs.lineage.RunLog(warehouse).record(runId, t0, dates, "marts", null);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf("marts %s..%s (periods recomputed from %s, %s):%n", options.from(), options.to(), options.recomputeFrom(),
          String.join(",", options.periodTypes()));
      r.times().forEach((t, d) -> out.printf("  %-28s written in %6.1f s%n", t, d.toMillis() / 1000.0));
      Headlines h = Headlines.of(warehouse, options.to());
      if (h != null) {
        h.print(out);
      }
      out.printf("elapsed: %.1f s%n", Duration.between(t0, Instant.now()).toMillis() / 1000.0);
      out.flush();
      return 0;
    }
  }

  @Command(name = "alerts", mixinStandardHelpOptions = true,
      description = {"Evaluate the alert rules against gold.kpi for the periods holding the run date and write the rules",
          "that fired to gold.alerts. Exits 6 (after writing) when a critical alert fired."})
  static final class Alerts extends JobCommand {
    @Option(names = "--run-date", required = true, paramLabel = "YYYY-MM-DD", description = "The run date to evaluate.")
    LocalDate runDate;

    @Option(names = "--rules", paramLabel = "FILE",
        description = "Alert rules YAML (default: $TOUCHPOINT_ALERTS_FILE, else conf/alerts.yaml).")
    Path rules;

    @Override
    List<LocalDate> dates() {
      return List.of(runDate);
    }

    @Override
    Set<Stage> stages() {
      return EnumSet.of(Stage.ALERTS);
    }

    @Override
    boolean demoKeyAllowed() {
      return true; // the alerts hash nothing
    }

    @Override
    public Integer call() {
      List<AlertRule> parsed = AlertRules.resolve(rules, System.getenv());
      sandbox(stages()); // refused: see JobCommand.sandbox
      TouchpointConfig config = warehouseOptions.resolve(demoKeyAllowed());
      Instant t0 = Instant.now();
      SparkSession spark = Sessions.create(config, "touchpoint alerts");
      Warehouse warehouse = new Warehouse(spark, config.warehouse());
      String runId = RunIds.next("alerts", t0);
      AlertsJob.Result r;
      try (var lock = lock(config, spark, stages(), Set.of(), Optional.empty(), runId, "alerts", dates())) {
        io.touchpoint.jobs.pipeline.Pipeline.logStarted(runId, Stage.ALERTS, List.of(runDate));
        r = new AlertsJob(warehouse, runId).run(runDate, parsed);
        new io.touchpoint.jobs.lineage.RunLog(warehouse).record(runId, t0, List.of(runDate), "alerts", null);
      }
      PrintWriter out = spec.commandLine().getOut();
      Headlines.printAlerts(out, r);
      out.printf("elapsed: %.1f s%n", Duration.between(t0, Instant.now()).toMillis() / 1000.0);
      out.flush();
      if (!r.criticalRules().isEmpty()) {
        throw Errors.criticalAlerts(runDate.toString(), r.criticalRules());
      }
      return 0;
    }
  }
}
