package io.touchpoint.jobs.spark;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Delta warehouse: {@code <root>/<schema>/<table>} folders. On the embedded default the
 * layout is the catalog: {@link #register} names every table in the session as
 * {@code <schema>.<table>} so that SQL can say {@code SELECT * FROM silver.orders}.
 * Every write goes through {@link TableWriter}, which scopes it and stamps the run id.
 */
public final class Warehouse {
  private final SparkSession spark;
  private final String root;

  public Warehouse(SparkSession spark, String root) {
    this.spark = spark;
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
  }

  public SparkSession spark() {
    return spark;
  }

  public String root() {
    return root;
  }

  public String path(String schema, String table) {
    return root + "/" + schema + "/" + table;
  }

  /** True when the table's folder holds a Delta log (a file-system check; no snapshot is loaded). */
  public boolean exists(String schema, String table) {
    try {
      Path log = new Path(path(schema, table), "_delta_log");
      return log.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Dataset<Row> read(String schema, String table) {
    return spark.read().format("delta").load(path(schema, table));
  }

  /** Reads a table, or an empty frame with the given schema when it does not exist yet. */
  public Dataset<Row> readOrEmpty(String schema, String table, org.apache.spark.sql.types.StructType ifMissing) {
    return exists(schema, table) ? read(schema, table) : spark.createDataFrame(List.of(), ifMissing);
  }

  public DeltaTable delta(String schema, String table) {
    return DeltaTable.forPath(spark, path(schema, table));
  }

  /** All {@code schema.table} names present in the warehouse. */
  public List<String> tables() {
    List<String> out = new ArrayList<>();
    try {
      Path rootPath = new Path(root);
      FileSystem fs = rootPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(rootPath)) {
        return out;
      }
      for (FileStatus schema : fs.listStatus(rootPath)) {
        if (!schema.isDirectory() || schema.getPath().getName().startsWith("_")) {
          continue;
        }
        for (FileStatus table : fs.listStatus(schema.getPath())) {
          if (table.isDirectory() && fs.exists(new Path(table.getPath(), "_delta_log"))) {
            out.add(schema.getPath().getName() + "." + table.getPath().getName());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(String::compareTo);
    return out;
  }

  /** Names every warehouse table in this session's catalog (idempotent). */
  public void register() {
    for (String name : tables()) {
      String[] p = name.split("\\.");
      spark.sql("CREATE DATABASE IF NOT EXISTS `" + p[0] + "`");
      spark.sql("CREATE TABLE IF NOT EXISTS `" + p[0] + "`.`" + p[1] + "` USING delta LOCATION '"
          + path(p[0], p[1]).replace("'", "\\'") + "'");
    }
  }
}
