package io.touchpoint.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.touchpoint.errors.Errors;
import io.touchpoint.errors.TouchpointException;
import io.touchpoint.ingest.BronzeTable;
import io.touchpoint.ingest.UnreadableFileException;
import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.spark.DateSpan;
import io.touchpoint.jobs.spark.TableWriter;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lands the export files of a set of dates in {@code bronze.<source>__<entity>}, quarantines bad
 * rows in {@code ops.rejects} and logs every file in {@code ops.ingestion_log} with
 * rows read = accepted + rejected. A file already ingested with the same checksum is skipped; a
 * changed file replaces its earlier rows. All dates are parsed in one Spark job per table.
 */
public final class IngestJob {
  private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);
  public static final String OPS = "ops";
  public static final String LOG_TABLE = "ingestion_log";
  public static final String REJECTS_TABLE = "rejects";
  /** One row: the fingerprint of the HMAC key the warehouse's hashes were made with (README "Personal data"). */
  public static final String KEY_TABLE = "hmac_key";

  static final StructType LOG_SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("table_name", DataTypes.StringType, false)
      .add("export_date", DataTypes.DateType, false)
      .add("source_file", DataTypes.StringType, false)
      .add("checksum", DataTypes.StringType, false)
      .add("bytes", DataTypes.LongType, false)
      .add("rows_read", DataTypes.LongType, false)
      .add("rows_accepted", DataTypes.LongType, false)
      .add("rows_rejected", DataTypes.LongType, false)
      .add("encoding", DataTypes.StringType, true)
      .add("notes", DataTypes.StringType, true)
      .add("status", DataTypes.StringType, false)
      .add("ingested_at", DataTypes.TimestampType, false);

  /** Per-table outcome of one ingest run. */
  public record TableResult(BronzeTable table, int filesSeen, int filesIngested, long rowsRead,
      long rowsAccepted, long rowsRejected) {
    public double acceptedShare() {
      return rowsRead == 0 ? 1.0 : (double) rowsAccepted / rowsRead;
    }
  }

  public record Result(List<TableResult> tables) {
    public long rowsRejected() {
      return tables.stream().mapToLong(TableResult::rowsRejected).sum();
    }

    public long rowsRead() {
      return tables.stream().mapToLong(TableResult::rowsRead).sum();
    }
  }

  private final Warehouse warehouse;
  private final TouchpointConfig config;
  private final TableWriter writer;
  private final Instant startedAt;

  public IngestJob(Warehouse warehouse, TouchpointConfig config, String runId, Instant startedAt) {
    this.warehouse = warehouse;
    this.config = config;
    this.writer = new TableWriter(warehouse, runId, "ingest");
    this.startedAt = startedAt;
  }

  public Result run(List<LocalDate> dates, Set<String> sources) {
    SparkSession spark = warehouse.spark();
    spark.sparkContext().setJobGroup("ingest", "ingest " + DateSpan.of(dates), false);
    checkKey();
    List<ExportFile> listed = list(dates, sources);
    HadoopFiles files = new HadoopFiles(spark.sparkContext().hadoopConfiguration());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<ExportFile> withSums;
    try {
      withSums = listed.isEmpty() ? List.of()
          : jsc.parallelize(listed, Math.min(listed.size(), 16))
              .map(f -> f.withChecksum(HadoopFiles.sha256(files.read(f)))).collect();
    } catch (Exception e) { // SparkException is a checked exception that Scala throws undeclared
      throw userError(e);
    }
    Set<String> done = alreadyIngested();
    List<TableResult> results = new ArrayList<>();
    List<String> gateFailures = new ArrayList<>();
    List<Landed> landed = new ArrayList<>();
    try {
      for (BronzeTable table : BronzeTable.values()) {
        if (!sources.contains(table.source())) {
          continue;
        }
        List<ExportFile> mine = withSums.stream().filter(f -> f.table() == table).toList();
        List<ExportFile> pending = mine.stream()
            .filter(f -> !done.contains(f.relativePath() + "|" + f.checksum())).toList();
        if (pending.isEmpty()) {
          LOG.info("{}: {} file(s), all already ingested unchanged: skipped", table.tableName(), mine.size());
          results.add(new TableResult(table, mine.size(), 0, 0, 0, 0));
          continue;
        }
        Landed l = land(jsc, files, table, pending);
        landed.add(l);
        TableResult r = new TableResult(table, mine.size(), pending.size(), l.accepted() + l.rejected(), l.accepted(), l.rejected());
        results.add(r);
        if (!l.passes()) {
          gateFailures.add(String.format(java.util.Locale.ROOT, "%s accepted %d of %d rows (%.2f%%; %s)", table.tableName(),
              r.rowsAccepted(), r.rowsRead(), 100 * r.acceptedShare(), l.worstFiles()));
        }
      }
      write(landed);
    } finally {
      landed.forEach(l -> l.rows().unpersist());
    }
    if (!gateFailures.isEmpty()) {
      throw Errors.qualityGate("ingest " + DateSpan.of(dates),
          "accepted share below " + config.minAcceptedShare() * 100 + "% for " + gateFailures
              + "; their rows were not written to bronze",
          "Inspect ops.rejects for those files (reason_code, raw_row), get corrected exports re-delivered and rerun"
              + " (only changed files are re-read), or lower ingest.min-accepted-share knowingly");
    }
    return new Result(results);
  }

  /** One table's parsed files, persisted until written, with per-file counts and reject reasons. */
  private record Landed(BronzeTable table, List<ExportFile> files, Dataset<Row> rows, Map<String, long[]> counts,
      Map<String, String[]> fileInfo, Map<String, Map<String, Long>> reasons, boolean passes) {

    /** The files with the most rejects, each with its main reason: where to look first. */
    String worstFiles() {
      return counts.entrySet().stream().filter(e -> e.getValue()[1] > 0)
          .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(3)
          .map(e -> {
            Map.Entry<String, Long> top = reasons.getOrDefault(e.getKey(), Map.of()).entrySet().stream()
                .max(Map.Entry.comparingByValue()).orElse(Map.entry("?", 0L));
            return e.getKey() + ": " + e.getValue()[1] + " of " + (e.getValue()[0] + e.getValue()[1])
                + " rows rejected, mostly " + top.getKey() + " (" + top.getValue() + ")";
          })
          .collect(Collectors.joining(", "));
    }

    long accepted() {
      return counts.values().stream().mapToLong(c -> c[0]).sum();
    }

    long rejected() {
      return counts.values().stream().mapToLong(c -> c[1]).sum();
    }

    String scope() {
      String fileList = files.stream().map(f -> "'" + f.relativePath().replace("'", "''") + "'")
          .collect(Collectors.joining(","));
      String dateList = files.stream().map(f -> "DATE'" + f.exportDate() + "'").distinct()
          .collect(Collectors.joining(","));
      return "_export_date IN (" + dateList + ") AND _source_file IN (" + fileList + ")";
    }
  }

  private Landed land(JavaSparkContext jsc, HadoopFiles files, BronzeTable table, List<ExportFile> pending) {
    SparkSession spark = warehouse.spark();
    StructType data = table.dataSchema();
    ParseFiles parse = new ParseFiles(files, config.pii(), config.channels(), config.zone(),
        config.marketplaceEncodings(), data.size());
    JavaRDD<Row> rows = jsc.parallelize(pending, Math.max(1, Math.min(pending.size(), 64))).flatMap(parse);
    Dataset<Row> landing = spark.createDataFrame(rows, ParseFiles.landingSchema(data))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Map<String, long[]> counts = new HashMap<>();
    Map<String, String[]> fileInfo = new HashMap<>();
    List<Row> stats;
    try {
      stats = landing.groupBy("_source_file", "_status", "reason_code")
          .agg(org.apache.spark.sql.functions.count(lit(1)).as("n"),
              org.apache.spark.sql.functions.max("reason_detail").as("detail"))
          .select("_source_file", "_status", "n", "reason_code", "detail")
          .collectAsList();
    } catch (Exception e) { // SparkException is a checked exception that Scala throws undeclared
      landing.unpersist();
      throw userError(e);
    }
    Map<String, Map<String, Long>> reasons = new HashMap<>();
    for (Row r : stats) {
      String file = r.getString(0);
      switch (r.getString(1)) {
        case ParseFiles.FILE -> fileInfo.put(file, new String[] {r.getString(3), r.getString(4)});
        case ParseFiles.ACCEPTED -> counts.computeIfAbsent(file, k -> new long[2])[0] += r.getLong(2);
        default -> {
          counts.computeIfAbsent(file, k -> new long[2])[1] += r.getLong(2);
          reasons.computeIfAbsent(file, k -> new HashMap<>()).merge(r.getString(3), r.getLong(2), Long::sum);
        }
      }
    }
    long accepted = counts.values().stream().mapToLong(c -> c[0]).sum();
    long read = accepted + counts.values().stream().mapToLong(c -> c[1]).sum();
    boolean passes = read == 0 || read < config.gateMinRows() || (double) accepted / read >= config.minAcceptedShare();
    if (read > 0 && read < config.gateMinRows() && (double) accepted / read < config.minAcceptedShare()) {
      LOG.warn("{}: accepted share {} of {} rows is below {} but too few rows to judge (ingest.gate-min-rows = {}); landing it",
          table.tableName(), accepted, read, config.minAcceptedShare(), config.gateMinRows());
    }
    LOG.info("{}: {} file(s) parsed, rows read {} = accepted {} + rejected {}{}", table.tableName(),
        pending.size(), read, accepted, read - accepted, passes ? "" : " — BELOW THE ACCEPTED-SHARE GATE");
    return new Landed(table, pending, landing, counts, fileInfo, reasons, passes);
  }

  /** Rejects of every table in one commit, bronze per table (only when it passed the gate), then the log. */
  private void write(List<Landed> landed) {
    if (landed.isEmpty()) {
      return;
    }
    SparkSession spark = warehouse.spark();
    Column ingestedAt = lit(Timestamp.from(startedAt)).cast("timestamp");
    Dataset<Row> rejects = null;
    List<String> scopes = new ArrayList<>();
    for (Landed l : landed) {
      Dataset<Row> r = l.rows().filter(col("_status").equalTo(ParseFiles.REJECTED))
          .select(lit(l.table().tableName()).as("table_name"), col("_export_date"), col("_source_file"),
              col("_row_number"), col("reason_code"), col("reason_detail"), col("raw_row"),
              ingestedAt.as("_ingested_at"), lit(writer.runId()).as("_run_id"));
      // A table whose counts show no rejected row adds none: its parsed rows are not scanned again
      // (at 250,000 customers a 30-day ingest's rejects write scanned 6.5 M rows for 0 rejects in 5.2 s).
      // Its scope is still replaced, so a re-delivered file that is clean now clears its old rejects.
      if (l.rejected() > 0 || rejects == null) {
        Dataset<Row> kept = l.rejected() > 0 ? r : r.limit(0);
        rejects = rejects == null ? kept : rejects.unionByName(kept);
      }
      scopes.add("(" + l.scope() + ")");
    }
    Dataset<Row> allRejects = rejects;
    sharedOpsWrite(REJECTS_TABLE, () -> writer.replaceWhere(allRejects, OPS, REJECTS_TABLE, String.join(" OR ", scopes), List.of()));
    for (Landed l : landed) {
      if (!l.passes() || (l.accepted() == 0 && !warehouse.exists("bronze", l.table().tableName()))) {
        continue;
      }
      List<Column> cols = new ArrayList<>();
      Arrays.stream(l.table().dataSchema().fieldNames()).forEach(n -> cols.add(col(n)));
      cols.add(col("_export_date"));
      cols.add(col("_source_file"));
      cols.add(col("_row_number"));
      cols.add(ingestedAt.as("_ingested_at"));
      cols.add(lit(writer.runId()).as("_run_id"));
      Dataset<Row> bronze = l.rows().filter(col("_status").equalTo(ParseFiles.ACCEPTED)).select(cols.toArray(new Column[0]));
      writer.replaceWhere(bronze, "bronze", l.table().tableName(), l.scope(), List.of("_export_date"));
    }
    List<Row> logRows = new ArrayList<>();
    for (Landed l : landed) {
      for (ExportFile f : l.files()) {
        long[] c = l.counts().getOrDefault(f.relativePath(), new long[2]);
        String[] info = l.fileInfo().getOrDefault(f.relativePath(), new String[] {null, null});
        logRows.add(RowFactory.create(writer.runId(), l.table().tableName(), f.exportDate(), f.relativePath(),
            f.checksum(), f.bytes(), c[0] + c[1], c[0], c[1], info[0],
            info[1] == null || info[1].isEmpty() ? null : info[1], l.passes() ? "ingested" : "failed_gate", startedAt));
      }
    }
    Dataset<Row> log = spark.createDataFrame(logRows, LOG_SCHEMA);
    sharedOpsWrite(LOG_TABLE, () -> writer.append(log, OPS, LOG_TABLE));
  }

  static final int OPS_WRITE_ATTEMPTS = 5;

  /**
   * Per-source runs of one date (the Airflow DAG's parallel ingest tasks) share ops.rejects and
   * ops.ingestion_log. Their scopes are disjoint (a run replaces only its own files' rejects, the log
   * is appended), but Delta cannot prove that on these unpartitioned tables and refuses the later of
   * two concurrent commits (ConcurrentAppendException; ProtocolChangedException when both create the
   * table). Committing again on the new snapshot is then correct, so these two writes retry.
   */
  private static void sharedOpsWrite(String table, Runnable write) {
    for (int attempt = 1; ; attempt++) {
      try {
        write.run();
        return;
      } catch (RuntimeException e) {
        if (attempt >= OPS_WRITE_ATTEMPTS || !concurrentCommit(e)) {
          throw e;
        }
        long waitMs = 400L * (1L << (attempt - 1)) + java.util.concurrent.ThreadLocalRandom.current().nextLong(400);
        LOG.warn("{}.{}: a concurrent ingest committed first ({}); committing again in {} ms (attempt {} of {})",
            OPS, table, e.getClass().getSimpleName(), waitMs, attempt + 1, OPS_WRITE_ATTEMPTS);
        try {
          Thread.sleep(waitMs);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** Delta's optimistic-concurrency conflicts all extend {@link java.util.ConcurrentModificationException}. */
  private static boolean concurrentCommit(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.util.ConcurrentModificationException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Records the key's fingerprint on the first ingest into a warehouse and refuses a different key
   * afterwards: hashes of two keys never meet, so a key change would silently split identities.
   */
  private void checkKey() {
    String fingerprint = config.pii().fingerprint();
    if (warehouse.exists(OPS, KEY_TABLE)) {
      List<Row> recorded = warehouse.read(OPS, KEY_TABLE).select("fingerprint").collectAsList();
      if (!recorded.isEmpty() && !recorded.get(0).getString(0).equals(fingerprint)) {
        throw Errors.hmacKeyChanged(warehouse.root(), recorded.get(0).getString(0), fingerprint);
      }
      return;
    }
    StructType schema = new StructType().add("fingerprint", DataTypes.StringType, false)
        .add("is_demo_key", DataTypes.BooleanType, false).add("recorded_by_run_id", DataTypes.StringType, false)
        .add("recorded_at", DataTypes.TimestampType, false);
    try {
      writer.append(warehouse.spark().createDataFrame(List.of(RowFactory.create(fingerprint, config.pii().isDemoKey(),
          writer.runId(), startedAt)), schema), OPS, KEY_TABLE);
    } catch (RuntimeException e) {
      if (!concurrentCommit(e) || !warehouse.exists(OPS, KEY_TABLE)) {
        throw e;
      }
      // A concurrent first ingest (another source's task) recorded the fingerprint first: check against it.
      LOG.warn("{}.{}: a concurrent ingest recorded the key first ({}); checking against it", OPS, KEY_TABLE,
          e.getClass().getSimpleName());
      checkKey();
    }
  }

  /** The {@code file|checksum} pairs already landed successfully. */
  private Set<String> alreadyIngested() {
    if (!warehouse.exists(OPS, LOG_TABLE)) {
      return Set.of();
    }
    Set<String> out = new HashSet<>();
    for (Row r : warehouse.read(OPS, LOG_TABLE).filter(col("status").equalTo("ingested"))
        .select("source_file", "checksum").distinct().collectAsList()) {
      out.add(r.getString(0) + "|" + r.getString(1));
    }
    return out;
  }

  /**
   * The export dates before {@code runDate} that hold late data: an expected file that no run has
   * ingested yet, or one re-delivered since it was ingested (a different size, or modified after it
   * was landed and with a different SHA-256). Only dates some run has ingested before are looked
   * at (a date never ingested is a missing run, not late data: run it, or {@code nightly
   * --reprocess-from D}); folders that are gone (exports purged after landing) are not late.
   * Reads {@code ops.ingestion_log} and lists folders; only modified files are read (to hash them).
   */
  public java.util.SortedSet<LocalDate> lateDates(LocalDate runDate, Set<String> sources) {
    java.util.SortedSet<LocalDate> late = new java.util.TreeSet<>();
    if (!warehouse.exists(OPS, LOG_TABLE)) {
      return late;
    }
    // The latest landing of each file: its size, checksum and time.
    Map<String, Row> landedFiles = new HashMap<>();
    Set<LocalDate> seen = new java.util.TreeSet<>();
    for (Row r : warehouse.read(OPS, LOG_TABLE).filter(col("status").equalTo("ingested")
        .and(col("export_date").lt(lit(java.sql.Date.valueOf(runDate)))))
        .select("source_file", "export_date", "bytes", "checksum", "ingested_at").collectAsList()) {
      seen.add(localDate(r.get(1)));
      Row before = landedFiles.get(r.getString(0));
      if (before == null || epochMillis(before.get(4)) < epochMillis(r.get(4))) {
        landedFiles.put(r.getString(0), r);
      }
    }
    Path root = new Path(config.exports());
    HadoopFiles files = new HadoopFiles(warehouse.spark().sparkContext().hadoopConfiguration());
    try {
      FileSystem fs = root.getFileSystem(warehouse.spark().sparkContext().hadoopConfiguration());
      for (LocalDate d : seen) {
        for (BronzeTable t : BronzeTable.values()) {
          if (!sources.contains(t.source())) {
            continue;
          }
          for (String expected : t.expectedFiles()) {
            String relative = t.source() + "/" + d + "/" + expected;
            Path file = new Path(root, relative);
            if (!fs.exists(file) || fs.getFileStatus(file).isDirectory()) {
              continue;
            }
            FileStatus s = fs.getFileStatus(file);
            Row was = landedFiles.get(relative);
            boolean isLate = was == null || was.getLong(2) != s.getLen()
                || (s.getModificationTime() > epochMillis(was.get(4))
                    && !HadoopFiles.sha256(files.read(new ExportFile(t, d, relative, file.toString(), s.getLen(), null)))
                        .equals(was.getString(3)));
            if (isLate) {
              LOG.info("late data: {} is {} since it was last ingested", relative, was == null ? "new" : "re-delivered");
              late.add(d);
            }
          }
        }
      }
    } catch (IOException e) {
      throw Errors.input("look for late exports in " + config.exports(), e.getClass().getSimpleName() + ": " + e.getMessage(),
          "Check that the folder exists and that the job's user may list it, then rerun", e);
    }
    return late;
  }

  private static LocalDate localDate(Object d) {
    return d instanceof java.sql.Date sql ? sql.toLocalDate() : (LocalDate) d;
  }

  private static long epochMillis(Object t) {
    return t instanceof java.sql.Timestamp ts ? ts.getTime() : ((Instant) t).toEpochMilli();
  }

  /** Lists the expected export files of every requested source and date; missing ones are an error. */
  List<ExportFile> list(List<LocalDate> dates, Set<String> sources) {
    List<ExportFile> out = new ArrayList<>();
    Path root = new Path(config.exports());
    try {
      FileSystem fs = root.getFileSystem(warehouse.spark().sparkContext().hadoopConfiguration());
      if (!fs.exists(root)) {
        throw Errors.input("ingest from " + config.exports(), "the exports folder does not exist",
            "Pass --exports DIR (or set TOUCHPOINT_EXPORTS / exports.dir), or run `touchpoint generate` first");
      }
      if (!fs.getFileStatus(root).isDirectory()) {
        throw Errors.input("ingest from " + config.exports(), "it is a file, not a folder",
            "Pass the root folder of the exports to --exports (it holds one folder per source)");
      }
      Map<String, List<BronzeTable>> bySource = new LinkedHashMap<>();
      for (BronzeTable t : BronzeTable.values()) {
        if (sources.contains(t.source())) {
          bySource.computeIfAbsent(t.source(), k -> new ArrayList<>()).add(t);
        }
      }
      for (LocalDate d : dates) {
        for (Map.Entry<String, List<BronzeTable>> e : bySource.entrySet()) {
          Path dir = new Path(root, e.getKey() + "/" + d);
          if (!fs.exists(dir)) {
            throw Errors.missingSource(e.getKey(), d.toString(), java.nio.file.Path.of(dir.toString()));
          }
          if (!fs.getFileStatus(dir).isDirectory()) {
            throw Errors.input("ingest source '" + e.getKey() + "' for " + d, dir + " is a file, not a folder",
                "Deliver the export as a folder " + e.getKey() + "/" + d + "/ holding its files (docs/EXPORTS.md)");
          }
          FileStatus[] present;
          try {
            present = fs.listStatus(dir);
          } catch (IOException io) {
            throw Errors.unreadableFolder(e.getKey(), d.toString(), dir.toString(), io);
          }
          Map<String, FileStatus> byName = new HashMap<>();
          for (FileStatus s : present) {
            byName.put(s.getPath().getName(), s);
          }
          for (BronzeTable t : e.getValue()) {
            for (String expected : t.expectedFiles()) {
              FileStatus s = byName.remove(expected);
              if (s == null) {
                throw Errors.input("ingest " + t.tableName() + " for " + d,
                    "the export folder " + dir + " has no " + expected,
                    "Ask the " + e.getKey() + " system to re-deliver that day's export (an empty file with its header is valid)");
              }
              if (s.isDirectory()) {
                throw Errors.input("ingest " + t.tableName() + " for " + d, dir + "/" + expected + " is a folder, not a file",
                    "Deliver " + expected + " as one file (docs/EXPORTS.md)");
              }
              out.add(new ExportFile(t, d, e.getKey() + "/" + d + "/" + expected, s.getPath().toString(), s.getLen(), null));
            }
          }
          byName.keySet().stream().filter(n -> !n.startsWith(".") && !n.startsWith("_")).sorted()
              .forEach(n -> LOG.warn("{}/{}: unexpected file {} ignored (not part of the {} contract, docs/EXPORTS.md)",
                  e.getKey(), d, n, e.getKey()));
        }
      }
    } catch (IOException e) {
      throw Errors.input("list the exports in " + config.exports(), e.getClass().getSimpleName() + ": " + e.getMessage(),
          "Check that the folder exists and that the job's user may list it, then rerun", e);
    }
    return out;
  }

  /** The user-facing error inside a failed Spark job (an unreadable file), else the failure as it is. */
  private static RuntimeException userError(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnreadableFileException u) {
        return Errors.input("read " + u.file(), u.reason(), u.fix(), u);
      }
      if (t instanceof TouchpointException te) {
        return te;
      }
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
  }
}
