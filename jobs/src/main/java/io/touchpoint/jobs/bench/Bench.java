package io.touchpoint.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.generate.ExportGenerator;
import io.touchpoint.jobs.generate.GeneratorConfig;
import io.touchpoint.jobs.lineage.RunLog;
import io.touchpoint.jobs.pipeline.Pipeline;
import io.touchpoint.jobs.pipeline.Stage;
import io.touchpoint.jobs.spark.LocalFolders;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline benchmark: generates a data set once (cached by its parameters), and for each
 * history length builds that many days of history in a fresh warehouse, then runs the nightly of
 * the last day stage by stage, reading per stage Spark's task metrics ({@link TaskTotals}), the
 * peak heap and resident set ({@link ResourceSampler}), the rows each stage committed, and its
 * read+write floor ({@link StageFloors}). Comparing the same nightly day after a short and a long
 * history shows which stages cost more as history grows.
 */
public final class Bench {
  private static final Logger LOG = LoggerFactory.getLogger(Bench.class);

  /** A data-set size: persons, days of exports, seed, and the history lengths the last day is run after. */
  public record Scale(String name, int customers, int days, long seed, List<Integer> histories) {
    /** The demo's size. */
    public static final Scale S = new Scale("S", 50_000, 90, 42, List.of(30, 89));
    /** A year of a million customers. */
    public static final Scale M = new Scale("M", 1_000_000, 365, 42, List.of(30, 364));

    public Scale {
      if (customers < 1 || days < 2) {
        throw new IllegalArgumentException("a bench scale needs at least 1 customer and 2 days (a history day and the"
            + " nightly day); got " + customers + " customers, " + days + " days");
      }
      for (int h : histories) {
        if (h < 1 || h > days - 1) {
          throw new IllegalArgumentException("history of " + h + " days: must be between 1 and days - 1 = " + (days - 1));
        }
      }
    }

    public LocalDate start() {
      return LocalDate.of(2026, 1, 1);
    }

    public LocalDate nightlyDay() {
      return start().plusDays(days - 1L);
    }
  }

  /** One stage of a benched nightly. */
  public record StageRun(Stage stage, double wallSeconds, TaskTotals.Totals totals, Map<String, Long> written,
      Map<String, Long> readByTable, long peakHeapBytes, long peakRssBytes, StageFloors.Floor floor) {
    public long rowsWritten() {
      return written.values().stream().mapToLong(Long::longValue).sum();
    }

    public double floorRatio() {
      return floor.seconds() > 0 ? wallSeconds / floor.seconds() : Double.NaN;
    }
  }

  /**
   * One backfill pass of a history: the days it ran and its wall time. {@code resumed}: a stopped run had begun it, so
   * the files that run landed were skipped (by checksum) and the time is less than the whole pass's.
   */
  public record HistoryPass(LocalDate from, LocalDate to, double seconds, boolean resumed) {}

  /**
   * The nightly of the last day after {@code historyDays} days of history, built by {@code history}'s passes;
   * {@code measured} says when and at which commit (a nightly measured by an earlier run is reported again).
   */
  public record Nightly(int historyDays, List<HistoryPass> history, LocalDate day, double wallSeconds, List<StageRun> stages,
      Map<String, Long> exportRowsOfDay, Map<String, Long> tableRows, Map<String, Long> tableFiles, String measured) {
    /** Wall time of the whole history, all passes. */
    public double historySeconds() {
      return history.stream().mapToDouble(HistoryPass::seconds).sum();
    }
  }

  /** A whole bench run. */
  public record Result(Scale scale, Path exports, boolean generated, double generateSeconds, List<Nightly> nightlies) {}

  private final SparkSession spark;
  private final TouchpointConfig config;
  private final Path dataDir;
  private boolean floors = true;
  private int passDays = DEFAULT_PASS_DAYS;

  /** Days of history one backfill pass covers, by default: a month, as a monthly catch-up would run. */
  public static final int DEFAULT_PASS_DAYS = 31;

