package io.touchpoint.jobs.pipeline;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.touchpoint.jobs.ingest.IngestJob;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;

/** The short end-of-run report: rows per table, rejects by reason, identification rate, times. */
public record RunSummary(Map<String, Long> rowsPerTable, Map<String, Long> rejectsByReason,
    double identificationRate, double identifiedRevenueShare, long orders) {

  public static RunSummary of(Warehouse warehouse, Pipeline.Outcome outcome) {
    Map<String, Long> rows = new LinkedHashMap<>();
    for (String t : warehouse.tables()) {
      String[] p = t.split("\\.");
      rows.put(t, warehouse.read(p[0], p[1]).count());
    }
    Map<String, Long> rejects = new LinkedHashMap<>();
    String dates = outcome.dates().stream().map(d -> "DATE'" + d + "'").collect(Collectors.joining(","));
    if (warehouse.exists(IngestJob.OPS, IngestJob.REJECTS_TABLE)) {
      for (Row r : warehouse.read(IngestJob.OPS, IngestJob.REJECTS_TABLE).where("_export_date IN (" + dates + ")")
          .groupBy("reason_code").count().orderBy(col("count").desc()).collectAsList()) {
        rejects.put(r.getString(0), r.getLong(1));
      }
    }
    double rate = Double.NaN;
    double revenueShare = Double.NaN;
    long orders = 0;
    if (warehouse.exists("silver", "orders")) {
      Row r = warehouse.read("silver", "orders").where("first_export_date IN (" + dates + ")")
          .agg(count(lit(1)), avg(when(col("is_identified"), 1.0).otherwise(0.0)),
              sum(when(col("is_identified"), col("net_cny")).otherwise(lit(0))), sum("net_cny"))
          .first();
      orders = r.getLong(0);
      if (orders > 0) {
        rate = r.getDouble(1);
        revenueShare = r.getDecimal(3).signum() == 0 ? Double.NaN : r.getDecimal(2).doubleValue() / r.getDecimal(3).doubleValue();
      }
    }
    return new RunSummary(rows, rejects, rate, revenueShare, orders);
  }

  public void print(PrintWriter out, Pipeline.Outcome outcome, Duration elapsed) {
    out.println();
    out.printf("Touchpoint run %s — %s..%s (%d day(s))%n", outcome.runId(), outcome.dates().get(0),
        outcome.dates().get(outcome.dates().size() - 1), outcome.dates().size());
    out.println("  stage times:");
    outcome.stageTimes().forEach((s, d) -> out.printf("    %-12s %8.1f s%n", s.label(), d.toMillis() / 1000.0));
    out.println("  rows per table:");
    rowsPerTable.forEach((t, n) -> out.printf("    %-32s %,12d%n", t, n));
    if (outcome.ingest() != null) {
      out.printf("  ingested: %,d rows read = %,d accepted + %,d rejected%n", outcome.ingest().rowsRead(),
          outcome.ingest().rowsRead() - outcome.ingest().rowsRejected(), outcome.ingest().rowsRejected());
    }
    out.println("  rejects by reason (ops.rejects):" + (rejectsByReason.isEmpty() ? " none" : ""));
    rejectsByReason.forEach((r, n) -> out.printf("    %-24s %,10d%n", r, n));
    out.printf("  identification rate: %.1f%% of %,d orders (%.1f%% of revenue)%n", 100 * identificationRate, orders,
        100 * identifiedRevenueShare);
    out.printf("  elapsed: %.1f s%n", elapsed.toMillis() / 1000.0);
  }

}
