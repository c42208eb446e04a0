package io.touchpoint.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.attribution.AttributionJourneys;
import io.touchpoint.cli.Touchpoint;
import io.touchpoint.jobs.attribution.AttributionJob;
import io.touchpoint.jobs.generate.ExportGenerator;
import io.touchpoint.jobs.identity.IdentityJob;
import io.touchpoint.jobs.generate.GeneratorConfig;
import io.touchpoint.jobs.pipeline.Stage;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The bench harness, and the incremental property of issue 9 checked structurally rather than by
 * timing: 500 persons x 14 days (refunds within 3 days of their order), the nightly of day 14 after 5 and after 13 days of history, stages
 * ingest, identity and silver (about two minutes). Every stage is measured against its floor, the
 * commit metrics reconcile with the ingestion log, and the rows each stage reads from each table
 * (file scans after partition pruning, {@link TableScans}) show which reads follow the day and which
 * follow the history.
 */
class BenchTest {
  @TempDir static Path tmp;
  static Bench.Result result;
  static String markdown;
  static final List<Integer> HISTORIES = List.of(5, 13);
  static final java.util.Set<Stage> STAGES = EnumSet.of(Stage.INGEST, Stage.IDENTITY, Stage.SILVER);

  @BeforeAll
  static void bench() throws Exception {
    Bench.Scale scale = new Bench.Scale("tiny", 500, 14, 7, HISTORIES);
    // Generated here rather than by the bench (which reuses exports it finds): refunds within 3 days, so
    // that both histories are longer than the refund window.
    Path exports = tmp.resolve("bench").resolve("exports-c500-d14-s7");
    GeneratorConfig g = GeneratorConfig.of(exports, 500, 14, scale.start(), 7);
    ExportGenerator.generate(g.withBehaviour(g.behaviour().withRefundMaxDays(3)).validate());
    result = new Bench(SparkTestSupport.spark(), SparkTestSupport.config(tmp, tmp), tmp.resolve("bench")).withHistoryPassDays(7)
        .run(scale, STAGES);
    markdown = BenchReport.markdown(result, "touchpoint bench --customers 500 --days 14 --history-days 5,13"
        + " --stages ingest,identity,silver", SparkTestSupport.spark(), Instant.now());
  }

  private static Bench.StageRun stage(int nightly, Stage s) {
    return result.nightlies().get(nightly).stages().stream().filter(r -> r.stage() == s).findFirst().orElseThrow();
  }

  private static long read(int nightly, Stage s, String table) {
    return stage(nightly, s).readByTable().getOrDefault(table, 0L);
  }

  private static Warehouse warehouse(int historyDays) {
    return new Warehouse(SparkTestSupport.spark(), tmp.resolve("bench").resolve("warehouse-c500-d14-s7-h" + historyDays).toString());
  }

  @Test
  void theDaysBronzeIsAllIngestIdentityAndSilverReadOfTheTouchLogWhateverTheHistory() {
    LocalDate day = result.scale().nightlyDay();
    long touchesOfDay = warehouse(13).read("bronze", "touchpoints__events").where(col("_export_date").equalTo(lit(Date.valueOf(day))))
        .count();
    assertThat(touchesOfDay).isPositive();
    for (int n = 0; n < 2; n++) {
      for (Stage s : List.of(Stage.IDENTITY, Stage.SILVER)) {
        assertThat(read(n, s, "bronze.touchpoints__events")).as("%s, history %d d: bronze touch rows read", s, HISTORIES.get(n))
            .isEqualTo(touchesOfDay);
      }
    }
    for (String t : List.of("bronze.pos__tickets", "bronze.webshop__orders", "bronze.marketplace__orders", "bronze.crm__bindings")) {
      assertThat(read(1, Stage.IDENTITY, t)).as("identity reads the day's %s only", t).isEqualTo(read(0, Stage.IDENTITY, t));
    }
  }

  @Test
  void identityMergesCustomersWithoutReadingTheTouchLog() {
    // The day's links merge known customers after either history; the touch log is not re-keyed (its
    // readers map absorbed ids through silver.customer_aliases), so identity reads none of it.
    for (int n = 0; n < 2; n++) {
      assertThat(stage(n, Stage.IDENTITY).written()).as("history %d d: the nightly merged customers", HISTORIES.get(n))
          .hasEntrySatisfying("silver.customer_aliases", rows -> assertThat(rows).isPositive());
      assertThat(read(n, Stage.IDENTITY, "silver.touchpoints")).as("history %d d: touch rows identity read", HISTORIES.get(n))
          .isZero();
    }
    // So the log holds touches of absorbed customers, and its readers' view maps every one of them.
    Warehouse w = warehouse(13);
    Dataset<Row> absorbed = w.read("silver", "customer_aliases").select(col("absorbed_customer_id").as("customer_id"));
    assertThat(w.read("silver", "touchpoints").join(absorbed, "customer_id").count()).as("touches under absorbed ids").isPositive();
    assertThat(IdentityJob.touches(w).join(absorbed, "customer_id").count()).as("absorbed ids left after mapping").isZero();
    assertThat(IdentityJob.touches(w).count()).as("every touch kept").isEqualTo(w.read("silver", "touchpoints").count());
  }

