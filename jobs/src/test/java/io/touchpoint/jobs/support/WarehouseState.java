package io.touchpoint.jobs.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Every table of a warehouse, discovered from its folders (so tables added later are covered), as
 * content: sorted rows without the columns that legitimately differ between two runs of the same
 * inputs (which run wrote a row, and when).
 */
public final class WarehouseState {
  /** Columns that say which run wrote a row and when: they differ between two runs by design. */
  public static final List<String> RUN_COLUMNS = List.of("_run_id", "_ingested_at", "merged_by_run_id", "run_id",
      "ingested_at", "recorded_by_run_id", "recorded_at", "landed_by_run_id");

  /**
   * The lineage log (ops.runs, ops.run_inputs, ops.table_versions): one entry per finished run and
   * commit, so a rerun or a crash adds to it by design. It is history, not state; ForgetAndLineageTest
   * checks what it records. Likewise the housekeeping log (ops.maintenance): seconds taken and files
   * left on disk (a killed run's orphans included) differ from run to run; MaintenanceJobTest checks it.
   */
  public static final List<String> LINEAGE_TABLES = List.of("ops.runs", "ops.run_inputs", "ops.table_versions",
      "ops.maintenance");

  private WarehouseState() {}

  /**
   * Every table of a warehouse read once: its column names and rows (all columns, as {@link Row#toString}),
   * from which {@link #content}, {@link #duplicateRows} and {@link #rowRunIds} are derived on the driver.
   * One collect per table instead of one Spark job per question per table: the three questions over a
   * test warehouse of ~40 tables took ~25 s as separate queries.
   */
  public record Tables(Map<String, List<String>> columns, Map<String, List<Row>> rows) {
    /** {@code schema.table} → sorted rows without {@link #RUN_COLUMNS}, every table but {@link #LINEAGE_TABLES}. */
    public Map<String, List<String>> content() {
      Map<String, List<String>> out = new TreeMap<>();
      rows.forEach((t, rs) -> {
        if (!LINEAGE_TABLES.contains(t)) {
          List<String> cols = columns.get(t);
          List<Integer> keep = new ArrayList<>();
          for (int i = 0; i < cols.size(); i++) {
            if (!RUN_COLUMNS.contains(cols.get(i))) {
              keep.add(i);
            }
          }
          List<String> lines = new ArrayList<>(rs.size());
          for (Row r : rs) {
            Object[] v = new Object[keep.size()];
            for (int i = 0; i < v.length; i++) {
              v[i] = r.get(keep.get(i));
            }
            lines.add(org.apache.spark.sql.RowFactory.create(v).toString());
          }
          lines.sort(String::compareTo);
          out.put(t, lines);
        }
      });
      return out;
    }

    /** For each table: rows that are exact duplicates of another row (all columns, run columns included). */
    public Map<String, Long> duplicateRows() {
      Map<String, Long> out = new TreeMap<>();
      rows.forEach((t, rs) -> {
        long dups = rs.size() - rs.stream().map(Tables::distinctKey).distinct().count();
        if (dups > 0) {
          out.put(t, dups);
        }
      });
      return out;
    }

    /**
     * A row as Spark's {@code distinct} compares it: a top-level -0.0 equals 0.0 (NaN already prints alike).
     * Values nested in arrays, maps and structs are compared as printed.
     */
    static String distinctKey(Row r) {
      Object[] v = new Object[r.length()];
      for (int i = 0; i < v.length; i++) {
        Object x = r.get(i);
        v[i] = x instanceof Double d && d == 0.0 ? (Object) 0.0 : x instanceof Float f && f == 0.0f ? (Object) 0.0f : x;
      }
      return org.apache.spark.sql.RowFactory.create(v).toString();
    }

    /** The tables with a {@code _run_id} column, and the distinct run ids on their rows. */
    public Map<String, Set<String>> rowRunIds() {
      Map<String, Set<String>> out = new TreeMap<>();
      rows.forEach((t, rs) -> {
        int i = columns.get(t).indexOf("_run_id");
        if (i >= 0) {
          Set<String> ids = new HashSet<>();
          rs.forEach(r -> ids.add(r.getString(i)));
          out.put(t, ids);
        }
      });
      return out;
    }
  }

  /**
   * History, not state: silver.identity_merges records which ids were merged and by whom, and
   * silver.customer_aliases the ids absorbed so far. An out-of-order run, a late file or a day-by-day
   * run publishes ids (and later merges them) that an in-order run or a one-pass backfill never creates.
   */
  public static final List<String> IDENTITY_HISTORY = List.of("silver.identity_merges", "silver.customer_aliases");