  /** {@code config}'s settings (HMAC key, master, shuffle partitions) for every warehouse; data under {@code dataDir}. */
  public Bench(SparkSession spark, TouchpointConfig config, Path dataDir) {
    this.spark = spark;
    this.config = config;
    this.dataDir = dataDir;
  }

  /** Skips the read+write floors (each stage's ratio is then not measured): quicker, for growth checks. */
  public Bench withoutFloors() {
    this.floors = false;
    return this;
  }

  /**
   * Builds each history in passes of at most {@code days} days (default {@value #DEFAULT_PASS_DAYS}). After each
   * pass the bench records its progress beside the warehouse, so a stopped run resumes after the last finished pass.
   */
  public Bench withHistoryPassDays(int days) {
    if (days < 1) {
      throw new IllegalArgumentException("a history pass covers at least 1 day; got " + days);
    }
    this.passDays = days;
    return this;
  }

  public Result run(Scale scale, Set<Stage> stages) throws IOException {
    Path exports = dataDir.resolve("exports-c" + scale.customers() + "-d" + scale.days() + "-s" + scale.seed());
    boolean generate = !Files.isRegularFile(exports.resolve("_truth/config.json"));
    double genSeconds = 0;
    if (generate) {
      LocalFolders.delete(exports);
      long t0 = System.nanoTime();
      LOG.info("bench: generating {} customers x {} days into {}", scale.customers(), scale.days(), exports);
      ExportGenerator.generate(GeneratorConfig.of(exports, scale.customers(), scale.days(), scale.start(), scale.seed()).validate());
      genSeconds = (System.nanoTime() - t0) / 1e9;
    } else {
      LOG.info("bench: reusing the exports in {} (delete the folder to regenerate)", exports);
    }
    List<Nightly> nightlies = new ArrayList<>();
    TaskTotals totals = new TaskTotals();
    TableScans scans = new TableScans();
    spark.sparkContext().addSparkListener(totals);
    spark.sparkContext().addSparkListener(scans);
    try (ResourceSampler sampler = new ResourceSampler()) {
      for (int h : scale.histories()) {
        nightlies.add(nightly(scale, exports, generate, h, stages, totals, scans, sampler));
      }
    } finally {
      spark.sparkContext().removeSparkListener(totals);
      spark.sparkContext().removeSparkListener(scans);
    }
    return new Result(scale, exports, generate, genSeconds, nightlies);
  }

