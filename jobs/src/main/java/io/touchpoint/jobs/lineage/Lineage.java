package io.touchpoint.jobs.lineage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.ingest.IngestJob;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Traces a table version back to the export files it came from, through {@link RunLog}'s tables:
 * the run that committed the version (or, for a version no recorded run made, the latest
 * recorded version before it), that run's own commits, and the export files of the warehouse
 * state it read: every file landed by it or by a run that finished before it, latest delivery
 * per file (bronze is cumulative, so a gold figure depends on every earlier export).
 */
public final class Lineage {
  /** One step of the chain. */
  public record Run(String runId, String command, String user, String host, Instant startedAt, Instant finishedAt,
      String dates, String stages, String status) {}

  /** An export file behind the version, with the run that landed it. */
  public record Input(String sourceFile, String exportDate, String checksum, long rowsRead, String landedBy) {}

  /** The chain: the version asked for, the version a run recorded, the run, its commits and the export files. */
  public record Chain(String table, long version, long recordedVersion, Run run, List<String> commits, List<Input> inputs) {}

  private final Warehouse warehouse;

  public Lineage(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  public Chain trace(String table, Long version) {
    String[] p = table.split("\\.", 2);
    if (p.length != 2 || !warehouse.exists(p[0], p[1])) {
      throw Errors.usage("trace " + table, "there is no such table in " + warehouse.root(),
          "Name a table as schema.table, one of " + warehouse.tables());
    }
    if (!warehouse.exists(IngestJob.OPS, RunLog.VERSIONS) || !warehouse.exists(IngestJob.OPS, RunLog.RUNS)) {
      throw Errors.input("trace " + table, "the warehouse has no ops." + RunLog.VERSIONS + " (no run has been recorded yet)",
          "Runs record their lineage from this version of Touchpoint on; rerun the dates to trace (reruns change no data)");
    }
    long latest = io.delta.tables.DeltaTable.forPath(warehouse.spark(), warehouse.path(p[0], p[1])).history(1)
        .select("version").first().getLong(0);
    long v = version == null ? latest : version;
    if (v < 0 || v > latest) {
      throw Errors.usage("trace " + table + " version " + v, "the table's versions are 0.." + latest,
          "Pass --version between 0 and " + latest + ", or leave it out for the latest");
    }
    Dataset<Row> versions = warehouse.read(IngestJob.OPS, RunLog.VERSIONS)
        .where(col("table_name").equalTo(lit(table)).and(col("version").leq(lit(v))));
    Row made = versions.orderBy(col("version").desc()).select("run_id", "version").limit(1).collectAsList().stream()
        .findFirst().orElseThrow(() -> Errors.input("trace " + table + " version " + v,
            "no recorded run wrote it at or before that version",
            "Its lineage was not recorded (written before lineage existed, or by hand); rerun the dates to record it"));
    String runId = made.getString(0);
    Row r = warehouse.read(IngestJob.OPS, RunLog.RUNS).where(col("run_id").equalTo(lit(runId))).first();
    Run run = new Run(runId, r.getAs("command"), r.getAs("user"), r.getAs("host"), instant(r.getAs("started_at")),
        instant(r.getAs("finished_at")), r.getAs("first_date").toString()
            + (r.getAs("first_date").equals(r.getAs("last_date")) ? "" : ".." + r.getAs("last_date")),
        r.getAs("stages"), r.getAs("status"));
    List<String> commits = new ArrayList<>();
    for (Row c : warehouse.read(IngestJob.OPS, RunLog.VERSIONS).where(col("run_id").equalTo(lit(runId)))
        .orderBy("table_name", "version").collectAsList()) {
      commits.add(c.getAs("table_name") + " v" + c.getAs("version") + " (" + c.getAs("job") + ", " + c.getAs("operation") + ")");
    }
    // The warehouse state the run read: every file landed by a run that had finished by the time it ended.
    Dataset<Row> before = warehouse.read(IngestJob.OPS, RunLog.RUNS).where(col("finished_at").leq(lit(r.getAs("finished_at"))))
        .select("run_id");
    Dataset<Row> landed = warehouse.read(IngestJob.OPS, IngestJob.LOG_TABLE).where(col("status").equalTo("ingested"))
        .join(before, "run_id", "left_semi");
    List<Input> inputs = new ArrayList<>();
    for (Row f : landed.groupBy("source_file").agg(functions.max_by(functions.struct(col("export_date"), col("checksum"),
        col("rows_read"), col("run_id")), col("ingested_at")).as("l")).select(col("source_file"), col("l.*"))
        .orderBy("export_date", "source_file").collectAsList()) {
      inputs.add(new Input(f.getString(0), String.valueOf((Object) f.get(1)), f.getString(2), f.getLong(3), f.getString(4)));
    }
    return new Chain(table, v, made.getLong(1), run, commits, inputs);
  }

  private static Instant instant(Object t) {
    return t instanceof java.sql.Timestamp ts ? ts.toInstant() : (Instant) t;
  }

  public static void print(Chain c, PrintWriter out) {
    out.printf(Locale.ROOT, "%s version %d%s%n", c.table(), c.version(),
        c.recordedVersion() == c.version() ? "" : " (unchanged by runs since version " + c.recordedVersion() + ")");
    Run r = c.run();
    out.printf(Locale.ROOT, "  <- run %s: touchpoint %s, dates %s, stages %s, %s%n", r.runId(), r.command(), r.dates(),
        r.stages(), r.status());
    out.printf(Locale.ROOT, "     by %s on %s, %s .. %s%n", r.user(), r.host(), r.startedAt(), r.finishedAt());
    out.printf(Locale.ROOT, "     committed %d version(s): %s%n", c.commits().size(), String.join(", ", c.commits()));
    out.printf(Locale.ROOT, "  <- %d export file(s) landed in the warehouse it read (latest delivery of each):%n",
        c.inputs().size());
    for (Input i : c.inputs()) {
      out.printf(Locale.ROOT, "     %s  %s  sha256 %s  %d row(s), landed by %s%n", i.exportDate(), i.sourceFile(),
          i.checksum(), i.rowsRead(), i.landedBy());
    }
    out.flush();
  }
}