  @Test
  void silverReadsTheOrderDeliveriesSinceTheOldestRefundedOrderNotTheWholeHistory() {
    // Refunds come at most 3 days after their order in this world: a refund in the day's exports sends
    // silver back to its order's date and no further, so silver reads the same few days of the bronze
    // order tables after 13 days of history as after 5, and far fewer rows than they hold.
    List<String> tables = List.of("bronze.pos__tickets", "bronze.webshop__orders", "bronze.marketplace__orders");
    long shortH = tables.stream().mapToLong(t -> read(0, Stage.SILVER, t)).sum();
    long longH = tables.stream().mapToLong(t -> read(1, Stage.SILVER, t)).sum();
    long all = tables.stream().mapToLong(t -> warehouse(13).read(t.split("\\.")[0], t.split("\\.")[1]).count()).sum();
    assertThat(shortH).as("bronze order rows read after 5 days").isPositive();
    assertThat(longH).as("bronze order rows read after 13 days vs the %d rows the tables hold", all).isLessThan(all);
    assertThat((double) longH / shortH).as("bronze order rows read after 13 days / after 5 (%d / %d)", longH, shortH)
        .isLessThanOrEqualTo(BenchReport.GROWTH_TARGET);
  }

  @Test
  void attributionReadsTheTouchPartitionsOfItsWindowAndLookbackOnly() {
    Warehouse w = warehouse(13);
    LocalDate day = result.scale().nightlyDay();
    AttributionJourneys.Period period = new AttributionJourneys.Period(day, 3, 2);
    AttributionJob.Options d = AttributionJob.Options.defaults(day);
    AttributionJob.Options o = new AttributionJob.Options(period, 1, d.models(), 0, 1L, 0.95, d.halfLifeDays(), 2, d.storeShare());
    TableScans scans = new TableScans();
    SparkTestSupport.spark().sparkContext().addSparkListener(scans);
    try {
      new AttributionJob(w, "structural").run(o);
      TaskTotals.drain(SparkTestSupport.spark().sparkContext());
    } finally {
      SparkTestSupport.spark().sparkContext().removeSparkListener(scans);
    }
    LocalDate from = period.readFrom(); // window start less the lookback and a day; the experience split needs less
    Map<String, Long> reads = scans.read();
    long needed = w.read("silver", "touchpoints").where(col("_export_date").geq(lit(Date.valueOf(from)))).count();
    long all = w.read("silver", "touchpoints").count();
    assertThat(needed).isLessThan(all);
    // The job scans the touches more than once (journeys, the experience split, the daily credits): every
    // scan reads exactly the window's partitions, so the rows read are a whole number of windows, and not
    // a whole number of tables (6 of the 14 days are needed here).
    assertThat(all % needed).as("the window is not a divisor of the table").isNotZero();
    assertThat(reads.get("silver.touchpoints")).as("silver.touchpoints rows read; window %d rows, table %d", needed, all)
        .isPositive()
        .matches(r -> r % needed == 0, "a whole number of passes over the window's partitions")
        .matches(r -> r % all != 0, "not a whole number of passes over the table");
  }

  @Test
  void everyStageOfEveryNightlyIsMeasuredAgainstItsFloor() {
    assertThat(result.nightlies()).extracting(Bench.Nightly::historyDays).containsExactlyElementsOf(HISTORIES);
    for (Bench.Nightly n : result.nightlies()) {
      assertThat(n.day()).isEqualTo(scale().start().plusDays(13));
      assertThat(n.stages()).extracting(Bench.StageRun::stage).containsExactly(Stage.INGEST, Stage.IDENTITY, Stage.SILVER);
      for (Bench.StageRun s : n.stages()) {
        assertThat(s.wallSeconds()).as("%s wall", s.stage()).isPositive();
        assertThat(s.floor().readSeconds()).as("%s floor read", s.stage()).isPositive();
        assertThat(s.floor().rowsRead()).as("%s floor rows", s.stage()).isPositive();
        assertThat(s.totals().tasks()).as("%s tasks", s.stage()).isPositive();
        assertThat(s.rowsWritten()).as("%s rows written", s.stage()).isPositive();
        assertThat(s.peakHeapBytes()).as("%s peak heap", s.stage()).isPositive();
      }
      double stagesWall = n.stages().stream().mapToDouble(Bench.StageRun::wallSeconds).sum();
      assertThat(stagesWall).as("stage walls within the nightly's").isLessThanOrEqualTo(n.wallSeconds());
    }
  }

