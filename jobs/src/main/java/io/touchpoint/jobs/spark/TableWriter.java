package io.touchpoint.jobs.spark;

import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * The only way jobs write tables: every write is scoped ({@code replaceWhere}, {@code MERGE} on
 * keys, or a whole-table overwrite for small derived tables) so a rerun gives the same table,
 * and every commit carries the run id and job in Delta's {@code userMetadata}. Where a table
 * lands (production or an analyst's sandbox) is decided by {@link Warehouse#target}.
 */
public final class TableWriter {
  private final Warehouse warehouse;
  private final String runId;
  private final String job;

  public TableWriter(Warehouse warehouse, String runId, String job) {
    this.warehouse = warehouse;
    this.runId = runId;
    this.job = job;
  }

  public String runId() {
    return runId;
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TableWriter.class);

  private void timed(String what, String schema, String table, Runnable write) {
    long t0 = System.nanoTime();
    write.run();
    warehouse.register(schema, table); // a table a run creates is named at once, for SQL later in the run
    LOG.info("  {} {} in {} s", what, warehouse.outputName(schema, table), String.format("%.1f", (System.nanoTime() - t0) / 1e9));
  }

  private String metadata() {
    return "{\"run_id\":\"" + runId + "\",\"job\":\"" + job + "\"}";
  }

  /** Replaces the rows matching {@code predicate} with {@code data} (all of which must match it). */
  public void replaceWhere(Dataset<Row> data, String schema, String table, String predicate, List<String> partitionBy) {
    replaceWhere(data, schema, table, predicate, partitionBy, false);
  }

  /**
   * As above; with {@code addColumns}, columns of {@code data} that the existing table lacks are added
   * to it (Delta {@code mergeSchema}; older rows read them as null).
   */
  public void replaceWhere(Dataset<Row> data, String schema, String table, String predicate, List<String> partitionBy,
      boolean addColumns) {
    timed("replaced rows of", schema, table, () -> replaceWhereNow(data, schema, table, predicate, partitionBy, addColumns));
  }

  private void replaceWhereNow(Dataset<Row> data, String schema, String table, String predicate, List<String> partitionBy,
      boolean addColumns) {
    // One task per partition value: one file per date instead of one per date and shuffle partition.
    Dataset<Row> shaped = partitionBy.isEmpty() ? data
        : data.repartition(partitionBy.stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new));
    String target = warehouse.target(schema, table);
    var w = shaped.write().format("delta").mode(SaveMode.Overwrite)
        .option("replaceWhere", predicate)
        .option("userMetadata", metadata());
    if (addColumns) {
      w = w.option("mergeSchema", "true");
    }
    if (!partitionBy.isEmpty() && !warehouse.isDeltaTable(target)) {
      w = w.partitionBy(partitionBy.toArray(new String[0]));
    }
    w.save(target);
  }

  /** Replaces the whole table (small derived tables recomputed from their inputs each run). */
  public void overwrite(Dataset<Row> data, String schema, String table) {
    timed("overwrote", schema, table, () -> data.write().format("delta").mode(SaveMode.Overwrite)
        .option("overwriteSchema", "true")
        .option("userMetadata", metadata())
        .save(warehouse.target(schema, table)));
  }

  public void append(Dataset<Row> data, String schema, String table) {
    timed("appended to", schema, table, () -> data.write().format("delta").mode(SaveMode.Append)
        .option("userMetadata", metadata())
        .save(warehouse.target(schema, table)));
  }

  /**
   * Upserts {@code data} on the key columns: matched rows are updated when any other column
   * differs, new keys inserted. Creates the table from {@code data} when it does not exist.
   */
  public void upsert(Dataset<Row> data, String schema, String table, List<String> keys, List<String> partitionBy) {
    timed("merged into", schema, table, () -> upsertNow(data, schema, table, keys, partitionBy));
  }

  private void upsertNow(Dataset<Row> data, String schema, String table, List<String> keys, List<String> partitionBy) {
    String target = warehouse.target(schema, table);
    if (!warehouse.isDeltaTable(target)) {
      var w = data.write().format("delta").mode(SaveMode.ErrorIfExists).option("userMetadata", metadata());
      if (!partitionBy.isEmpty()) {
        w = w.partitionBy(partitionBy.toArray(new String[0]));
      }
      w.save(target);
      return;
    }
    String on = String.join(" AND ", keys.stream().map(k -> "t.`" + k + "` = s.`" + k + "`").toList());
    String changed = String.join(" OR ", java.util.Arrays.stream(data.columns())
        .filter(c -> !keys.contains(c))
        .map(c -> "NOT (t.`" + c + "` <=> s.`" + c + "`)").toList());
    stamped(() -> {
      var merge = warehouse.delta(schema, table).as("t").merge(data.as("s"), on);
      (changed.isEmpty() ? merge : merge.whenMatched(changed).updateAll()).whenNotMatched().insertAll().execute();
    });
  }

  /**
   * Runs a DeltaTable API write (MERGE, UPDATE), which takes no write options, with the run's user
   * metadata set for its commit through the session conf, unset afterwards.
   */
  private void stamped(Runnable write) {
    warehouse.spark().conf().set("spark.databricks.delta.commitInfo.userMetadata", metadata());
    try {
      write.run();
    } finally {
      warehouse.spark().conf().unset("spark.databricks.delta.commitInfo.userMetadata");
    }
  }

  /**
   * Sets {@code column} to {@code mapping}'s {@code to} column where it equals its {@code from} column
   * (identity re-keying a merged customer's rows): one MERGE, stamped like every write, and
   * idempotent, since a rerun finds no row left with the old value. A no-op when the table does not exist.
   */
  public void rekey(Dataset<Row> mapping, String from, String to, String schema, String table, String column) {
    rekey(mapping, from, to, schema, table, column, null);
  }

  /**
   * As above, looking only at the table's rows that match {@code where} (on {@code t}, e.g. a partition
   * bound the caller knows holds every row to re-key; null for the whole table): Delta prunes the
   * files outside it before the join.
   */
  public void rekey(Dataset<Row> mapping, String from, String to, String schema, String table, String column, String where) {
    if (!warehouse.isDeltaTable(warehouse.target(schema, table))) {
      return;
    }
    String on = "t.`" + column + "` = m.`" + from + "`" + (where == null ? "" : " AND " + where);
    timed("re-keyed " + column + " in", schema, table, () -> stamped(() -> warehouse.delta(schema, table).as("t")
        .merge(mapping.as("m"), on)
        .whenMatched().updateExpr(Map.of(column, "m.`" + to + "`"))
        .execute()));
  }

  /**
   * Deletes the rows whose key columns match a row of {@code keys} (a MERGE … WHEN MATCHED THEN
   * DELETE, so the commit records the join condition, never the key values). A no-op when the
   * table does not exist. Returns the number of rows deleted.
   */
  public long deleteMatching(Dataset<Row> keys, String schema, String table, List<String> keyColumns) {
    return deleteMatching(keys, schema, table,
        String.join(" AND ", keyColumns.stream().map(k -> "t.`" + k + "` = s.`" + k + "`").toList()));
  }

  /** As above, with the MERGE condition between the table ({@code t}) and {@code keys} ({@code s}) given. */
  public long deleteMatching(Dataset<Row> keys, String schema, String table, String on) {
    String target = warehouse.target(schema, table);
    if (!warehouse.isDeltaTable(target)) {
      return 0;
    }
    long[] deleted = new long[1];
    timed("deleted rows of", schema, table, () -> stamped(() -> {
      DeltaTable t = warehouse.delta(schema, table);
      t.as("t").merge(keys.as("s"), on).whenMatched().delete().execute();
      Row last = t.history(1).select("operationMetrics").first();
      scala.collection.Map<String, String> m = last.getMap(0);
      deleted[0] = m.contains("numTargetRowsDeleted") ? Long.parseLong(m.apply("numTargetRowsDeleted")) : 0;
    }));
    return deleted[0];
  }

  /**
   * Compacts the table's small files (Delta OPTIMIZE: bin-packing within each partition; the rows and
   * their values are unchanged), stamped like every write. Returns files removed and added.
   */
  public long[] compact(String schema, String table) {
    long[] files = new long[2];
    timed("compacted", schema, table, () -> stamped(() -> {
      Row m = warehouse.delta(schema, table).optimize().executeCompaction()
          .selectExpr("metrics.numFilesRemoved", "metrics.numFilesAdded").first();
      files[0] = m.getLong(0);
      files[1] = m.getLong(1);
    }));
    return files;
  }

  /**
   * Deletes the files no table version within {@code retentionHours} needs (Delta VACUUM, with Delta's
   * own retention check left on).
   */
  public void vacuum(String schema, String table, long retentionHours) {
    timed("vacuumed", schema, table, () -> warehouse.delta(schema, table).vacuum(retentionHours));
  }

  /** Updates one column on the rows that match {@code condition}, e.g. re-keying merged customers. */
  public void update(String schema, String table, String condition, Map<String, String> set) {
    stamped(() -> warehouse.delta(schema, table).updateExpr(condition, set));
  }
}
