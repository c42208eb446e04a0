package io.touchpoint.cli;

import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.generate.ExportGenerator;
import io.touchpoint.jobs.generate.GeneratorConfig;
import io.touchpoint.jobs.pipeline.Pipeline;
import io.touchpoint.jobs.pipeline.Stage;
import io.touchpoint.jobs.report.ReportJob;
import io.touchpoint.jobs.spark.Sessions;
import io.touchpoint.jobs.spark.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The main job on the embedded default: generates a sample data set into a local folder if none
 * exists, then runs every stage over the whole range in one pass on local Spark with the Delta
 * warehouse on local disk, and prints the summary. Uses the clearly-labelled demo HMAC key when
 * no key is configured.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Generate sample exports (if absent), run every stage over them on local Spark + Delta and write the"
        + " evaluation report of the last date to DIR/report.")
public final class DemoCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "data/demo",
      description = "Demo folder: exports in DIR/exports, warehouse in DIR/warehouse (default ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--customers", defaultValue = "50000", description = "Customers to simulate (default ${DEFAULT-VALUE}).")
  int customers;

  @Option(names = "--days", defaultValue = "90", description = "Days of exports (default ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--start-date", defaultValue = "2026-01-01", paramLabel = "YYYY-MM-DD",
      description = "First export date (default ${DEFAULT-VALUE}).")
  LocalDate startDate;

  @Option(names = "--seed", defaultValue = "42", description = "Generator seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--defect-rate", defaultValue = "0.002",
      description = "Share of export rows carrying a realistic fault, to show quarantine (default ${DEFAULT-VALUE}).")
  double defectRate;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default local[*]).")
  String master;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path exports = dir.resolve("exports");
    Path warehouse = dir.resolve("warehouse");
    if (!Files.isDirectory(exports.resolve("_truth"))) {
      LOG.info("demo: generating {} customers x {} days of exports into {}", customers, days, exports);
      ExportGenerator.generate(GeneratorConfig.of(exports, customers, days, startDate, seed)
          .withDefects(defectRate, 0).validate());
    } else {
      var truth = new com.fasterxml.jackson.databind.ObjectMapper().readTree(exports.resolve("_truth/config.json").toFile());
      startDate = LocalDate.parse(truth.get("start_date").asText());
      days = truth.get("days").asInt();
      LOG.info("demo: reusing the exports in {} ({} days from {}; delete the folder to regenerate)", exports, days, startDate);
    }
    WarehouseOptions options = new WarehouseOptions();
    options.exports = exports.toString();
    options.warehouse = warehouse.toString();
    options.master = master;
    TouchpointConfig config = options.resolve(true);
    if (config.pii().isDemoKey()) {
      LOG.warn("demo: hashing PII with the public DEMO key; real runs need TOUCHPOINT_HMAC_KEY");
    }
    LocalDate last = startDate.plusDays(days - 1L);
    int code = JobCommand.runPipeline(config, Pipeline.range(startDate, last), EnumSet.allOf(Stage.class), "demo",
        spec.commandLine().getOut());
    // The evaluation report of the last date, from the gold tables the run just wrote.
    ReportJob.Result report = new ReportJob(new Warehouse(Sessions.create(config, "touchpoint demo"), config.warehouse()))
        .write(new ReportJob.Options(last, "month", "markov", 1), dir.resolve("report"));
    spec.commandLine().getOut().printf("  evaluation report: %s%n", report.file().toAbsolutePath());
    spec.commandLine().getOut().flush();
    return code;
  }
}