  @Test
  void theRowsIngestCommitsToBronzeAreTheRowsOfTheDaysExports() {
    for (Bench.Nightly n : result.nightlies()) {
      Bench.StageRun ingest = n.stages().get(0);
      long bronze = ingest.written().entrySet().stream().filter(e -> e.getKey().startsWith("bronze."))
          .mapToLong(Map.Entry::getValue).sum();
      long exported = n.exportRowsOfDay().values().stream().mapToLong(Long::longValue).sum();
      assertThat(exported).as("rows read from the day's exports (no faults generated)").isPositive();
      assertThat(bronze).as("bronze rows committed by ingest vs rows read from the day's exports").isEqualTo(exported);
    }
  }

  @Test
  void theDaysIngestWritesTheSameRowsWhateverTheHistory() {
    Map<String, Long> shortH = result.nightlies().get(0).stages().get(0).written();
    Map<String, Long> longH = result.nightlies().get(1).stages().get(0).written();
    assertThat(shortH.keySet()).as("tables ingest wrote").anyMatch(t -> t.startsWith("bronze."));
    assertThat(longH).as("rows ingest committed per table after 13 days of history vs 5").isEqualTo(shortH);
  }

  @Test
  void theReportHasATablePerNightlyAndTheGrowthTable() {
    assertThat(markdown).contains("## Pipeline bench, scale tiny: 500 customers × 14 days (seed 7)")
        .contains("### Nightly of 2026-01-14 after 5 day(s) of history")
        .contains("### Nightly of 2026-01-14 after 13 day(s) of history")
        .contains("### The same nightly day after 5 vs 13 days of history")
        .contains("#### Rows read per table")
        .contains("| silver | bronze.pos__tickets | ")
        .contains("Machine: ");
    assertThat(markdown.lines().filter(l -> l.startsWith("| ingest | ") && l.matches("\\| ingest \\| [0-9].*"))).hasSize(3);
    assertThat(markdown.lines().filter(l -> l.startsWith("| identity | ") && l.matches("\\| identity \\| [0-9].*"))).hasSize(3);
  }

  @Test
  void eachHistoryIsBuiltInPassesOfAtMostThePassDaysRecordedBesideItsWarehouse() {
    for (Bench.Nightly n : result.nightlies()) {
      BenchState state = BenchState.read(stateFile(n.historyDays()));
      assertThat(state).as("state of the %d-day history", n.historyDays()).isNotNull();
      assertThat(state.nightly()).isEqualTo(n);
      List<Bench.HistoryPass> passes = state.passes();
      assertThat(passes).isEqualTo(n.history()).hasSize((n.historyDays() + 6) / 7);
      assertThat(passes.get(0).from()).isEqualTo(n.day().minusDays(n.historyDays()));
      assertThat(passes.get(passes.size() - 1).to()).isEqualTo(n.day().minusDays(1));
      for (int i = 0; i < passes.size(); i++) {
        Bench.HistoryPass p = passes.get(i);
        assertThat(p.to()).isBetween(p.from(), p.from().plusDays(6));
        assertThat(p.seconds()).isPositive();
        if (i > 0) {
          assertThat(p.from()).as("pass %d starts the day after pass %d", i, i - 1).isEqualTo(passes.get(i - 1).to().plusDays(1));
        }
      }
      assertThat(n.historySeconds()).isEqualTo(passes.stream().mapToDouble(Bench.HistoryPass::seconds).sum());
    }
    assertThat(markdown).contains("(one backfill pass)").contains("(2 backfill passes: 2026-01-01..2026-01-07 ");
  }

