package io.touchpoint.jobs.maintenance;

import io.touchpoint.jobs.spark.TableWriter;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly's housekeeping, so that a year of nightly runs does not leave a year of small files:
 * every table of the warehouse whose snapshot holds {@link Maintenance#compactMinFiles} files or more
 * is compacted (Delta OPTIMIZE), and on the vacuum day every table is vacuumed with the configured
 * retention. Each table's file counts before and after go to {@code ops.maintenance}, one row per
 * table and run, which is where the file counts of a warehouse are read from.
 *
 * <p>Neither operation changes a row: OPTIMIZE rewrites files into fewer, VACUUM deletes files no
 * version within the retention refers to. A killed run leaves at most an uncommitted OPTIMIZE (its
 * new files orphaned until the next VACUUM) and is simply run again.
 */
public final class MaintenanceJob {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceJob.class);
  public static final String SCHEMA = "ops";
  public static final String TABLE = "maintenance";
  static final StructType LOG_SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("run_date", DataTypes.DateType, false)
      .add("table_name", DataTypes.StringType, false)
      .add("live_files_before", DataTypes.LongType, false)
      .add("live_files_after", DataTypes.LongType, false)
      .add("compacted", DataTypes.BooleanType, false)
      .add("files_removed", DataTypes.LongType, false)
      .add("files_added", DataTypes.LongType, false)
      .add("vacuumed", DataTypes.BooleanType, false)
      .add("retention_hours", DataTypes.LongType, true)
      .add("data_files_on_disk", DataTypes.LongType, true)
      .add("seconds", DataTypes.DoubleType, false);

  /** What happened to one table. {@code filesOnDisk} is counted after a vacuum only (a listing costs). */
  public record TableResult(String table, long liveFilesBefore, long liveFilesAfter, boolean compacted, long filesRemoved,
      long filesAdded, boolean vacuumed, Long filesOnDisk, double seconds) {}

  private final Warehouse warehouse;
  private final TableWriter writer;
  private final Maintenance settings;

  public MaintenanceJob(Warehouse warehouse, String runId, Maintenance settings) {
    this.warehouse = warehouse;
    this.writer = new TableWriter(warehouse, runId, "maintain");
    this.settings = settings;
  }

  /** Maintains every table for the run of {@code runDate}; vacuums when it is the vacuum day or {@code vacuum} is set. */
  public List<TableResult> run(LocalDate runDate, boolean vacuum) {
    warehouse.spark().sparkContext().setJobGroup("maintain", "maintain " + runDate, false);
    boolean vacuumNow = vacuum || settings.vacuumsOn(runDate);
    List<TableResult> results = new ArrayList<>();
    if (warehouse.sandbox().isPresent()) {
      LOG.info("maintain {}: a sandboxed run maintains nothing (the production tables are not its to rewrite)", runDate);
      return List.of();
    }
    for (String name : warehouse.tables()) {
      String[] p = name.split("\\.", 2);
      long t0 = System.nanoTime();
      long before = warehouse.liveFiles(p[0], p[1]);
      long[] changed = {0, 0};
      if (before >= settings.compactMinFiles()) {
        // A date-partitioned table with one file per day has nothing to merge: OPTIMIZE then commits nothing.
        changed = writer.compact(p[0], p[1]);
      }
      boolean compact = changed[0] > 0;
      Long onDisk = null;
      if (vacuumNow) {
        writer.vacuum(p[0], p[1], settings.retentionHours());
        onDisk = dataFilesOnDisk(warehouse.path(p[0], p[1]));
      }
      long after = compact ? warehouse.liveFiles(p[0], p[1]) : before;
      if (compact || vacuumNow) {
        results.add(new TableResult(name, before, after, compact, changed[0], changed[1], vacuumNow, onDisk,
            (System.nanoTime() - t0) / 1e9));
      }
    }
    if (!results.isEmpty()) {
      List<Row> rows = new ArrayList<>();
      for (TableResult r : results) {
        rows.add(RowFactory.create(writer.runId(), runDate, r.table(), r.liveFilesBefore(), r.liveFilesAfter(), r.compacted(),
            r.filesRemoved(), r.filesAdded(), r.vacuumed(), r.vacuumed() ? settings.retentionHours() : null, r.filesOnDisk(),
            Math.round(r.seconds() * 1000) / 1000.0));
      }
      writer.append(warehouse.spark().createDataFrame(rows, LOG_SCHEMA), SCHEMA, TABLE);
    }
    LOG.info("maintain {}: {} table(s) compacted, {} vacuumed (retention {} h){}", runDate,
        results.stream().filter(TableResult::compacted).count(), vacuumNow ? results.size() : 0, settings.retentionHours(),
        vacuumNow ? "" : "; the next vacuum is on " + (settings.vacuumDay() == null ? "no day (vacuum-day=never)" : settings.vacuumDay().toString()));
    return results;
  }

  /** Data files under the table's folder (live or not), outside its {@code _delta_log}. */
  long dataFilesOnDisk(String path) {
    try {
      Path root = new Path(path);
      FileSystem fs = root.getFileSystem(warehouse.spark().sparkContext().hadoopConfiguration());
      long n = 0;
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        LocatedFileStatus f = it.next();
        if (!f.getPath().toString().contains("/_delta_log/") && f.getPath().getName().endsWith(".parquet")) {
          n++;
        }
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
