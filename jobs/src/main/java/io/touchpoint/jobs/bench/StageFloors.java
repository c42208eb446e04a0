package io.touchpoint.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.touchpoint.ingest.BronzeTable;
import io.touchpoint.jobs.attribution.AttributionJob;
import io.touchpoint.jobs.marts.SqlModel;
import io.touchpoint.jobs.marts.SqlModels;
import io.touchpoint.jobs.pipeline.Stage;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The floor of a stage: the time Spark needs just to read what the stage must read for one nightly
 * day and to write, as Delta, as many rows as the stage wrote — no logic. A stage's ratio to its
 * floor says how much of its time is its own work.
 *
 * <p>What a stage must read is declared here, as the least an incremental stage needs:
 * <ul>
 *   <li>ingest: the day's export files (text files read as lines, Parquet as rows);</li>
 *   <li>identity and silver: the day's bronze rows and the identity map;</li>
 *   <li>attribution: the touches of the window plus the lookback and the orders of the window;</li>
 *   <li>clv: every order (the models are fitted on each customer's whole history; kept up to date by
 *       MERGE the floor would be the day's orders and the customer statistics);</li>
 *   <li>marts: every table its SQL models read that another stage writes;</li>
 *   <li>alerts: {@code gold.kpi}.</li>
 * </ul>
 * What a stage wrote comes from its Delta commits in the run (their {@code numOutputRows}).
 */
public final class StageFloors {
  /** A stage's floor: seconds to read its inputs and to write its output rows, and the row counts. */
  public record Floor(double readSeconds, long rowsRead, double writeSeconds, long rowsWritten) {
    /** Not measured ({@code bench --no-floors}). */
    public static final Floor NONE = new Floor(Double.NaN, 0, Double.NaN, 0);

    public double seconds() {
      return readSeconds + writeSeconds;
    }
  }

  /** Output rows up to which the floor writes exactly that many rows (a limit, one task) rather than a sample. */
  static final long LIMIT_ROWS = 100_000;

  private final Warehouse warehouse;
  private final Path exports;
  private final Path scratch;

  public StageFloors(Warehouse warehouse, Path exports, Path scratch) {
    this.warehouse = warehouse;
    this.exports = exports;
    this.scratch = scratch;
  }

  /** The floor of {@code stage} for the nightly of {@code day}, whose run wrote {@code written} (table → rows). */
  public Floor measure(Stage stage, LocalDate day, Map<String, Long> written) {
    SparkSession spark = warehouse.spark();
    spark.sparkContext().setJobGroup("floor", "floor of " + stage.label(), false);
    long rowsRead = 0;
    double read = 0;
    for (Dataset<Row> input : inputs(stage, day)) {
      // Every row and column decoded, then dropped (Spark's noop sink). Not count(): it decodes no column
      // and Parquet answers it from the file footers, which made the floors' reads near zero.
      long t0 = System.nanoTime();
      input.write().format("noop").mode(SaveMode.Overwrite).save();
      read += (System.nanoTime() - t0) / 1e9;
      rowsRead += input.count();
    }
    double write = 0;
    long rowsWritten = 0;
    for (Map.Entry<String, Long> e : written.entrySet()) {
      String[] p = e.getKey().split("\\.", 2);
      if (e.getValue() <= 0 || !warehouse.exists(p[0], p[1])) {
        continue;
      }
      // The rows to write are the table's own, materialised first so that only the write is timed. Not
      // limit(n): Spark computes a limit in one partition, so the floor wrote with one task (at 10^6
      // customers 27.8 M rows through one partition) and came out slower than the stage's own writes.
      // A sample keeps the table's partitions; the write time is scaled to the stage's row count (a
      // MERGE's count of rewritten rows may exceed the table's rows). Up to LIMIT_ROWS a limit is exact
      // and one task is enough (a sample of a few rows may come out empty).
      Dataset<Row> table = warehouse.read(p[0], p[1]);
      long total = table.count();
      long wanted = e.getValue();
      if (total == 0) {
        continue;
      }
      Dataset<Row> rows = (wanted >= total ? table
          : wanted <= LIMIT_ROWS ? table.limit((int) wanted) : table.sample(false, (double) wanted / total, 42)).localCheckpoint();
      long n = rows.count();
      long w0 = System.nanoTime();
      rows.write().format("delta").mode(SaveMode.Overwrite).save(scratch.resolve(p[0] + "__" + p[1]).toString());
      double seconds = (System.nanoTime() - w0) / 1e9;
      write += n > 0 ? seconds * wanted / n : seconds;
      rowsWritten += wanted;
    }
    spark.sparkContext().clearJobGroup();
    if (rowsRead == 0 && rowsWritten == 0) {
      return Floor.NONE; // a stage that must read and write no rows (maintain) has no floor to compare with
    }
    return new Floor(read, rowsRead, write, rowsWritten);
  }

  /** What {@code stage} must read for the nightly of {@code day} (see the class comment). */
  List<Dataset<Row>> inputs(Stage stage, LocalDate day) {
    String dayLit = "DATE'" + day + "'";
    List<Dataset<Row>> out = new ArrayList<>();
    switch (stage) {
      case INGEST -> out.addAll(exportFiles(day));
      case IDENTITY, SILVER -> {
        for (BronzeTable t : BronzeTable.values()) {
          if (warehouse.exists("bronze", t.tableName())) {
            out.add(warehouse.read("bronze", t.tableName()).where("_export_date = " + dayLit));
          }
        }
        out.add(warehouse.read("silver", "identity_map"));
      }
      case ATTRIBUTION -> {
        int window = AttributionJob.Options.DEFAULT_WINDOW_DAYS;
        int lookback = AttributionJob.Options.DEFAULT_LOOKBACK_DAYS;
        out.add(warehouse.read("silver", "touchpoints")
            .where(col("_export_date").gt(lit(java.sql.Date.valueOf(day.minusDays(window + lookback))))));
        out.add(warehouse.read("silver", "orders").where(col("order_date").gt(lit(java.sql.Date.valueOf(day.minusDays(window))))));
      }
      case CLV -> out.add(warehouse.read("silver", "orders"));
      case MARTS -> martsSources().forEach(name -> {
        String[] p = name.split("\\.", 2);
        if (warehouse.exists(p[0], p[1])) {
          out.add(warehouse.read(p[0], p[1]));
        }
      });
      case ALERTS -> out.add(warehouse.read("gold", "kpi"));
    }
    return out;
  }

  /** The tables the SQL models read that no model writes: what other stages hand to the marts. */
  static Set<String> martsSources() {
    List<SqlModel> models = SqlModels.load();
    Set<String> made = models.stream().map(SqlModel::name).collect(Collectors.toSet()); // gold.kpi, or a view's bare name
    Set<String> out = new TreeSet<>();
    for (SqlModel m : models) {
      for (String ref : m.references()) {
        if (ref.contains(".") && !made.contains(ref)) {
          out.add(ref);
        }
      }
    }
    return out;
  }

  private List<Dataset<Row>> exportFiles(LocalDate day) {
    SparkSession spark = warehouse.spark();
    Map<Boolean, List<String>> files = new LinkedHashMap<>();
    try (Stream<Path> sources = Files.list(exports)) {
      for (Path source : sources.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("_")).toList()) {
        Path dir = source.resolve(day.toString());
        if (!Files.isDirectory(dir)) {
          continue;
        }
        try (Stream<Path> fs = Files.list(dir)) {
          fs.filter(Files::isRegularFile).forEach(f -> files.computeIfAbsent(f.toString().endsWith(".parquet"), k -> new ArrayList<>())
              .add(f.toString()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Dataset<Row>> out = new ArrayList<>();
    if (files.containsKey(true)) {
      out.add(spark.read().parquet(files.get(true).toArray(String[]::new)));
    }
    if (files.containsKey(false)) {
      out.add(spark.read().text(files.get(false).toArray(String[]::new)));
    }
    return out;
  }
}