  /**
   * A second run reports the nightlies it finds measured; a nightly interrupted in an earlier run is undone and
   * measured again; a history stopped between passes resumes after the last one.
   */
  @Test
  void aLaterRunReportsFinishedNightliesUndoesAndRemeasuresInterruptedOnesAndResumesStoppedHistories() throws Exception {
    Bench.Scale shortOnly = new Bench.Scale("tiny", 500, 14, 7, List.of(5));
    Path stateFile = stateFile(5);
    BenchState finished = BenchState.read(stateFile);
    Bench bench = new Bench(SparkTestSupport.spark(), SparkTestSupport.config(tmp, tmp), tmp.resolve("bench")).withHistoryPassDays(7);
    long runs = warehouse(5).read("ops", "runs").count();

    assertThat(bench.run(shortOnly, STAGES).nightlies()).containsExactly(result.nightlies().get(0));
    assertThat(warehouse(5).read("ops", "runs").count()).as("runs recorded: none added").isEqualTo(runs);

    // Stopped after the nightly's last commit, before its measurements were saved (as when the floors are being taken):
    // the bench undoes the nightly's commits and measures it again on the history alone. Had it measured on top, ingest
    // would have skipped the day's files, which had landed, and written no row.
    new BenchState(finished.exports(), finished.historyFrom(), finished.historyTo(), finished.stages(), finished.passes(), true, null)
        .write(stateFile);
    Bench.Nightly again = bench.run(shortOnly, STAGES).nightlies().get(0);
    Bench.Nightly before = result.nightlies().get(0);
    assertThat(again.stages()).extracting(Bench.StageRun::written).as("rows each stage wrote, measured again")
        .isEqualTo(before.stages().stream().map(Bench.StageRun::written).toList());
    assertThat(again.stages().get(0).rowsWritten()).as("ingest wrote the day's rows").isPositive();
    assertThat(again.tableRows()).as("rows of every table after the nightly measured again").isEqualTo(before.tableRows());
    assertThat(again.history()).isEqualTo(before.history());
    assertThat(warehouse(5).read("ops", "runs").count()).as("runs recorded: the undone nightly's replaced").isEqualTo(runs);
    assertThat(BenchState.read(stateFile).nightly()).isEqualTo(again);

    Files.writeString(stateFile, "{ not json");
    assertThatThrownBy(() -> bench.run(shortOnly, STAGES)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot read " + stateFile).hasMessageContaining("Fix or delete it");
    assertThat(warehouse(5).read("ops", "runs").count()).as("the warehouse is kept").isEqualTo(runs);

    // Stopped after a pass of history days 1-4, 2026-01-09..12 (as with passes of 4 days): the bench runs day 5, then
    // the nightly.
    Bench.HistoryPass first = new Bench.HistoryPass(finished.historyFrom(), finished.historyFrom().plusDays(3), 1.5, false);
    new BenchState(finished.exports(), finished.historyFrom(), finished.historyTo(), finished.stages(), List.of(first), false, null)
        .write(stateFile);
    Bench.Nightly resumed = bench.withoutFloors().run(shortOnly, STAGES).nightlies().get(0);
    assertThat(resumed.history()).hasSize(2).first().isEqualTo(first);
    assertThat(resumed.history().get(1).from()).isEqualTo(first.to().plusDays(1)).isEqualTo(resumed.history().get(1).to());
    assertThat(resumed.history().get(1).resumed()).as("day 5 had landed: the pass is marked resumed").isTrue();
    assertThat(BenchReport.passes(resumed.history())).contains("2026-01-13..2026-01-13 ").contains(" s (resumed)")
        .contains("a resumed pass was begun by a stopped run");
    assertThat(result.nightlies().get(1).history()).as("passes of an uninterrupted run").noneMatch(Bench.HistoryPass::resumed);
    assertThat(BenchState.read(stateFile).nightly()).isEqualTo(resumed);
    // Measured without floors: a run that wants them is told how to get them, and nothing is rebuilt behind its back.
    assertThatThrownBy(() -> new Bench(SparkTestSupport.spark(), SparkTestSupport.config(tmp, tmp), tmp.resolve("bench"))
        .run(shortOnly, STAGES)).isInstanceOf(IllegalStateException.class).hasMessageContaining("without floors")
        .hasMessageContaining("Run with --no-floors to report it");
    // The passes and the nightly ran again over days already loaded: nothing is loaded twice.
    LocalDate day = shortOnly.nightlyDay();
    assertThat(warehouse(5).read("bronze", "touchpoints__events").where(col("_export_date").equalTo(lit(Date.valueOf(day)))).count())
        .isEqualTo(warehouse(13).read("bronze", "touchpoints__events").where(col("_export_date").equalTo(lit(Date.valueOf(day)))).count());
  }

  private static Path stateFile(int historyDays) {
    return tmp.resolve("bench").resolve("warehouse-c500-d14-s7-h" + historyDays + ".json");
  }

  @Test
  void badOptionsAreUsageErrorsThatSayWhatToDo() {
    assertThat(run("bench", "--stages", "silver")).contains("exit 2").contains("--stages ingest,identity,silver");
    assertThat(run("bench", "--scale", "XL")).contains("exit 2").contains("Use --scale S or --scale M");
    assertThat(run("bench", "--days", "5", "--history-days", "5")).contains("exit 2").contains("between 1 and days - 1");
    assertThat(run("bench", "--history-pass-days", "0")).contains("exit 2").contains("--history-pass-days 1 or more");
  }

  private static Bench.Scale scale() {
    return result.scale();
  }

  private static String run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = Touchpoint.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return "exit " + code + "\n" + err;
  }
}
