package io.touchpoint.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.generate.ExportGenerator;
import io.touchpoint.jobs.generate.GeneratorConfig;
import io.touchpoint.jobs.pipeline.Pipeline;
import io.touchpoint.jobs.pipeline.Stage;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import io.touchpoint.pii.Pii;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster jar on a real Spark standalone cluster (a master and two workers, each its own JVM,
 * on loopback), submitted with {@code spark-submit --master spark://127.0.0.1:PORT ... nightly}
 * exactly as README "Cluster" shows, gives the same tables as a local run of the same nightly.
 *
 * <p>Data: 8,000 generated customers over 3 days. Days 1-2 are the history, built once locally
 * and copied to both warehouses, so the nightly run of day 3 continues from existing state
 * (identity merges, order MERGE, CLV fitted on three days of orders). Then day 3 runs locally
 * (this JVM's local Spark) in warehouse "local", and on the cluster in warehouse "cluster".
 */
class StandaloneClusterIT {
  static final LocalDate START = LocalDate.of(2026, 3, 1);
  static final LocalDate RUN_DATE = START.plusDays(2);
  static final List<String> RUN_COLUMNS = List.of("_ingested_at", "_run_id", "merged_by_run_id");

  @TempDir static Path tmp;
  static StandaloneCluster cluster;
  static StandaloneCluster.Submitted submitted;
  static Warehouse local;
  static Warehouse onCluster;
  static Duration clusterWallTime;

  @BeforeAll
  static void runNightlyLocallyAndOnTheCluster() throws Exception {
    Path target = Path.of(System.getProperty("touchpoint.target", "target"));
    Path jar = target.resolve("touchpoint-jobs-cluster.jar");
    assertThat(jar).as("the cluster jar (mvn package)").exists();
    Path exports = tmp.resolve("exports");
    ExportGenerator.generate(GeneratorConfig.of(exports, 8000, 3, START, 5).validate());

    Path history = tmp.resolve("history");
    TouchpointConfig historyConfig = SparkTestSupport.config(history, exports);
    new Pipeline(new Warehouse(SparkTestSupport.spark(), history.toString()), historyConfig)
        .run(Pipeline.range(START, RUN_DATE.minusDays(1)), EnumSet.allOf(Stage.class), "history");
    io.touchpoint.jobs.support.TreeCopy.copy(history, tmp.resolve("local"));
    io.touchpoint.jobs.support.TreeCopy.copy(history, tmp.resolve("cluster"));

    local = new Warehouse(SparkTestSupport.spark(), tmp.resolve("local").toString());
    new Pipeline(local, SparkTestSupport.config(tmp.resolve("local"), exports))
        .run(List.of(RUN_DATE), EnumSet.allOf(Stage.class), "local-nightly");

    Instant t0 = Instant.now();
    cluster = StandaloneCluster.start(tmp.resolve("spark"), classpath(target.resolve("spark-classpath.txt")), 2, 1, "768m");
    List<String> args = new ArrayList<>(List.of(
        "--master", cluster.masterUrl(), "--deploy-mode", "client",
        "--class", "io.touchpoint.cli.Touchpoint",
        "--jars", String.join(",", classpath(target.resolve("delta-classpath.txt")).stream().map(Path::toString).toList()),
        "--executor-memory", "512m", "--executor-cores", "1", "--total-executor-cores", "2",
        "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.ui.enabled=false",
        // Tiny tables: as few tasks as the local run (2 shuffle partitions, 2 snapshot partitions).
        "--conf", "spark.sql.shuffle.partitions=2",
        "--conf", "spark.default.parallelism=2",
        "--conf", "spark.databricks.delta.snapshotPartitions=2",
        jar.toString(),
        "nightly", "--demo", "--run-date", RUN_DATE.toString(),
        "--exports", exports.toString(), "--warehouse", tmp.resolve("cluster").toString()));
    submitted = cluster.submit(args, Map.of("TOUCHPOINT_HMAC_KEY", Pii.DEMO_KEY), Duration.ofMinutes(25));
    clusterWallTime = Duration.between(t0, Instant.now());
    System.out.printf("StandaloneClusterIT: cluster start + spark-submit nightly took %.1f s (submit alone %.1f s)%n",
        clusterWallTime.toMillis() / 1000.0, submitted.took().toMillis() / 1000.0);

    onCluster = new Warehouse(SparkTestSupport.spark(), tmp.resolve("cluster").toString());
  }

  @AfterAll
  static void stopTheCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theSubmittedNightlySucceedsAndPrintsItsSummary() {
    assertThat(submitted.exitCode()).as("spark-submit exit code; driver log:\n" + submitted.tail()).isZero();
    assertThat(read(submitted.log())).contains("Touchpoint run nightly-", "stage times:", "identification rate:");
  }

  @Test
  void bothExecutorsRanTasks() throws IOException {
    for (String worker : List.of("work1", "work2")) {
      List<Path> executorLogs;
      try (Stream<Path> files = Files.walk(tmp.resolve("spark").resolve(worker))) {
        executorLogs = files.filter(f -> f.getFileName().toString().equals("stderr")).toList();
      }
      assertThat(executorLogs).as("executor launched by " + worker).hasSize(1);
      assertThat(read(executorLogs.get(0))).as("tasks run by the executor of " + worker).contains("Finished task");
    }
  }

  @Test
  void everyTableEqualsTheLocalRun() {
    assertThat(submitted.exitCode()).as("spark-submit exit code; driver log:\n" + submitted.tail()).isZero();
    List<String> tables = local.tables().stream().filter(t -> !t.startsWith("ops.")).toList();
    assertThat(tables).as("gold tables of the local run, CLV included")
        .contains("gold.attribution_by_channel", "gold.attribution_paths", "gold.attribution_transitions",
            "gold.clv_model", "gold.ltv_by_acquisition_channel", "restricted.customer_value");
    assertThat(onCluster.tables()).containsExactlyElementsOf(local.tables());
    List<String> differences = new ArrayList<>();
    for (String t : tables) {
      String[] p = t.split("\\.");
      List<String> expected = content(local.read(p[0], p[1]));
      List<String> actual = content(onCluster.read(p[0], p[1]));
      if (!expected.equals(actual)) {
        differences.add(difference(t, expected, actual));
      }
    }
    assertThat(differences).as("tables whose content differs between the local and the cluster run").isEmpty();
    assertThat(onCluster.read("gold", "attribution_by_channel").where("run_date = DATE'" + RUN_DATE + "'").count())
        .as("attribution rows of the run date").isPositive();
    assertThat(onCluster.read("gold", "clv_model").where("run_date = DATE'" + RUN_DATE + "'").count())
        .as("CLV model rows of the run date").isPositive();
  }

  @Test
  void stoppingTheClusterLeavesNoProcess() {
    cluster.close();
    assertThat(cluster.alive()).as("processes of the cluster still alive").isZero();
  }

  /**
   * A table's rows as sorted strings without the run-specific columns; doubles to 12 significant
   * digits, because sums over differently partitioned data may differ in the last bit.
   */
  static List<String> content(Dataset<Row> df) {
    List<String> cols = new ArrayList<>(Arrays.asList(df.columns()));
    cols.removeAll(RUN_COLUMNS);
    List<String> out = new ArrayList<>();
    for (Row r : df.selectExpr(cols.stream().map(c -> "`" + c + "`").toArray(String[]::new)).collectAsList()) {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        Object v = r.get(i);
        s.append(v instanceof Double d ? String.format(java.util.Locale.ROOT, "%.12g", d) : String.valueOf(v)).append('|');
      }
      out.add(s.toString());
    }
    out.sort(String::compareTo);
    return out;
  }

  /** Only the rows that are in one run and not the other, so a failure names table and column. */
  static String difference(String table, List<String> local, List<String> cluster) {
    List<String> onlyLocal = new ArrayList<>(local);
    onlyLocal.removeAll(cluster);
    List<String> onlyCluster = new ArrayList<>(cluster);
    onlyCluster.removeAll(local);
    return table + ": " + local.size() + " rows locally, " + cluster.size() + " on the cluster; "
        + onlyLocal.size() + " only local, e.g. " + onlyLocal.stream().limit(3).toList()
        + "; " + onlyCluster.size() + " only on the cluster, e.g. " + onlyCluster.stream().limit(3).toList();
  }

  private static List<Path> classpath(Path file) throws IOException {
    return Arrays.stream(Files.readString(file, StandardCharsets.UTF_8).trim().split(java.io.File.pathSeparator))
        .filter(s -> !s.isBlank()).map(Path::of).toList();
  }

  private static String read(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
