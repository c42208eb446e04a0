package io.touchpoint.jobs.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.cli.Touchpoint;
import io.touchpoint.jobs.generate.ExportGenerator;
import io.touchpoint.jobs.generate.GeneratorConfig;
import io.touchpoint.jobs.lineage.RunLog;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A two-date run (60 generated customers, 1% faulty rows) through {@code touchpoint nightly} twice,
 * then: the lineage it recorded ({@code ops.runs}, {@code ops.run_inputs}, {@code ops.table_versions},
 * {@code touchpoint lineage}), and {@code touchpoint forget} on a copy of the warehouse. Every check
 * runs over the tables found in the warehouse, not a list.
 */
class ForgetAndLineageTest {
  static final LocalDate D1 = LocalDate.of(2026, 3, 2);
  static final LocalDate D2 = D1.plusDays(1);

  @TempDir static Path tmp;
  static Path exports;
  static Path home;
  static Warehouse warehouse;
  static List<String> runIds;

  @BeforeAll
  static void twoNightlyRuns() {
    exports = tmp.resolve("exports");
    ExportGenerator.generate(GeneratorConfig.of(exports, 60, 2, D1, 5).withDefects(0.01, 0));
    home = tmp.resolve("warehouse");
    for (LocalDate d : List.of(D1, D2)) {
      Result r = cli("nightly", "--run-date", d.toString(), "--warehouse", home.toString());
      assertThat(r.code).as(r.err).isIn(0, 6);
    }
    warehouse = new Warehouse(SparkTestSupport.spark(), home.toString());
    runIds = new RunLog(warehouse).runIds();
  }

  record Result(int code, String out, String err) {}

  static Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--exports", exports.toString(), "--master", "local[2]", "--demo"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Touchpoint.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  // ---------------------------------------------------------------- lineage

  @Test
  void everyRunIsRecordedWithWhoWhenAndItsDates() {
    assertThat(runIds).hasSize(2);
    List<Row> runs = warehouse.read("ops", RunLog.RUNS).orderBy("started_at").collectAsList();
    for (int i = 0; i < 2; i++) {
      Row r = runs.get(i);
      assertThat(r.<String>getAs("command")).isEqualTo("nightly");
      assertThat(r.<String>getAs("status")).isEqualTo("succeeded");
      assertThat(r.<String>getAs("user")).isEqualTo(System.getProperty("user.name"));
      assertThat(r.<Object>getAs("first_date").toString()).isEqualTo((i == 0 ? D1 : D2).toString());
      assertThat(r.<String>getAs("stages")).isEqualTo("ingest,identity,silver,attribution,clv,marts,alerts,maintain");
    }
  }

  @Test
  void runInputsAreTheExportFilesOfTheRunDatesWithTheirChecksums() throws IOException {
    for (int i = 0; i < 2; i++) {
      LocalDate d = i == 0 ? D1 : D2;
      Map<String, String> recorded = new HashMap<>();
      warehouse.read("ops", RunLog.INPUTS).where(functions.col("run_id").equalTo(runIds.get(i))).collectAsList()
          .forEach(r -> recorded.put(r.getAs("source_file"), r.getAs("checksum")));
      assertThat(recorded).as("the files of " + d).isEqualTo(exportFiles(d));
    }
  }

  @Test
  void tableVersionsAreExactlyTheCommitsEachRunMadeInEveryTable() {
    // Independently of RunLog: every commit of every table whose userMetadata names one of the runs.
    Set<String> expected = new TreeSet<>();
    for (String t : warehouse.tables()) {
      if (t.startsWith("ops.")) {
        continue; // the ops tables also get RunLog's own appends, recorded only once the run ends
      }
      for (Row h : io.delta.tables.DeltaTable.forPath(SparkTestSupport.spark(), home.resolve(t.replace('.', '/')).toString())
          .history().select("version", "userMetadata").collectAsList()) {
        for (String run : runIds) {
          if (h.getString(1) != null && h.getString(1).contains("\"run_id\":\"" + run + "\"")) {
            expected.add(run + " " + t + " v" + h.getLong(0));
          }
        }
      }
    }
    Set<String> recorded = warehouse.read("ops", RunLog.VERSIONS).where("table_name NOT LIKE 'ops.%'").collectAsList().stream()
        .map(r -> r.getAs("run_id") + " " + r.getAs("table_name") + " v" + r.getAs("version"))
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(expected).as("the runs wrote bronze, silver and gold").anyMatch(s -> s.contains(" gold.kpi v"))
        .anyMatch(s -> s.contains(" bronze.")).anyMatch(s -> s.contains(" silver.orders v"));
    assertThat(recorded).isEqualTo(expected);
  }

