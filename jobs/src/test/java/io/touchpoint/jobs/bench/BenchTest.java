package io.touchpoint.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.cli.Touchpoint;
import io.touchpoint.jobs.pipeline.Stage;
import io.touchpoint.jobs.support.SparkTestSupport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The bench harness on a tiny data set (150 persons x 3 days, the nightly of day 3 after 1 and after 2
 * days of history, stages ingest and identity; about two minutes): every stage is measured and set against
 * its floor, the commit metrics reconcile with the ingestion log, and the day's ingest commits the
 * same rows whatever the history.
 */
class BenchTest {
  @TempDir static Path tmp;
  static Bench.Result result;
  static String markdown;

  @BeforeAll
  static void bench() throws Exception {
    Bench.Scale scale = new Bench.Scale("tiny", 150, 3, 7, List.of(1, 2));
    result = new Bench(SparkTestSupport.spark(), SparkTestSupport.config(tmp, tmp), tmp.resolve("bench"))
        .run(scale, EnumSet.of(Stage.INGEST, Stage.IDENTITY));
    markdown = BenchReport.markdown(result, "touchpoint bench --customers 150 --days 3 --history-days 1,2"
        + " --stages ingest,identity", SparkTestSupport.spark(), Instant.now());
  }

  @Test
  void everyStageOfEveryNightlyIsMeasuredAgainstItsFloor() {
    assertThat(result.nightlies()).extracting(Bench.Nightly::historyDays).containsExactly(1, 2);
    for (Bench.Nightly n : result.nightlies()) {
      assertThat(n.day()).isEqualTo(scale().start().plusDays(2));
      assertThat(n.stages()).extracting(Bench.StageRun::stage).containsExactly(Stage.INGEST, Stage.IDENTITY);
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
    assertThat(longH).as("rows ingest committed per table after 2 days of history vs 1").isEqualTo(shortH);
  }

  @Test
  void theReportHasATablePerNightlyAndTheGrowthTable() {
    assertThat(markdown).contains("## Pipeline bench, scale tiny: 150 customers × 3 days (seed 7)")
        .contains("### Nightly of 2026-01-03 after 1 day(s) of history")
        .contains("### Nightly of 2026-01-03 after 2 day(s) of history")
        .contains("### The same nightly day after 1 vs 2 days of history")
        .contains("Machine: ");
    assertThat(markdown.lines().filter(l -> l.startsWith("| ingest |"))).hasSize(3);
    assertThat(markdown.lines().filter(l -> l.startsWith("| identity |"))).hasSize(3);
  }

  @Test
  void badOptionsAreUsageErrorsThatSayWhatToDo() {
    assertThat(run("bench", "--stages", "silver")).contains("exit 2").contains("--stages ingest,identity,silver");
    assertThat(run("bench", "--scale", "XL")).contains("exit 2").contains("Use --scale S or --scale M");
    assertThat(run("bench", "--days", "5", "--history-days", "5")).contains("exit 2").contains("between 1 and days - 1");
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