  private Nightly nightly(Scale scale, Path exports, boolean newExports, int historyDays, Set<Stage> stages, TaskTotals totals,
      TableScans scans, ResourceSampler sampler) throws IOException {
    Path root = dataDir.resolve("warehouse-c" + scale.customers() + "-d" + scale.days() + "-s" + scale.seed() + "-h" + historyDays);
    Path stateFile = root.resolveSibling(root.getFileName() + ".json");
    TouchpointConfig cfg = config.withExports(exports.toString()).withWarehouse(root.toString());
    LocalDate day = scale.nightlyDay();
    LocalDate from = day.minusDays(historyDays);
    LocalDate to = day.minusDays(1);
    List<String> stageLabels = stages.stream().sorted().map(Stage::label).toList();

    BenchState state = BenchState.read(stateFile);
    if (state != null) {
      String stale = newExports ? "its exports were generated again by this run"
          : !state.matches(exports.toString(), from, to, stageLabels) ? "it was built from other exports, days or stages"
          : !Files.isDirectory(root) ? "the warehouse folder is gone" : null;
      if (stale != null) {
        LOG.warn("bench: rebuilding {} from its first day: {} ({})", root, stale, stateFile);
        state = null;
      }
    }
    if (state != null && state.nightly() != null && (state.nightly().stages().stream().allMatch(r -> !Double.isNaN(r.floor().seconds()))
        || !this.floors)) {
      LOG.info("bench: reporting the nightly of {} after {} day(s) of history measured {} (delete {} to measure again)", day,
          historyDays, state.nightly().measured(), stateFile);
      return state.nightly();
    }
    if (state != null && state.nightly() != null) {
      throw new IllegalStateException("bench: the nightly of " + day + " after " + historyDays + " day(s) of history was measured"
          + " without floors (--no-floors) " + state.nightly().measured() + ", and its warehouse now holds that day too. Run with"
          + " --no-floors to report it, or delete " + root + " and " + stateFile + " to rebuild the history and measure it with"
          + " its floors.");
    }
    String runId = "bench-nightly-" + historyDays;
    if (state != null && state.nightlyStarted()) {
      // The warehouse holds part of the nightly day on top of its history: take it back to the history's end.
      LOG.warn("bench: the nightly of {} was started on {} by an earlier run and did not finish; undoing its commits", day,
          root);
      List<NightlyRollback.Undone> undone = NightlyRollback.rollBack(new Warehouse(spark, root.toString()), runId);
      LOG.warn("bench: {} table(s) taken back to the end of the history; measuring the nightly again", undone.size());
      state = new BenchState(state.exports(), state.historyFrom(), state.historyTo(), state.stages(), state.passes(), false,
          null);
      state.write(stateFile);
    }
    if (state == null) {
      LocalFolders.delete(root);
      state = BenchState.fresh(exports.toString(), from, to, stageLabels);
      state.write(stateFile);
    } else {
      LOG.info("bench: resuming the history of {} at {} ({} pass(es) already done, {} s)", root, state.nextHistoryDay(),
          state.passes().size(), String.format(Locale.ROOT, "%.1f", state.passes().stream().mapToDouble(HistoryPass::seconds).sum()));
    }
    Warehouse warehouse = Warehouse.open(spark, root.toString());

    LOG.info("bench: building {} day(s) of history before {} in {}, {} day(s) per pass", historyDays, day, root, passDays);
    for (LocalDate next = state.nextHistoryDay(); !next.isAfter(to); next = state.nextHistoryDay()) {
      LocalDate last = next.plusDays(passDays - 1L).isAfter(to) ? to : next.plusDays(passDays - 1L);
      boolean resumed = landedBetween(warehouse, next, last);
      if (resumed) {
        LOG.warn("bench: a stopped run had begun the pass {}..{}: its files are skipped, so the pass's time is marked"
            + " as resumed", next, last);
      }
      long h0 = System.nanoTime();
      new Pipeline(warehouse, cfg).run(Pipeline.range(next, last), stages, "bench-history-" + historyDays + "-" + next);
      HistoryPass pass = new HistoryPass(next, last, (System.nanoTime() - h0) / 1e9, resumed);
      state = state.withPass(pass);
      state.write(stateFile);
      LOG.info("bench: history {}..{} done in {} s", next, last, String.format(Locale.ROOT, "%.1f", pass.seconds()));
    }
    state = state.withNightlyStarted();
    state.write(stateFile);

    record Measured(double wallSeconds, TaskTotals.Totals totals, Map<String, Long> readByTable, long peakHeap, long peakRss) {}
    Map<Stage, Measured> measured = new LinkedHashMap<>();
    Pipeline.StageObserver observer = new Pipeline.StageObserver() {
      @Override
      public void started(Stage stage) {
        TaskTotals.drain(spark.sparkContext());
        totals.reset();
        scans.reset();
        sampler.reset();
      }

      @Override
      public void finished(Stage stage, Duration wall) {
        TaskTotals.drain(spark.sparkContext());
        measured.put(stage, new Measured(wall.toNanos() / 1e9, totals.read(), scans.read(), sampler.peakHeap(), sampler.peakRss()));
      }
    };
    LOG.info("bench: nightly of {} after {} day(s) of history", day, historyDays);
    long n0 = System.nanoTime();
    new Pipeline(warehouse, cfg).observedBy(observer).run(List.of(day), stages, runId);
    double nightlySeconds = (System.nanoTime() - n0) / 1e9;

    Map<Stage, Map<String, Long>> written = writtenByStage(warehouse, runId);
    StageFloors floors = new StageFloors(warehouse, exports, dataDir.resolve("floor-scratch"));
    List<StageRun> runs = new ArrayList<>();
    measured.forEach((s, m) -> {
      Map<String, Long> w = written.getOrDefault(s, Map.of());
      StageFloors.Floor floor = StageFloors.Floor.NONE;
      if (this.floors) {
        LOG.info("bench: floor of stage {}", s.label());
        floor = floors.measure(s, day, w);
      }
      runs.add(new StageRun(s, m.wallSeconds(), m.totals(), w, m.readByTable(), m.peakHeap(), m.peakRss(), floor));
    });
    LocalFolders.delete(dataDir.resolve("floor-scratch"));
    Nightly n = new Nightly(historyDays, state.passes(), day, nightlySeconds, runs, exportRowsOf(warehouse, day),
        tableRows(warehouse), tableFiles(warehouse), BenchReport.utc(Instant.now()) + " at commit " + BenchReport.commit());
    state.withNightly(n).write(stateFile);
    return n;
  }

