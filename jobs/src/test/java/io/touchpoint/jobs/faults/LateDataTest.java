package io.touchpoint.jobs.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.pipeline.Pipeline;
import io.touchpoint.jobs.pipeline.Stage;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import io.touchpoint.jobs.support.WarehouseState;
import io.touchpoint.jobs.support.TinyExports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Late data: the POS export of D1 is first delivered without ticket T2, whose refund R2 arrives on
 * D2 (so the refund is parked in silver.unmatched_refunds); the corrected D1 file arrives before
 * the run for D3. That run finds it ({@link Pipeline#withLateData}), reprocesses D1..D3 and must
 * leave every table equal, by content, to a warehouse that got the corrected file on time.
 *
 * <p>Stages: ingest, identity and silver, the state every later stage recomputes from (attribution
 * and the marts recompute the dates of the widened range like a backfill; README, "Late data").
 */
class LateDataTest {
  static final LocalDate D1 = LocalDate.of(2026, 1, 5);
  static final LocalDate D2 = LocalDate.of(2026, 1, 6);
  static final LocalDate D3 = LocalDate.of(2026, 1, 7);
  static final Set<Stage> STATE = EnumSet.of(Stage.INGEST, Stage.IDENTITY, Stage.SILVER);
  static final String[] RUN_COLUMNS = {"_ingested_at", "_run_id", "merged_by_run_id"};
  static final String T1 = "T1,S001,1,2026-01-05 12:00:00+08:00,M1,,10.00,1,cash,";
  static final String T2 = "T2,S001,1,2026-01-05 13:00:00+08:00,M2,,20.00,1,cash,";

  @TempDir static Path tmp;
  static TinyExports exports;
  static Warehouse late;
  static Pipeline latePipeline;
  static List<String> unmatchedBeforeTheFix;
  static List<LocalDate> d3Dates;
  static List<LocalDate> afterCatchUp;

  @BeforeAll
  static void deliverLateThenOnTime() {
    exports = new TinyExports(tmp.resolve("exports")).day(D1).day(D2).day(D3);
    exports.write("pos", D1, "tickets.csv", TinyExports.POS_HEADER + "\n" + T1 + "\n", StandardCharsets.UTF_8);
    // R2 refunds 5.00 of T2, a ticket D1's first delivery does not hold.
    exports.write("pos", D2, "tickets.csv", TinyExports.POS_HEADER + "\nR2,S001,1,2026-01-06 10:00:00+08:00,M2,,-5.00,1,cash,T2\n",
        StandardCharsets.UTF_8);
    late = new Warehouse(SparkTestSupport.spark(), tmp.resolve("late").toString());
    latePipeline = new Pipeline(late, config(late));
    nightly(List.of(D1, D2)); // D1 and D2 in one pass (the same tables as two nightly runs; PipelineEndToEndTest)
    unmatchedBeforeTheFix = late.read("silver", "unmatched_refunds").select("order_id").as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList();

    exports.write("pos", D1, "tickets.csv", TinyExports.POS_HEADER + "\n" + T1 + "\n" + T2 + "\n", StandardCharsets.UTF_8);
    d3Dates = nightly(List.of(D3));
    afterCatchUp = latePipeline.withLateData(List.of(D3));
  }

  static TouchpointConfig config(Warehouse w) {
    return SparkTestSupport.config(Path.of(w.root()), tmp.resolve("exports"));
  }

  /** What {@code touchpoint nightly --run-date D} (or a backfill) does: widen the dates by late data, then run. */
  static List<LocalDate> nightly(List<LocalDate> dates) {
    List<LocalDate> widened = latePipeline.withLateData(dates);
    latePipeline.run(widened, STATE, "nightly-" + dates.get(0));
    return widened;
  }

  @Test
  void theRunAfterTheReDeliveryReprocessesFromTheLateDate() {
    assertThat(unmatchedBeforeTheFix).as("R2 parked while T2 is unknown").containsExactly("pos:T2");
    assertThat(d3Dates).containsExactly(D1, D2, D3);
    assertThat(afterCatchUp).as("once landed, the file is no longer late").containsExactly(D3);
  }

  @Test
  void theLateOrderNetsItsRefundAndLeavesUnmatchedRefunds() {
    // T2: gross 20.00, refunded 5.00 on D2 -> net 15.00, is_refunded; the parked refund is cleared.
    Row t2 = late.read("silver", "orders").where("order_id = 'pos:T2'").first();
    assertThat(t2.<java.math.BigDecimal>getAs("gross_cny")).isEqualByComparingTo("20.00");
    assertThat(t2.<java.math.BigDecimal>getAs("refund_cny")).isEqualByComparingTo("5.00");
    assertThat(t2.<java.math.BigDecimal>getAs("net_cny")).isEqualByComparingTo("15.00");
    assertThat(t2.<Boolean>getAs("is_refunded")).isTrue();
    assertThat(t2.<String>getAs("customer_id")).isNotNull();
    assertThat(late.read("silver", "unmatched_refunds").count()).as("no refund stays unmatched").isZero();
    assertThat(late.read("silver", "orders").count()).isEqualTo(2);
  }

  @Test
  void everyTableEqualsAWarehouseThatGotTheFileOnTime() {
    Warehouse onTime = new Warehouse(SparkTestSupport.spark(), tmp.resolve("on-time").toString());
    new Pipeline(onTime, config(onTime)).run(List.of(D1, D2, D3), STATE, "backfill");
    // ops.* logs the two deliveries of D1; the identity history records ids published before a merge.
    List<String> tables = onTime.tables().stream()
        .filter(t -> !t.startsWith("ops.") && !WarehouseState.IDENTITY_HISTORY.contains(t)).toList();
    assertThat(tables).contains("silver.orders", "silver.unmatched_refunds", "silver.identity_map", "bronze.pos__tickets");
    assertThat(late.tables()).containsAll(tables);
    for (String t : tables) {
      assertThat(SparkTestSupport.content(WarehouseState.resolved(late, t), RUN_COLUMNS))
          .as(t).isEqualTo(SparkTestSupport.content(WarehouseState.resolved(onTime, t), RUN_COLUMNS));
    }
  }
}
