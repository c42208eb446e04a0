package io.touchpoint.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import io.touchpoint.jobs.lineage.RunLog;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a bench warehouse back to the end of its history after a nightly that did not finish (the
 * process was stopped), so that the nightly can be measured again on the history alone instead of
 * the history being rebuilt, which takes hours at M.
 *
 * <p>Every commit carries its run id in Delta's {@code userMetadata} ({@code TableWriter}). For each
 * table, the commits of the nightly's run are the newest ones: the table is restored (Delta
 * RESTORE) to the version before the first of them, and a table the run created is removed.
 * Commits without a run id (VACUUM's, an earlier rollback's RESTORE) change no row and are stepped
 * over. Restoring is safe after a vacuum: the nightly's retention (days) keeps the files it removed.
 */
final class NightlyRollback {
  private static final Logger LOG = LoggerFactory.getLogger(NightlyRollback.class);

  private NightlyRollback() {}

  /** What was done to one table: restored to {@code version}, or removed ({@code version} -1) as the run created it. */
  record Undone(String table, long version) {}

  /** Undoes every commit of run {@code runId} in the warehouse; returns the tables it restored or removed. */
  static List<Undone> rollBack(Warehouse warehouse, String runId) {
    List<Undone> out = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try {
      for (String name : warehouse.tables()) {
        String[] p = name.split("\\.", 2);
        Path table = new Path(warehouse.path(p[0], p[1]));
        FileSystem fs = table.getFileSystem(warehouse.spark().sparkContext().hadoopConfiguration());
        Long first = firstCommitOf(fs, new Path(table, "_delta_log"), runId, json);
        if (first == null) {
          continue;
        }
        if (first == 0) {
          fs.delete(table, true);
          out.add(new Undone(name, -1));
          LOG.warn("bench: removed {}, which the unfinished nightly {} created", name, runId);
        } else {
          DeltaTable.forPath(warehouse.spark(), table.toString()).restoreToVersion(first - 1);
          out.add(new Undone(name, first - 1));
          LOG.warn("bench: restored {} to version {}, before the unfinished nightly {} wrote it", name, first - 1, runId);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * The oldest version of the run's newest commits: walking back from the newest commit while commits are the run's
   * or carry no run id, up to the first commit of another run. Null when the run did not commit to the table.
   */
  private static Long firstCommitOf(FileSystem fs, Path log, String runId, ObjectMapper json) throws IOException {
    Long first = null;
    for (FileStatus c : RunLog.commitsNewestFirst(fs, log)) {
      JsonNode info = RunLog.commitInfo(fs, c.getPath(), json);
      String meta = info == null ? "" : info.path("userMetadata").asText("");
      if (meta.isEmpty()) {
        continue;
      }
      if (!runId.equals(runIdOf(meta, json))) {
        break;
      }
      first = Long.parseLong(c.getPath().getName().substring(0, 20));
    }
    return first;
  }

  /** The run id in a commit's user metadata; empty when the metadata is not Touchpoint's JSON (another writer's). */
  private static String runIdOf(String userMetadata, ObjectMapper json) {
    try {
      return json.readTree(userMetadata).path("run_id").asText("");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return "";
    }
  }
}
