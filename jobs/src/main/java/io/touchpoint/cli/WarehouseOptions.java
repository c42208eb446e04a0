package io.touchpoint.cli;

import io.touchpoint.jobs.config.ConfigLoader;
import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.spark.Sandbox;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options shared by every job that reads exports or the warehouse. */
public final class WarehouseOptions {
  @Option(names = "--exports", paramLabel = "DIR",
      description = "Root of the channel exports (default: exports.dir, $TOUCHPOINT_EXPORTS, else data/exports).")
  String exports;

  @Option(names = "--warehouse", paramLabel = "DIR",
      description = "Root of the Delta warehouse, tables at <warehouse>/<schema>/<table> (default: warehouse.dir, $TOUCHPOINT_WAREHOUSE, else data/warehouse).")
  String warehouse;

  @Option(names = "--config", paramLabel = "FILE", description = "A .properties config file (default: $TOUCHPOINT_CONFIG, else conf/touchpoint.properties when present).")
  Path config;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master when not launched by spark-submit (default local[*]).")
  String master;

  @Option(names = "--output-schema", paramLabel = "NAME",
      description = {"Analyst sandbox: write this run's tables to sandbox_NAME.<table> (folder <warehouse>/sandbox_NAME)",
          "and leave every production table untouched; inputs are read from production. Only attribution,",
          "clv and maintain (which then maintains nothing) take it; the other commands refuse it."})
  String outputSchema;

  /** The sandbox of {@code --output-schema}, validated (a usage error for a bad name); empty for production. */
  public Optional<Sandbox> sandbox() {
    return outputSchema == null ? Optional.empty() : Optional.of(Sandbox.parse(outputSchema));
  }

  /**
   * For a command with no sandbox mode: a usage error (exit 2, before Spark starts) when
   * {@code --output-schema} was given, instead of a run that ignores it and touches production.
   */
  public void refuseSandbox(String command, String reason, String fix) {
    if (outputSchema != null) {
      throw io.touchpoint.errors.Errors.usage("run " + command + " with --output-schema " + outputSchema,
          reason + ", so it has no sandbox mode", fix);
    }
  }

  @Option(names = "--demo", description = "Demo or test data only: allow the public demo HMAC key (used when no key is configured)."
      + " Without it a run refuses the demo key.")
  boolean demo;

  public TouchpointConfig resolve(boolean demoKeyAllowed) {
    return resolve(demoKeyAllowed, Map.of());
  }

  /** As above, with a command's own settings given on its command line (keyed like the config file). */
  public TouchpointConfig resolve(boolean demoKeyAllowed, Map<String, String> commandFlags) {
    Map<String, String> flags = new HashMap<>(commandFlags);
    if (exports != null) {
      flags.put("exports.dir", exports);
    }
    if (warehouse != null) {
      flags.put("warehouse.dir", warehouse);
    }
    if (master != null) {
      flags.put("spark.master", master);
    }
    return ConfigLoader.fromEnvironment().load(config, flags, demoKeyAllowed || demo);
  }
}
