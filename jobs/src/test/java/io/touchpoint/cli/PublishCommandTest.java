package io.touchpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.airflow.AirflowClient;
import io.touchpoint.jobs.config.ConfigLoader;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** publish on a tiny warehouse: which gold tables a run date updated, announced to a (fake) Airflow. */
class PublishCommandTest {
  @TempDir Path tmp;

  /**
   * gold.attribution_by_channel: 2 rows of 2026-03-30 and 3 of 2026-03-31; gold.kpi_catalog: 2 rows,
   * no run_date (recomputed whole); silver.orders: 1 row (not gold). For 2026-03-31 publish announces
   * attribution_by_channel (3 rows) and kpi_catalog (2); for 2026-03-29 only kpi_catalog.
   */
  @Test
  void announcesTheGoldTablesWithRowsForTheRunDate() throws Exception {
    SparkSession spark = SparkTestSupport.spark();
    Warehouse w = new Warehouse(spark, tmp.resolve("warehouse").toString());
    spark.sql("SELECT DATE'2026-03-30' AS run_date, 'sem' AS channel UNION ALL SELECT DATE'2026-03-30', 'store'"
            + " UNION ALL SELECT DATE'2026-03-31', 'sem' UNION ALL SELECT DATE'2026-03-31', 'store'"
            + " UNION ALL SELECT DATE'2026-03-31', 'direct'")
        .write().format("delta").save(w.path("gold", "attribution_by_channel"));
    spark.sql("SELECT 'repurchase_rate' AS kpi UNION ALL SELECT 'roas'").write().format("delta").save(w.path("gold", "kpi_catalog"));
    spark.sql("SELECT 'o1' AS order_id").write().format("delta").save(w.path("silver", "orders"));

    Map<String, Long> updated = PublishCommand.updatedGold(w, LocalDate.of(2026, 3, 31));
    assertThat(updated).containsExactly(Map.entry("attribution_by_channel", 3L), Map.entry("kpi_catalog", 2L));
    assertThat(PublishCommand.updatedGold(w, LocalDate.of(2026, 3, 29))).containsExactly(Map.entry("kpi_catalog", 2L));

    try (FakeAirflow airflow = new FakeAirflow()) {
      airflow.on("GET /api/v2/assets", x -> {
        String uri = x.query().get("uri_pattern").get(0);
        return FakeAirflow.Answer.ok(Map.of("assets", List.of(FakeAirflow.asset(uri.hashCode() & 0xffff, uri)), "total_entries", 1));
      });
      airflow.on("POST /api/v2/assets/events", x -> {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", 1);
        e.put("asset_id", x.json().get("asset_id"));
        e.put("source_map_index", -1);
        e.put("created_dagruns", List.of());
        e.put("timestamp", "2026-04-01T00:00:00Z");
        return FakeAirflow.Answer.ok(e);
      });
      StringWriter out = new StringWriter();
      PublishCommand.postEvents(new AirflowClient(new ConfigLoader(airflow.env()).airflow(null, "publish", true)),
          updated, LocalDate.of(2026, 3, 31), new PrintWriter(out, true));
      assertThat(airflow.requests("POST", "/api/v2/assets/events")).extracting(x -> x.json().get("extra"))
          .containsExactly(Map.of("run_date", "2026-03-31", "rows", 3, "source", "touchpoint publish"),
              Map.of("run_date", "2026-03-31", "rows", 2, "source", "touchpoint publish"));
      assertThat(airflow.requests("GET", "/api/v2/assets")).extracting(x -> x.query().get("uri_pattern").get(0))
          .containsExactly("touchpoint://gold/attribution_by_channel", "touchpoint://gold/kpi_catalog");
      assertThat(airflow.specViolations).isEmpty();
    }
  }

  @Test
  void autoPostsOnlyOutsideAirflowAndWhenAnAirflowUrlIsSet() {
    PublishCommand p = new PublishCommand();
    p.warehouseOptions = new WarehouseOptions();
    p.runDate = LocalDate.of(2026, 3, 31);
    p.assetEvents = PublishCommand.AssetEvents.auto;
    Map<String, String> airflow = Map.of("TOUCHPOINT_AIRFLOW_URL", "http://127.0.0.1:1", "TOUCHPOINT_AIRFLOW_TOKEN_FILE", "/t");
    try {
      PublishCommand.environment = airflow;
      assertThat(p.posts()).isTrue();
      PublishCommand.environment = Map.of("TOUCHPOINT_AIRFLOW_URL", "http://127.0.0.1:1", "TOUCHPOINT_AIRFLOW_TOKEN_FILE", "/t",
          "AIRFLOW_CTX_DAG_ID", "touchpoint_nightly");
      assertThat(p.posts()).as("inside an Airflow task the outlets post").isFalse();
      PublishCommand.environment = Map.of();
      assertThat(p.posts()).as("no Airflow configured").isFalse();
      PublishCommand.environment = airflow;
      p.assetEvents = PublishCommand.AssetEvents.skip;
      assertThat(p.posts()).isFalse();
    } finally {
      PublishCommand.environment = System.getenv();
    }
  }
}