  @Test
  void lineagePrintsTheChainFromAGoldVersionBackToTheExportFiles() throws IOException {
    Map<String, String> d1 = exportFiles(D1);
    Map<String, String> both = new HashMap<>(d1);
    both.putAll(exportFiles(D2));
    Result latest = cli("lineage", "--table", "gold.kpi", "--warehouse", home.toString());
    assertThat(latest.code).as(latest.err).isZero();
    assertThat(latest.out).contains("<- run " + runIds.get(1), "touchpoint nightly", "dates " + D2,
        "by " + System.getProperty("user.name"), both.size() + " export file(s)");
    both.forEach((file, sha) -> assertThat(latest.out).contains(file + "  sha256 " + sha));

    long firstVersion = warehouse.read("ops", RunLog.VERSIONS)
        .where("table_name = 'gold.kpi' AND run_id = '" + runIds.get(0) + "'").agg(functions.max("version")).first().getLong(0);
    Result first = cli("lineage", "--table", "gold.kpi", "--version", String.valueOf(firstVersion), "--warehouse", home.toString());
    assertThat(first.code).as(first.err).isZero();
    assertThat(first.out).contains("gold.kpi version " + firstVersion + "\n", "<- run " + runIds.get(0), "dates " + D1,
        d1.size() + " export file(s)").doesNotContain(runIds.get(1), "/" + D2 + "/");

    Result unknown = cli("lineage", "--table", "gold.nope", "--warehouse", home.toString());
    assertThat(unknown.code).isEqualTo(2);
    assertThat(unknown.err).contains("gold.nope", "no such table");
  }

