package io.touchpoint.cli;

import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.report.ReportJob;
import io.touchpoint.jobs.spark.Sessions;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code touchpoint report}: the static HTML evaluation report of a run date, from the gold tables. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Write the evaluation report of a run date as one static HTML file, DIR/touchpoint-report-D.html,",
        "that opens offline: KPI tiles with the change against the previous period, ROI and ROAS per channel,",
        "attribution by model (Markov with its interval), channel overlap heat map, repurchase from -> to matrix,",
        "CLV by segment and acquisition channel, fired alerts. Reads the gold tables only (aggregates)."})
public final class ReportCommand implements Callable<Integer>, Plannable {
  @Mixin WarehouseOptions warehouseOptions;
  @Spec CommandSpec spec;

  @Option(names = "--run-date", required = true, paramLabel = "YYYY-MM-DD",
      description = "The run date: the report covers the period holding it, to date, and gold.alerts of that date.")
  LocalDate runDate;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the report into (created if absent).")
  Path out;

  @Option(names = "--period", defaultValue = "month", paramLabel = "TYPE",
      description = "Period of the tiles and charts: day, week, month or quarter, compared with the one before (default ${DEFAULT-VALUE}).")
  String period;

  @Option(names = "--attribution-model", defaultValue = "markov", paramLabel = "MODEL",
      description = "Model behind the ROI and ROAS chart (gold.channel_roi): markov, first, last, linear, time_decay or position"
          + " (default ${DEFAULT-VALUE}).")
  String attributionModel;

  @Option(names = "--markov-order", defaultValue = "1", paramLabel = "K",
      description = "Attribution order shown (default ${DEFAULT-VALUE}).")
  int markovOrder;

  ReportJob.Options options() {
    warehouseOptions.refuseSandbox("report", "it reads the production gold tables and writes only an HTML file",
        "Drop --output-schema");
    return new ReportJob.Options(runDate, period, attributionModel, markovOrder);
  }

  @Override
  public Plan plan() {
    ReportJob.Options o = options();
    TouchpointConfig config = warehouseOptions.resolve(true);
    return Plan.of("report").fact("date", runDate).fact("period", o.periodType())
        .fact("warehouse", config.warehouse()).fact("reads", "gold.* (aggregates only)")
        .fact("writes", out.resolve("touchpoint-report-" + runDate + ".html")).build();
  }

  @Override
  public Integer call() {
    ReportJob.Options o = options();
    TouchpointConfig config = warehouseOptions.resolve(true); // the report hashes nothing
    Instant t0 = Instant.now();
    SparkSession spark = Sessions.create(config, "touchpoint report");
    ReportJob.Result r = new ReportJob(Warehouse.open(spark, config.warehouse())).write(o, out);
    PrintWriter w = spec.commandLine().getOut();
    w.printf("report: %s (%d KPI tiles, %d charts, %d alert(s)) in %.1f s%n", r.file().toAbsolutePath(), r.kpis(),
        r.charts(), r.alerts(), Duration.between(t0, Instant.now()).toMillis() / 1000.0);
    w.flush();
    return Errors.EXIT_OK;
  }
}
