package io.touchpoint.cli;

import io.touchpoint.airflow.AirflowClient;
import io.touchpoint.airflow.AirflowSettings;
import io.touchpoint.airflow.model.AssetResponse;
import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.config.ConfigLoader;
import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.spark.Sessions;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The last nightly stage: names every warehouse table in the session catalog (a metastore, when the
 * session has one) so BI tools read {@code gold.<table>} by name, and announces the gold tables a run
 * date updated as Airflow asset events ({@code touchpoint://gold/<table>}, the URIs the DAGs declare).
 *
 * <p>Inside Airflow the publish task's outlets post those events, so the DAG passes
 * {@code --asset-events skip}. With the default {@code auto}, publish posts them itself when an
 * Airflow URL is configured and it is not running under an Airflow task ({@code AIRFLOW_CTX_DAG_ID}
 * unset), e.g. after a manual {@code touchpoint nightly}.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = "Register the warehouse tables by name and announce the gold tables a run date updated as Airflow"
        + " asset events (touchpoint://gold/<table>). Outside Airflow, events are posted when TOUCHPOINT_AIRFLOW_URL is set.")
public final class PublishCommand implements Callable<Integer>, Plannable {
  public static final String ASSET_PREFIX = "touchpoint://gold/";
  static Map<String, String> environment = System.getenv();

  /** Whether to post asset events. */
  enum AssetEvents { auto, post, skip }

  @Mixin WarehouseOptions warehouseOptions;
  @Spec CommandSpec spec;

  @Option(names = "--run-date", paramLabel = "YYYY-MM-DD",
      description = "The run date whose gold tables are announced (needed to post asset events).")
  LocalDate runDate;

  @Option(names = "--asset-events", defaultValue = "auto", paramLabel = "auto|post|skip",
      description = "Post Airflow asset events for the updated gold tables: auto = when an Airflow URL is configured and"
          + " not inside an Airflow task (AIRFLOW_CTX_DAG_ID unset); post = always (fails without Airflow settings);"
          + " skip = never (the DAG's outlets post them). Default ${DEFAULT-VALUE}.")
  AssetEvents assetEvents;

  /** Whether this run posts events, from --asset-events and the environment. */
  boolean posts() {
    warehouseOptions.refuseSandbox("publish", "it registers and announces the production tables", "Drop --output-schema");
    if (assetEvents == AssetEvents.post && runDate == null) {
      throw Errors.usage("publish --asset-events post", "asset events announce a run date's tables", "Add --run-date YYYY-MM-DD");
    }
    return switch (assetEvents) {
      case post -> true;
      case skip -> false;
      case auto -> runDate != null && environment.get("AIRFLOW_CTX_DAG_ID") == null
          && new ConfigLoader(environment).airflow(warehouseOptions.config, "publish", false) != null;
    };
  }

  @Override
  public Plan plan() {
    boolean posts = posts();
    TouchpointConfig config = warehouseOptions.resolve(true);
    return Plan.of("publish").fact("date", runDate == null ? "(none: register only)" : runDate)
        .fact("warehouse", config.warehouse())
        .fact("registers", "every <schema>.<table> of the warehouse")
        .fact("assets", posts ? ASSET_PREFIX + "<table> for each gold table with rows for " + runDate
            : "none (" + (assetEvents == AssetEvents.skip ? "--asset-events skip" : "no Airflow URL, or inside Airflow") + ")")
        .build();
  }

  @Override
  public Integer call() {
    boolean posts = posts();
    AirflowSettings airflow = posts ? new ConfigLoader(environment).airflow(warehouseOptions.config, "publish", true) : null;
    TouchpointConfig config = warehouseOptions.resolve(true);
    SparkSession spark = Sessions.create(config, "touchpoint publish");
    Warehouse warehouse = new Warehouse(spark, config.warehouse());
    warehouse.register();
    PrintWriter out = spec.commandLine().getOut();
    List<String> tables = warehouse.tables();
    out.printf("registered %d table(s): %s%n", tables.size(), String.join(", ", tables));
    if (runDate != null) {
      Map<String, Long> updated = updatedGold(warehouse, runDate);
      out.printf("gold tables with rows for %s: %s%n", runDate, updated.isEmpty() ? "none" : updated);
      if (airflow != null) {
        postEvents(new AirflowClient(airflow), updated, runDate, out);
      }
    }
    out.flush();
    return Errors.EXIT_OK;
  }

  /**
   * The gold tables a run date updated and their rows for it: those with a {@code run_date} column
   * holding the date; a gold table without that column is recomputed whole each run and counts with
   * all its rows.
   */
  static Map<String, Long> updatedGold(Warehouse warehouse, LocalDate runDate) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String name : warehouse.tables()) {
      if (!name.startsWith("gold.")) {
        continue;
      }
      Dataset<Row> t = warehouse.read("gold", name.substring("gold.".length()));
      long rows = Arrays.asList(t.columns()).contains("run_date")
          ? t.where(org.apache.spark.sql.functions.col("run_date").equalTo(java.sql.Date.valueOf(runDate))).count()
          : t.count();
      if (rows > 0) {
        out.put(name.substring("gold.".length()), rows);
      }
    }
    return out;
  }

  /** One asset event per updated gold table; tables whose asset no deployed DAG declares are named, not posted. */
  static void postEvents(AirflowClient airflow, Map<String, Long> updated, LocalDate runDate, PrintWriter out) {
    for (Map.Entry<String, Long> e : updated.entrySet()) {
      String uri = ASSET_PREFIX + e.getKey();
      AssetResponse asset = airflow.assetByUri(uri);
      if (asset == null) {
        out.println("warning: Airflow has no asset " + uri + " (no deployed DAG declares it): no event posted");
        continue;
      }
      airflow.postAssetEvent(asset, Map.of("run_date", runDate.toString(), "rows", e.getValue(),
          "source", "touchpoint publish"));
      out.println("posted an asset event for " + uri + " (" + e.getValue() + " rows for " + runDate + ")");
    }
  }
}