  /** The expected files of a date in the exports, with their SHA-256 (as ingest names them). */
  static Map<String, String> exportFiles(LocalDate d) throws IOException {
    Map<String, String> out = new HashMap<>();
    for (io.touchpoint.ingest.BronzeTable t : io.touchpoint.ingest.BronzeTable.values()) {
      for (String f : t.expectedFiles()) {
        String rel = t.source() + "/" + d + "/" + f;
        out.put(rel, sha256(Files.readAllBytes(exports.resolve(rel))));
      }
    }
    return out;
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- forget

  @Test
  void forgetRemovesThePersonFromEveryTableFileAndLogAndNobodyElse() throws IOException {
    Path copy = tmp.resolve("forget");
    io.touchpoint.jobs.support.TreeCopy.copy(home, copy);
    Warehouse w = new Warehouse(SparkTestSupport.spark(), copy.toString());
    // The identified customer with the most orders who is a CRM member.
    Row who = w.read("silver", "identity_map").where("identifier LIKE 'member:%'").select("identifier", "customer_id")
        .join(w.read("silver", "orders").groupBy("customer_id").count(), "customer_id")
        .orderBy(functions.col("count").desc(), functions.col("customer_id")).first();
    String member = who.getString(1).substring("member:".length());
    String customer = who.getString(0);
    ForgetJob job = new ForgetJob(w, io.touchpoint.pii.Pii.demo(), "probe");
    ForgetJob.Person person = job.resolve(ForgetJob.Key.MEMBER_ID, member);
    assertThat(person.customerIds()).contains(customer);
    String phone = person.identifiers().stream().filter(i -> i.startsWith("phone:")).findFirst().orElseThrow();
    assertThat(job.resolve(ForgetJob.Key.PHONE_HASH, phone.substring(6))).as("same person by phone hash").isEqualTo(person);
    assertThat(job.resolve(ForgetJob.Key.CUSTOMER_ID, customer)).as("and by customer id").isEqualTo(person);

    // Their values: customer ids and every identifier value (member id, device ids, hashes).
    Set<String> theirs = new TreeSet<>(person.customerIds());
    person.identifiers().forEach(i -> theirs.add(i.substring(i.indexOf(':') + 1)));
    List<String> tables = w.tables();
    Map<String, List<String>> othersBefore = new HashMap<>();
    Set<String> holding = new TreeSet<>();
    for (String t : tables) {
      Dataset<Row> rows = read(w, t);
      if (rows.where(mentions(rows, theirs)).count() > 0) {
        holding.add(t);
      }
      othersBefore.put(t, SparkTestSupport.content(rows.where(functions.not(mentions(rows, theirs)))));
    }
    List<String> personal = job.personalTables().stream().map(ForgetJob.PersonalTable::table).toList();
    assertThat(personal).as("found by their columns; gold holds aggregates only").containsAll(holding)
        .noneMatch(t -> t.startsWith("gold."));
    System.out.println("forget: personal tables " + personal);
    assertThat(holding).as("they are in bronze, silver and restricted")
        .contains("bronze.crm__members", "silver.orders", "silver.identity_map", "silver.customers");

    Result r = cli("forget", "--member-id", member, "--vacuum-now", "--warehouse", copy.toString());
    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out).contains("row(s) deleted", "silver.orders", "export files that held their rows", "vacuumed now:")
        .doesNotContain(member, customer);

    // 1. No row of theirs in any table, the others unchanged.
    for (String t : w.tables()) {
      Dataset<Row> rows = read(w, t);
      assertThat(rows.where(mentions(rows, theirs)).count()).as("rows of theirs in " + t).isZero();
      if (othersBefore.containsKey(t)) {
        assertThat(SparkTestSupport.content(rows)).as("everyone else in " + t).isEqualTo(othersBefore.get(t));
      }
    }
    // 2. No file of any table folder holds them, the old versions' files included (vacuumed).
    //    Parquet files are read together per folder (one Spark read each, not one per file).
    Map<Path, List<String>> parquetByFolder = new java.util.TreeMap<>();
    try (Stream<Path> files = Files.walk(copy)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".parquet")) {
          parquetByFolder.computeIfAbsent(parquetFolder(f), k -> new ArrayList<>()).add(f.toString());
        } else if (name.endsWith(".json") || name.endsWith(".crc") || name.equals("_last_checkpoint")) {
          String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1); // .crc files are binary
          for (String v : theirs) {
            assertThat(text).as(copy.relativize(f) + " (Delta log) holds a value of theirs").doesNotContain(v);
          }
        }
      }
    }
    assertThat(parquetByFolder).as("table folders with data files").hasSizeGreaterThan(10);
    // The scan does see them where they still are: the data files of silver.orders in the original warehouse.
    List<String> original;
    try (Stream<Path> files = Files.walk(home.resolve("silver/orders"))) {
      original = parquetAsJson(home.resolve("silver/orders"), files.map(Path::toString)
          .filter(f -> f.endsWith(".parquet") && !f.contains("_delta_log")).toList());
    }
    assertThat(original).as("the scan finds their rows before forget").anyMatch(j -> theirs.stream().anyMatch(j::contains));
    for (Map.Entry<Path, List<String>> folder : parquetByFolder.entrySet()) {
      for (String json : parquetAsJson(folder.getKey(), folder.getValue())) {
        for (String v : theirs) {
          assertThat(json).as(copy.relativize(folder.getKey()) + " holds a value of theirs in a data file").doesNotContain(v);
        }
      }
    }
    // 3. The audit row holds no PII: a keyed hash of the request, counts and table names.
    Row audit = w.read("ops", ForgetJob.LOG_TABLE).first();
    assertThat(audit.<String>getAs("key_kind")).isEqualTo("member_id");
    assertThat(audit.<String>getAs("request_hash")).isEqualTo(job.requestHash(ForgetJob.Key.MEMBER_ID, member))
        .doesNotContain(member);
    assertThat(audit.<Long>getAs("rows_deleted")).isPositive();
    assertThat(audit.<Object>getAs("vacuumed_at")).isNotNull();
  }

  /** The folder a Parquet file is read with: its table's root (above partition folders), or its _delta_log. */
  static Path parquetFolder(Path file) {
    for (Path dir = file.getParent(); dir != null; dir = dir.getParent()) {
      if (dir.getFileName().toString().equals("_delta_log") || Files.isDirectory(dir.resolve("_delta_log"))) {
        return dir;
      }
    }
    return file.getParent();
  }

  /**
   * Every row of the files as JSON, read in one pass with their schemas merged; should the schemas
   * not merge (a column re-typed by a migration), file by file.
   */
  static List<String> parquetAsJson(Path folder, List<String> files) {
    try {
      return SparkTestSupport.spark().read().option("mergeSchema", "true").option("basePath", folder.toString())
          .parquet(files.toArray(String[]::new)).toJSON().collectAsList();
    } catch (RuntimeException incompatible) {
      List<String> out = new ArrayList<>();
      for (String f : files) {
        out.addAll(SparkTestSupport.spark().read().parquet(f).toJSON().collectAsList());
      }
      return out;
    }
  }

  static Dataset<Row> read(Warehouse w, String table) {
    String[] p = table.split("\\.", 2);
    return w.read(p[0], p[1]);
  }

  /** Any string column containing any of the values (a substring: stricter than what forget matches on). */
  static Column mentions(Dataset<Row> rows, Set<String> values) {
    Column any = functions.lit(false);
    for (StructField f : rows.schema().fields()) {
      if (f.dataType().equals(DataTypes.StringType)) {
        for (String v : values) {
          any = any.or(functions.coalesce(functions.col("`" + f.name() + "`").contains(v), functions.lit(false)));
        }
      }
    }
    return any;
  }
}