  /** Rows each stage committed in run {@code runId}, per table, from its commits' {@code numOutputRows}. */
  static Map<Stage, Map<String, Long>> writtenByStage(Warehouse warehouse, String runId) {
    Map<Stage, Map<String, Long>> out = new LinkedHashMap<>();
    if (!warehouse.exists("ops", RunLog.VERSIONS)) {
      return out;
    }
    for (Row r : warehouse.read("ops", RunLog.VERSIONS).where(col("run_id").equalTo(lit(runId)))
        .select("table_name", "version", "job").collectAsList()) {
      Stage stage = r.isNullAt(2) ? null : Stage.ofLabel(r.getString(2)).orElse(null);
      if (stage == null) {
        continue; // the lineage log's own commits
      }
      out.computeIfAbsent(stage, k -> new TreeMap<>()).merge(r.getString(0), rowsWritten(warehouse, r.getString(0), r.getLong(1)),
          Long::sum);
    }
    return out;
  }

  /** Rows a commit wrote (Delta's {@code numOutputRows}; 0 for commits that write no data files). */
  static long rowsWritten(Warehouse warehouse, String table, long version) {
    String[] p = table.split("\\.", 2);
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(warehouse.path(p[0], p[1]),
        String.format("_delta_log/%020d.json", version));
    try {
      JsonNode info = RunLog.commitInfo(file.getFileSystem(warehouse.spark().sparkContext().hadoopConfiguration()), file,
          new ObjectMapper());
      return info == null ? 0 : info.path("operationMetrics").path("numOutputRows").asLong(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether any export file of {@code from..to} has landed already (a stopped run began those days). */
  private static boolean landedBetween(Warehouse warehouse, LocalDate from, LocalDate to) {
    return warehouse.exists("ops", "ingestion_log") && !warehouse.read("ops", "ingestion_log")
        .where(col("export_date").between(lit(java.sql.Date.valueOf(from)), lit(java.sql.Date.valueOf(to)))).isEmpty();
  }

  private static Map<String, Long> exportRowsOf(Warehouse warehouse, LocalDate day) {
    Map<String, Long> out = new TreeMap<>();
    if (warehouse.exists("ops", "ingestion_log")) {
      for (Row r : warehouse.read("ops", "ingestion_log").where(col("export_date").equalTo(lit(java.sql.Date.valueOf(day))))
          .groupBy("table_name").agg(org.apache.spark.sql.functions.sum("rows_read")).collectAsList()) {
        out.put(r.getString(0), r.getLong(1));
      }
    }
    return out;
  }

  /** Live data files of each table's latest snapshot (from the Delta log). */
  private static Map<String, Long> tableFiles(Warehouse warehouse) {
    Map<String, Long> out = new TreeMap<>();
    for (String t : warehouse.tables()) {
      String[] p = t.split("\\.", 2);
      out.put(t, warehouse.liveFiles(p[0], p[1]));
    }
    return out;
  }

  private static Map<String, Long> tableRows(Warehouse warehouse) {
    Map<String, Long> out = new TreeMap<>();
    for (String t : warehouse.tables()) {
      String[] p = t.split("\\.", 2);
      out.put(t, warehouse.read(p[0], p[1]).count());
    }
    return out;
  }
}
