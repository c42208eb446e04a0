package io.touchpoint.jobs.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.errors.Errors;
import io.touchpoint.errors.TouchpointException;
import io.touchpoint.jobs.config.ConfigLoader;
import io.touchpoint.jobs.spark.TableWriter;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Housekeeping on real Delta tables: a table of many small appends is compacted to one file with
 * every row kept, a table under the threshold is left alone, the vacuum runs on its day only (and
 * keeps every file a version within the retention needs), and each action is logged in ops.maintenance.
 */
class MaintenanceJobTest {
  @TempDir Path tmp;
  private static final LocalDate TUESDAY = LocalDate.of(2026, 3, 31);
  private static final LocalDate SUNDAY = LocalDate.of(2026, 3, 29);

  private Warehouse warehouse() {
    return new Warehouse(SparkTestSupport.spark(), tmp.resolve("wh").toString());
  }

  private static Dataset<Row> rows(long from, long to) {
    return SparkTestSupport.spark().range(from, to).selectExpr("id", "cast(id * 2 AS bigint) AS twice").coalesce(1);
  }

  @Test
  void aTableOfManySmallFilesIsCompactedWithEveryRowKeptAndSmallTablesAreLeftAlone() {
    Warehouse w = warehouse();
    TableWriter writer = new TableWriter(w, "setup", "test");
    for (int i = 0; i < 6; i++) {
      writer.append(rows(i * 10L, i * 10L + 10), "gold", "many_files");
    }
    writer.append(rows(0, 5), "gold", "few_files");
    writer.append(rows(5, 10), "gold", "few_files");
    List<String> before = SparkTestSupport.content(w.read("gold", "many_files"));

    MaintenanceJob job = new MaintenanceJob(w, "run-1", new Maintenance(5, 168, Optional.of(DayOfWeek.SUNDAY)));
    assertThat(w.liveFiles("gold", "many_files")).isEqualTo(6);
    List<MaintenanceJob.TableResult> results = job.run(TUESDAY, false);

    assertThat(results).extracting(MaintenanceJob.TableResult::table).containsExactly("gold.many_files");
    MaintenanceJob.TableResult r = results.get(0);
    assertThat(r.compacted()).isTrue();
    assertThat(r.vacuumed()).as("Tuesday is not the vacuum day").isFalse();
    assertThat(r.liveFilesBefore()).isEqualTo(6);
    assertThat(r.liveFilesAfter()).isEqualTo(1);
    assertThat(r.filesRemoved()).isEqualTo(6);
    assertThat(r.filesAdded()).isEqualTo(1);
    assertThat(w.liveFiles("gold", "few_files")).as("under the threshold: untouched").isEqualTo(2);
    assertThat(SparkTestSupport.content(w.read("gold", "many_files"))).as("rows after compaction").isEqualTo(before).hasSize(60);

    Row logged = w.read("ops", "maintenance").first();
    assertThat(logged.<String>getAs("table_name")).isEqualTo("gold.many_files");
    assertThat(logged.<Long>getAs("live_files_before")).isEqualTo(6L);
    assertThat(logged.<Long>getAs("live_files_after")).isEqualTo(1L);
    assertThat(logged.<String>getAs("run_id")).isEqualTo("run-1");
    assertThat(w.delta("gold", "many_files").history(1).first().<String>getAs("userMetadata"))
        .as("the compaction commit names its run and job").contains("\"run_id\":\"run-1\"").contains("\"job\":\"maintain\"");

    // A second run finds one file: nothing left to compact, nothing logged for the table.
    assertThat(job.run(TUESDAY, false)).isEmpty();
  }

  @Test
  void theVacuumRunsOnItsDayAndKeepsTheFilesTheRetentionNeeds() {
    Warehouse w = warehouse();
    TableWriter writer = new TableWriter(w, "setup", "test");
    for (int i = 0; i < 3; i++) {
      writer.append(rows(i * 10L, i * 10L + 10), "silver", "t");
    }
    MaintenanceJob job = new MaintenanceJob(w, "run-2", new Maintenance(3, 168, Optional.of(DayOfWeek.SUNDAY)));
    List<MaintenanceJob.TableResult> results = job.run(SUNDAY, false);
    MaintenanceJob.TableResult r = results.stream().filter(x -> x.table().equals("silver.t")).findFirst().orElseThrow();
    assertThat(r.compacted()).isTrue();
    assertThat(r.vacuumed()).isTrue();
    // The three compacted files were removed minutes ago, well within 168 hours: they stay on disk,
    // so time travel to the version before the compaction still reads.
    assertThat(r.filesOnDisk()).isEqualTo(4L);
    assertThat(w.spark().read().format("delta").option("versionAsOf", 2).load(w.path("silver", "t")).count()).isEqualTo(30);
    assertThat(w.read("silver", "t").count()).isEqualTo(30);
    Row logged = w.read("ops", "maintenance").where("table_name = 'silver.t'").first();
    assertThat(logged.<Boolean>getAs("vacuumed")).isTrue();
    assertThat(logged.<Long>getAs("retention_hours")).isEqualTo(168L);
    assertThat(logged.<Long>getAs("data_files_on_disk")).isEqualTo(4L);
  }

  @Test
  void settingsResolveFromTheConfigAndBadValuesSayWhatToSet() throws Exception {
    assertThat(new ConfigLoader(Map.of()).load(null, Map.of(), true).maintenance()).isEqualTo(Maintenance.DEFAULT);
    Path f = tmp.resolve("touchpoint.properties");
    Files.writeString(f, "maintenance.compact-min-files=20\nmaintenance.vacuum-retention-hours=336\nmaintenance.vacuum-day=never\n");
    Maintenance m = new ConfigLoader(Map.of("TOUCHPOINT_MAINTENANCE_VACUUM_DAY", "Saturday")).load(f, Map.of(), true).maintenance();
    assertThat(m).isEqualTo(new Maintenance(20, 336, Optional.of(DayOfWeek.SATURDAY)));
    assertThat(m.vacuumsOn(LocalDate.of(2026, 3, 28))).isTrue();
    assertThat(m.vacuumsOn(SUNDAY)).isFalse();
    assertThat(new ConfigLoader(Map.of()).load(f, Map.of(), true).maintenance().vacuumsOn(SUNDAY)).as("never").isFalse();

    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(null, Map.of("maintenance.vacuum-retention-hours", "24"), true))
        .isInstanceOf(TouchpointException.class).hasMessageContaining("maintenance.vacuum-retention-hours=24")
        .hasMessageContaining("168").satisfies(e -> assertThat(((TouchpointException) e).exitCode()).isEqualTo(Errors.EXIT_CONFIG));
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(null, Map.of("maintenance.vacuum-day", "weekly"), true))
        .isInstanceOf(TouchpointException.class).hasMessageContaining("maintenance.vacuum-day=weekly")
        .hasMessageContaining("never");
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(null, Map.of("maintenance.compact-min-files", "1"), true))
        .isInstanceOf(TouchpointException.class).hasMessageContaining("at least 2 files");
  }
}
