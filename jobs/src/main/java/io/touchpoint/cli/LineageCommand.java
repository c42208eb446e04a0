package io.touchpoint.cli;

import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.lineage.Lineage;
import io.touchpoint.jobs.spark.Sessions;
import io.touchpoint.jobs.spark.Warehouse;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code touchpoint lineage}: from a table version back to the export files (README, "Audit and lineage"). */
@Command(name = "lineage", mixinStandardHelpOptions = true,
    description = {"Print the chain from a table version back to the export files: the run that wrote it (who, when,",
        "dates, stages), the versions that run committed, and the export files (SHA-256) of the warehouse it read."})
public final class LineageCommand implements Callable<Integer> {
  @Mixin WarehouseOptions warehouseOptions;
  @Spec CommandSpec spec;

  @Option(names = "--table", required = true, paramLabel = "SCHEMA.TABLE", description = "The table, e.g. gold.kpi.")
  String table;

  @Option(names = "--version", paramLabel = "N", description = "The Delta version (default: the latest).")
  Long version;

  @Override
  public Integer call() {
    warehouseOptions.refuseSandbox("lineage", "it traces the production tables",
        "Drop --output-schema; the audit trail (ops.*) records production runs only");
    TouchpointConfig config = warehouseOptions.resolve(true); // reads only, hashes nothing
    SparkSession spark = Sessions.create(config, "touchpoint lineage");
    Warehouse warehouse = Warehouse.open(spark, config.warehouse());
    Lineage.print(new Lineage(warehouse).trace(table, version), spec.commandLine().getOut());
    return 0;
  }
}
