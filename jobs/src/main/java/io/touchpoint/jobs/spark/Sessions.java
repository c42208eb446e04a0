package io.touchpoint.jobs.spark;

import io.touchpoint.jobs.config.TouchpointConfig;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession for a job. Under spark-submit the master and cluster settings come
 * from spark-submit; locally Touchpoint sets {@code local[*]}, a loopback driver and no UI.
 */
public final class Sessions {
  private Sessions() {}

  public static SparkSession create(TouchpointConfig config, String appName) {
    return create(config, appName, Map.of());
  }

  /** With extra Spark settings, applied last ({@code touchpoint serve} adds its Connect and access settings). */
  public static SparkSession create(TouchpointConfig config, String appName, Map<String, String> extra) {
    boolean submitted = System.getProperty("spark.master") != null;
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    if (!submitted) {
      b.master(config.sparkMaster())
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", String.valueOf(config.shufflePartitions()))
          .config("spark.default.parallelism", String.valueOf(Math.max(2, config.shufflePartitions())))
          .config("spark.databricks.delta.snapshotPartitions", "2")
          // VACUUM lists and deletes files in this many tasks (default 10,000): on a local master
          // that alone took ~40 s per table of a few files; the cores are enough tasks here.
          .config("spark.sql.sources.parallelPartitionDiscovery.parallelism",
              String.valueOf(Math.max(2, config.shufflePartitions())))
          .config("spark.hadoop.fs.file.impl", NioLocalFileSystem.class.getName())
          .config("spark.hadoop.fs.file.impl.disable.cache", "true")
          .config("spark.hadoop.fs.AbstractFileSystem.file.impl", NioLocalFileSystem.Fs.class.getName())
          .config("spark.sql.warehouse.dir", config.warehouse() + "/_spark_catalog");
    }
    b
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.datetime.java8API.enabled", "true")
        // Delta answers min/max/count from the log (OptimizeMetadataOnlyDeltaQuery) but casts a date to
        // java.sql.Date, which fails under the java8API above: SELECT max(run_date) FROM gold.x threw a
        // ClassCastException (found by NotebookSqlTest). A scan of these small tables costs little.
        .config("spark.databricks.delta.optimizeMetadataQuery.enabled", "false")
        .config("spark.databricks.delta.schema.autoMerge.enabled", "false")
        // Every replaceWhere writes data selected by the same predicate; the extra scan proves nothing.
        .config("spark.databricks.delta.replaceWhere.constraintCheck.enabled", "false");
    extra.forEach(b::config);
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
