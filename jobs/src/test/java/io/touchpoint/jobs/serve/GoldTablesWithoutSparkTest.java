package io.touchpoint.jobs.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gold tables are plain Delta: Delta Kernel reads them in a JVM without Spark
 * ({@link KernelRead}) and gets exactly the rows the job wrote, partition values included, and
 * honours deletion vectors (on a copy of a gold table with one model deleted).
 */
class GoldTablesWithoutSparkTest {
  @TempDir static Path tmp;
  static Warehouse warehouse;
  static String withDeletionVectors;
  static List<String> gold;
  static Map<String, List<String>> read;

  @BeforeAll
  static void readWithKernel() throws Exception {
    warehouse = GoldFixture.warehouse();
    SparkSession spark = warehouse.spark();
    withDeletionVectors = tmp.resolve("by_channel_with_dv").toString();
    spark.conf().set("spark.databricks.delta.properties.defaults.enableDeletionVectors", "true");
    try {
      warehouse.read("gold", "attribution_by_channel").write().format("delta").save(withDeletionVectors);
    } finally {
      spark.conf().unset("spark.databricks.delta.properties.defaults.enableDeletionVectors");
    }
    spark.sql("DELETE FROM delta.`" + withDeletionVectors + "` WHERE model = 'first'");
    gold = warehouse.tables().stream().filter(t -> t.startsWith("gold.")).toList();

    List<String> classpath = withoutSpark(ChildJvm.testClasspath());
    assertThat(classpath).as("no Spark or Delta-on-Spark jar").noneMatch(e -> e.contains("/org/apache/spark/") || e.contains("delta-spark"));
    List<String> paths = new ArrayList<>();
    gold.forEach(t -> paths.add(warehouse.path("gold", t.substring(5))));
    paths.add(withDeletionVectors);
    try (ChildJvm kernel = ChildJvm.start(classpath, KernelRead.class.getName(), paths, Map.of(), tmp.resolve("kernel.log"))) {
      assertThat(kernel.waitFor(Duration.ofMinutes(3))).as("Kernel reader exit code; stderr:\n" + kernel.tail()).isZero();
      read = new LinkedHashMap<>();
      List<String> current = null;
      for (String line : kernel.output()) {
        if (line.startsWith("## ")) {
          current = new ArrayList<>();
          read.put(line.substring(3), current);
        } else {
          current.add(line);
        }
      }
    }
  }

  /** The test JVM's classpath without Spark: jars under org/apache/spark and delta-spark removed. */
  static List<String> withoutSpark(List<String> classpath) {
    return classpath.stream().filter(e -> !e.contains("/org/apache/spark/") && !e.contains("delta-spark")).toList();
  }

  @Test
  void kernelReadsEveryGoldTableWithTheRowsTheJobWrote() {
    assertThat(gold).contains("gold.attribution_by_channel", "gold.attribution_paths", "gold.attribution_transitions");
    for (String t : gold) {
      List<String> lines = read.get(warehouse.path("gold", t.substring(5)));
      List<String> rows = lines.stream().filter(l -> l.startsWith("ROW")).toList();
      assertThat(rows).as(t).isNotEmpty()
          .containsExactlyInAnyOrderElementsOf(ServeEndToEndTest.written(warehouse.read("gold", t.substring(5))));
    }
  }

  @Test
  void partitionValuesComeFromTheLogAndLandInTheirColumn() {
    List<String> lines = read.get(warehouse.path("gold", "attribution_by_channel"));
    assertThat(lines.get(0)).isEqualTo("PARTITIONED_BY\trun_date");
    assertThat(lines.stream().filter(l -> l.startsWith("ROW")).map(l -> l.split("\t")[1]).distinct().sorted())
        .as("run_date, the first column").containsExactly("2026-03-30", "2026-03-31");
  }

  @Test
  void deletedRowsStayDeleted() {
    List<String> rows = read.get(withDeletionVectors).stream().filter(l -> l.startsWith("ROW")).toList();
    List<String> spark = ServeEndToEndTest.written(warehouse.spark().read().format("delta").load(withDeletionVectors));
    assertThat(rows).containsExactlyInAnyOrderElementsOf(spark).noneMatch(l -> l.split("\t")[4].equals("first"));
    String added = io.delta.tables.DeltaTable.forPath(warehouse.spark(), withDeletionVectors).history(1)
        .selectExpr("operationMetrics['numDeletionVectorsAdded']").first().getString(0);
    assertThat(Long.parseLong(added)).as("the DELETE wrote deletion vectors instead of rewriting files").isPositive();
    assertThat(spark).hasSize(ServeEndToEndTest.written(warehouse.read("gold", "attribution_by_channel")).size()
        - (int) warehouse.read("gold", "attribution_by_channel").filter("model = 'first'").count());
  }
}
