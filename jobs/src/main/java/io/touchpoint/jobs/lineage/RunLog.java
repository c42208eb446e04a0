package io.touchpoint.jobs.lineage;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.jobs.ingest.IngestJob;
import io.touchpoint.jobs.spark.TableWriter;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of runs: who ran what, when, over which export files, and which table versions
 * it produced. Three append-only tables in {@code ops}:
 * <ul>
 *   <li>{@code ops.runs}: one row per run (run id, command, OS user, host, start and end, dates,
 *       stages, status, and the error's first line when it failed);</li>
 *   <li>{@code ops.run_inputs}: the export files of the run's dates as landed when it ended
 *       (file, export date, SHA-256 and the run that landed it, from {@code ops.ingestion_log});</li>
 *   <li>{@code ops.table_versions}: each Delta commit the run made (table, version, operation),
 *       found generically in every table's log by the run id each commit carries.</li>
 * </ul>
 * {@link Lineage} walks them back from a table version to the export files.
 */
public final class RunLog {
  private static final Logger LOG = LoggerFactory.getLogger(RunLog.class);
  public static final String RUNS = "runs";
  public static final String INPUTS = "run_inputs";
  public static final String VERSIONS = "table_versions";
  /** Commit logs read back per table when looking for a run's commits (newest first). */
  private static final int MAX_COMMITS_SCANNED = 200;

  static final StructType RUNS_SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("command", DataTypes.StringType, false)
      .add("user", DataTypes.StringType, true)
      .add("host", DataTypes.StringType, true)
      .add("started_at", DataTypes.TimestampType, false)
      .add("finished_at", DataTypes.TimestampType, false)
      .add("first_date", DataTypes.DateType, false)
      .add("last_date", DataTypes.DateType, false)
      .add("stages", DataTypes.StringType, false)
      .add("status", DataTypes.StringType, false)
      .add("error", DataTypes.StringType, true)
      .add("touchpoint_version", DataTypes.StringType, true);

  static final StructType INPUTS_SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("table_name", DataTypes.StringType, false)
      .add("export_date", DataTypes.DateType, false)
      .add("source_file", DataTypes.StringType, false)
      .add("checksum", DataTypes.StringType, false)
      .add("rows_read", DataTypes.LongType, false)
      .add("landed_by_run_id", DataTypes.StringType, false);

  static final StructType VERSIONS_SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("table_name", DataTypes.StringType, false)
      .add("version", DataTypes.LongType, false)
      .add("operation", DataTypes.StringType, true)
      .add("job", DataTypes.StringType, true)
      .add("committed_at", DataTypes.TimestampType, false);

  private final Warehouse warehouse;

  public RunLog(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  /** The command a run id names ({@code nightly-20260105T000000-ab12} is {@code nightly}). */
  static String command(String runId) {
    return runId.replaceFirst("-\\d{8}T\\d{6}-[0-9a-f]{4}$", "");
  }

  /**
   * Records a run that ended (ok or failed). Never throws: a failure to record is logged, so it
   * cannot hide the run's own outcome.
   */
  public void record(String runId, Instant startedAt, List<LocalDate> dates, String stages, Throwable failure) {
    if (warehouse.sandbox().isPresent()) {
      return; // an analyst's run writes no ops table
    }
    try {
      Instant finished = Instant.now();
      TableWriter writer = new TableWriter(warehouse, runId, "lineage");
      List<Row> versions = commitsOf(runId, startedAt);
      List<Row> inputs = inputsOf(runId, dates);
      String error = failure == null ? null : String.valueOf(failure.getMessage()).lines().findFirst().orElse("");
      Row run = RowFactory.create(runId, command(runId), System.getProperty("user.name"), host(), Timestamp.from(startedAt),
          Timestamp.from(finished), java.sql.Date.valueOf(dates.get(0)), java.sql.Date.valueOf(dates.get(dates.size() - 1)),
          stages, failure == null ? "succeeded" : "failed", error == null ? null : io.touchpoint.pii.Pii.mask(error),
          RunLog.class.getPackage().getImplementationVersion());
      var spark = warehouse.spark();
      if (!inputs.isEmpty()) {
        writer.append(spark.createDataFrame(inputs, INPUTS_SCHEMA), IngestJob.OPS, INPUTS);
      }
      if (!versions.isEmpty()) {
        writer.append(spark.createDataFrame(versions, VERSIONS_SCHEMA), IngestJob.OPS, VERSIONS);
      }
      writer.append(spark.createDataFrame(List.of(run), RUNS_SCHEMA), IngestJob.OPS, RUNS);
      LOG.info("[{}] lineage: {} table version(s), {} input file(s) recorded in ops.{}", runId, versions.size(),
          inputs.size(), RUNS);
    } catch (RuntimeException e) {
      LOG.error("[{}] could not record the run in ops.{}: {}", runId, RUNS, e.toString());
    }
  }

  private static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return null;
    }
  }

  /** The latest landing of every export file of the run's dates (ops.ingestion_log). */
  private List<Row> inputsOf(String runId, List<LocalDate> dates) {
    if (!warehouse.exists(IngestJob.OPS, IngestJob.LOG_TABLE)) {
      return List.of();
    }
    Dataset<Row> log = warehouse.read(IngestJob.OPS, IngestJob.LOG_TABLE)
        .where(col("status").equalTo("ingested")
            .and(col("export_date").isin(dates.stream().map(java.sql.Date::valueOf).toArray())));
    Dataset<Row> latest = log.groupBy("source_file").agg(functions.max_by(functions.struct(col("table_name"), col("export_date"),
        col("checksum"), col("rows_read"), col("run_id")), col("ingested_at")).as("l"));
    List<Row> out = new ArrayList<>();
    for (Row r : latest.select(col("source_file"), col("l.*")).orderBy("source_file").collectAsList()) {
      Object d = r.get(2);
      out.add(RowFactory.create(runId, r.getString(1), d instanceof LocalDate ld ? java.sql.Date.valueOf(ld) : d,
          r.getString(0), r.getString(3), r.getLong(4), r.getString(5)));
    }
    return out;
  }

  /**
   * Every commit stamped with {@code runId} in the log of every warehouse table, read from the
   * newest commit files back to the run's start (no Spark job; the files are small).
   */
  List<Row> commitsOf(String runId, Instant startedAt) {
    List<Row> out = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try {
      for (String name : warehouse.tables()) {
        String[] p = name.split("\\.", 2);
        Path logDir = new Path(warehouse.path(p[0], p[1]), "_delta_log");
        FileSystem fs = logDir.getFileSystem(warehouse.spark().sparkContext().hadoopConfiguration());
        FileStatus[] commits = commitsNewestFirst(fs, logDir);
        int scanned = 0;
        for (FileStatus c : commits) {
          if (++scanned > MAX_COMMITS_SCANNED) {
            break;
          }
          JsonNode info = commitInfo(fs, c.getPath(), json);
          if (info == null) {
            continue;
          }
          long ts = info.path("timestamp").asLong(0);
          if (ts > 0 && ts < startedAt.toEpochMilli() - 1000) {
            break; // older than the run
          }
          String meta = info.path("userMetadata").asText("");
          if (meta.isEmpty()) {
            continue;
          }
          JsonNode m = json.readTree(meta);
          if (runId.equals(m.path("run_id").asText())) {
            out.add(RowFactory.create(runId, name, Long.parseLong(c.getPath().getName().substring(0, 20)),
                info.path("operation").asText(null), m.path("job").asText(null), new Timestamp(ts)));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(Comparator.comparing((Row r) -> r.getString(1)).thenComparing(r -> r.getLong(2)));
    return out;
  }

  /** The commit files ({@code <version>.json}) of a table's Delta log folder, newest first. */
  public static FileStatus[] commitsNewestFirst(FileSystem fs, Path logDir) throws IOException {
    FileStatus[] commits = fs.listStatus(logDir, f -> f.getName().matches("\\d{20}\\.json"));
    Arrays.sort(commits, Comparator.comparing((FileStatus f) -> f.getPath().getName()).reversed());
    return commits;
  }

  /** The {@code commitInfo} action of a Delta commit file, or null when it has none. */
  public static JsonNode commitInfo(FileSystem fs, Path commit, ObjectMapper json) throws IOException {
    try (FSDataInputStream in = fs.open(commit);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("{\"commitInfo\"")) {
          return json.readTree(line).get("commitInfo");
        }
      }
    }
    return null;
  }

  /** For tests and the lineage command: the run ids recorded, oldest first. */
  public List<String> runIds() {
    if (!warehouse.exists(IngestJob.OPS, RUNS)) {
      return List.of();
    }
    return warehouse.read(IngestJob.OPS, RUNS).orderBy("started_at").select("run_id").collectAsList().stream()
        .map(r -> r.getString(0)).collect(Collectors.toList());
  }
}