  /**
   * A table as its readers see it: silver.touchpoints keeps the customer id of when each touch landed,
   * so its ids are mapped through silver.customer_aliases, as the attribution and the marts map them.
   * Two warehouses that merged the same customers on different days then compare equal.
   */
  public static Dataset<Row> resolved(Warehouse w, String table) {
    if (table.equals("silver.touchpoints")) {
      return io.touchpoint.jobs.identity.IdentityJob.touches(w);
    }
    String[] p = table.split("\\.");
    return w.read(p[0], p[1]);
  }

  /** Reads every table of the warehouse (discovered from its folders) once, silver.touchpoints {@link #resolved}. */
  public static Tables read(Warehouse w) {
    Map<String, List<String>> columns = new TreeMap<>();
    Map<String, List<Row>> rows = new TreeMap<>();
    for (String t : w.tables()) {
      Dataset<Row> d = resolved(w, t);
      columns.put(t, Arrays.asList(d.columns()));
      rows.put(t, d.collectAsList());
    }
    return new Tables(columns, rows);
  }

  /** {@code schema.table} → sorted rows without {@link #RUN_COLUMNS}, every table but {@link #LINEAGE_TABLES}. */
  public static Map<String, List<String>> content(Warehouse w) {
    return read(w).content();
  }

  /** Asserts, table by table (so a failure names the table), that two warehouses hold the same tables and content. */
  public static void assertSameContent(Map<String, List<String>> want, Map<String, List<String>> have, String what) {
    org.assertj.core.api.Assertions.assertThat(have.keySet()).as("%s: the same tables", what).isEqualTo(want.keySet());
    for (String t : want.keySet()) {
      org.assertj.core.api.Assertions.assertThat(have.get(t)).as("%s: %s by content", what, t).isEqualTo(want.get(t));
    }
  }

  /** A Delta commit of a warehouse table: the table, its version and the job/run in its user metadata. */
  public record Commit(String table, long version, String job, String runId) {}

  /**
   * Watches a local warehouse's Delta logs: every commit file not seen before, with the job and
   * run id {@code TableWriter} records in each commit's user metadata.
   */
  public static final class CommitWatcher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path root;
    private final Set<Path> seen = new HashSet<>();
    private final List<Commit> commits = new ArrayList<>();

    public CommitWatcher(Path root) {
      this.root = root;
      poll();
      commits.clear();
    }

    /** Reads the commit files that appeared since the last poll; returns all new commits so far. */
    public synchronized List<Commit> poll() {
      if (!Files.isDirectory(root)) {
        return commits;
      }
      try (Stream<Path> schemas = Files.list(root)) {
        for (Path schema : schemas.filter(s -> Files.isDirectory(s) && !s.getFileName().toString().startsWith("_")).toList()) {
          try (Stream<Path> tables = Files.list(schema)) {
            for (Path table : tables.toList()) {
              Path log = table.resolve("_delta_log");
              if (!Files.isDirectory(log)) {
                continue;
              }
              try (Stream<Path> files = Files.list(log)) {
                for (Path f : files.filter(f -> f.getFileName().toString().matches("\\d{20}\\.json")).sorted().toList()) {
                  if (seen.add(f)) {
                    commits.add(read(schema.getFileName() + "." + table.getFileName(), f));
                  }
                }
              }
            }
          }
        }
      } catch (IOException e) {
        // a folder being created while listed: the next poll sees it
      }
      return commits;
    }

    private static Commit read(String table, Path f) throws IOException {
      long version = Long.parseLong(f.getFileName().toString().substring(0, 20));
      for (String line : Files.readAllLines(f)) {
        JsonNode n = JSON.readTree(line);
        if (n.has("commitInfo")) {
          JsonNode meta = n.get("commitInfo").get("userMetadata");
          if (meta != null && meta.isTextual()) {
            JsonNode m = JSON.readTree(meta.asText());
            return new Commit(table, version, m.path("job").asText("?"), m.path("run_id").asText("?"));
          }
        }
      }
      return new Commit(table, version, "?", "?");
    }

    /** New commits per job, in order. */
    public synchronized Map<String, List<Commit>> byJob() {
      Map<String, List<Commit>> out = new LinkedHashMap<>();
      commits.forEach(c -> out.computeIfAbsent(c.job(), k -> new ArrayList<>()).add(c));
      return out;
    }
  }

  public static void copy(Path from, Path to) {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
