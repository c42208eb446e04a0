package io.touchpoint.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.errors.Errors;
import io.touchpoint.errors.TouchpointException;
import io.touchpoint.jobs.generate.ExportGenerator;
import io.touchpoint.jobs.generate.GeneratorConfig;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.ChildJvm;
import io.touchpoint.jobs.support.SparkTestSupport;
import io.touchpoint.jobs.support.WarehouseState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warehouse run lock: scopes, atomic take, stale take-over, and two real processes on one warehouse. */
class RunLockTest {
  static final Duration STALE = Duration.ofMinutes(10);
  @TempDir Path tmp;

  private RunLock take(List<String> scopes, String runId) {
    return RunLock.acquire(tmp.resolve("wh").toString(), new Configuration(), scopes,
        RunLock.Holder.self(runId, "nightly", "2026-03-01"), STALE);
  }

  @Test
  void scopesFollowTheStagesAndSourcesSoTheDagsParallelIngestsDoNotConflict() {
    assertThat(RunLock.scopes(EnumSet.allOf(Stage.class), Set.of("pos", "crm"), Optional.empty()))
        .hasSize(Stage.values().length - 1 + 2)
        .contains("ingest-crm", "ingest-pos", "identity", "silver", "alerts");
    assertThat(RunLock.scopes(EnumSet.of(Stage.ATTRIBUTION), Set.of(), Optional.of("sandbox_alice")))
        .containsExactly("sandbox_alice-attribution");
    try (RunLock pos = take(List.of("ingest-pos"), "a"); RunLock crm = take(List.of("ingest-crm"), "b")) {
      assertThat(pos.scopes()).containsExactly("ingest-pos");
      assertThat(crm.scopes()).containsExactly("ingest-crm");
    }
  }

  @Test
  void aSecondRunOverlappingALiveOneFailsWithExit7NamingTheHolderAndTakesNothing() {
    try (RunLock first = take(List.of("identity", "silver"), "nightly-1")) {
      assertThatThrownBy(() -> take(List.of("attribution", "silver"), "nightly-2"))
          .isInstanceOfSatisfying(TouchpointException.class, e -> assertThat(e.exitCode()).isEqualTo(Errors.EXIT_LOCKED))
          .hasMessageContaining("'silver' is held by run nightly-1")
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
      // All or nothing: the second run released 'attribution', which it had taken before 'silver'.
      assertThat(tmp.resolve("wh/_locks/attribution.lock")).doesNotExist();
    }
    assertThat(tmp.resolve("wh/_locks/silver.lock")).as("released on close").doesNotExist();
    take(List.of("silver"), "nightly-3").close();
  }

  @Test
  void aLockWhoseProcessIsGoneOrThatWasNotTouchedForTheTimeoutIsTakenOver() throws Exception {
    Path locks = Files.createDirectories(tmp.resolve("wh/_locks"));
    // A holder on this host whose pid is not alive: a run that was killed (SIGKILL runs no hook).
    long deadPid = deadPid();
    Files.write(locks.resolve("silver.lock"), new RunLock.Holder("killed-run", "nightly", "2026-03-01", deadPid,
        RunLock.hostName(), Instant.now()).bytes());
    try (RunLock l = take(List.of("silver"), "after-crash")) {
      assertThat(Files.readString(locks.resolve("silver.lock"))).contains("after-crash");
      assertThat(locks.resolve("silver.lock.stale-after-crash")).exists();
    }
    // A holder on another host, touched just now: alive as far as we can tell.
    Files.write(locks.resolve("marts.lock"), new RunLock.Holder("remote", "nightly", "2026-03-01", 1, "other-host",
        Instant.now()).bytes());
    assertThatThrownBy(() -> take(List.of("marts"), "local")).hasMessageContaining("held by run remote");
    // ...and the same lock untouched for longer than the stale timeout: its holder died.
    Files.setLastModifiedTime(locks.resolve("marts.lock"), FileTime.from(Instant.now().minus(STALE).minusSeconds(5)));
    take(List.of("marts"), "local").close();
  }

  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  @Test
  void theStaleTimeoutIsConfigurable() {
    assertThat(RunLock.staleAfter(Map.of())).isEqualTo(RunLock.DEFAULT_STALE_AFTER);
    assertThat(RunLock.staleAfter(Map.of(RunLock.STALE_ENV, "90"))).isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(() -> RunLock.staleAfter(Map.of(RunLock.STALE_ENV, "soon")))
        .isInstanceOfSatisfying(TouchpointException.class, e -> assertThat(e.exitCode()).isEqualTo(Errors.EXIT_CONFIG));
  }

  /**
   * Two real processes: an ingest of a date runs; a nightly of the same date, and a backfill over
   * it, started while the first holds the lock, exit 7 naming it and write nothing; the warehouse
   * then holds no duplicated row and equals, by content, an ingest of the same date run alone.
   */
  @Test
  void twoProcessesOnOneWarehouse() throws Exception {
    LocalDate d = LocalDate.of(2026, 3, 1);
    Path exports = tmp.resolve("exports");
    ExportGenerator.generate(GeneratorConfig.of(exports, 80, 2, d, 3));
    Path wh = tmp.resolve("wh");
    try (ChildJvm first = nightly(wh, exports, List.of("ingest", "--run-date", d.toString()), "first")) {
      String holder = first.awaitLog(Pattern.compile("\\[([^\\]]+)\\] run lock taken"), Duration.ofMinutes(2));
      for (List<String> second : List.of(List.of("nightly", "--run-date", d.toString()),
          List.of("backfill", "--from", d.minusDays(1).toString(), "--to", d.plusDays(1).toString()))) {
        try (ChildJvm other = nightly(wh, exports, second, second.get(0))) {
          int code = other.waitFor(Duration.ofMinutes(2));
          assertThat(first.alive()).as("the first run is still running, so the test saw them overlap").isTrue();
          assertThat(code).as(second + " while another run holds the lock\n" + other.tail()).isEqualTo(Errors.EXIT_LOCKED);
          assertThat(other.tail()).contains("is held by run " + holder).contains("pid " + first.pid());
        }
      }
      assertThat(first.waitFor(Duration.ofMinutes(10))).isZero();
    }
    Path alone = tmp.resolve("alone");
    assertThat(io.touchpoint.cli.Touchpoint.commandLine().execute("ingest", "--run-date", d.toString(), "--demo",
        "--warehouse", alone.toString(), "--exports", exports.toString(), "--master", "local[2]")).isZero();
    Warehouse got = new Warehouse(SparkTestSupport.spark(), wh.toString());
    WarehouseState.Tables tables = WarehouseState.read(got);
    assertThat(tables.duplicateRows()).isEmpty();
    WarehouseState.assertSameContent(WarehouseState.content(new Warehouse(SparkTestSupport.spark(), alone.toString())),
        tables.content(), "after two processes");
  }

  private ChildJvm nightly(Path wh, Path exports, List<String> command, String name) {
    List<String> args = new java.util.ArrayList<>(command);
    args.addAll(List.of("--demo", "--warehouse", wh.toString(), "--exports", exports.toString(), "--master", "local[1]"));
    return ChildJvm.start(ChildJvm.testClasspath(), "io.touchpoint.cli.Touchpoint", args, Map.of(), tmp.resolve(name + ".log"));
  }
}
