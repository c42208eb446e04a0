package io.touchpoint.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.cli.Touchpoint;
import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.generate.GeneratedPii;
import io.touchpoint.jobs.generate.GeneratorConfig;
import io.touchpoint.jobs.support.LogCapture;
import io.touchpoint.jobs.support.PiiScan;
import io.touchpoint.pii.Pii;
import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import io.touchpoint.jobs.support.WarehouseState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole pipeline on a small generated data set (400 customers x 3 days, 0.5% faulty rows),
 * run twice: once through {@code touchpoint demo} (generate, then one backfill pass: warehouse
 * "backfill") and once as a nightly run per date in order on the same exports ("nightly").
 */
class PipelineEndToEndTest {
  static final LocalDate START = LocalDate.of(2026, 3, 1);
  static final int DAYS = 3;
  static final int CUSTOMERS = 400;
  static final long SEED = 11;
  static final List<String> RUN_COLUMNS = List.of("_ingested_at", "_run_id", "merged_by_run_id");

  @TempDir static Path tmp;
  static Path exports;
  static Warehouse nightly;
  static Warehouse backfill;
  static JsonNode summary;
  static String demoOutput;
  static String runLog;

  @BeforeAll
  static void runPipelineBothWays() throws IOException {
    Path demo = tmp.resolve("demo");
    StringWriter out = new StringWriter();
    CommandLine cl = Touchpoint.commandLine();
    cl.setOut(new PrintWriter(out));
    try (LogCapture log = LogCapture.start()) {
      int code = cl.execute("demo", "--dir", demo.toString(), "--customers", String.valueOf(CUSTOMERS), "--days", String.valueOf(DAYS),
          "--start-date", START.toString(), "--seed", String.valueOf(SEED), "--defect-rate", "0.005", "--master", "local[2]");
      assertThat(code).as("demo exit code").isZero();
      demoOutput = out.toString();
      exports = demo.resolve("exports");
      summary = new ObjectMapper().readTree(exports.resolve("_truth/summary.json").toFile());
      List<LocalDate> dates = Pipeline.range(START, START.plusDays(DAYS - 1));
      nightly = new Warehouse(SparkTestSupport.spark(), tmp.resolve("nightly").toString());
      TouchpointConfig nightlyConfig = SparkTestSupport.config(tmp.resolve("nightly"), exports);
      for (LocalDate d : dates) {
        new Pipeline(nightly, nightlyConfig).run(List.of(d), EnumSet.allOf(Stage.class), "nightly-" + d);
      }
      backfill = new Warehouse(SparkTestSupport.spark(), demo.resolve("warehouse").toString());
      runLog = log.text();
    }
  }

  @Test
  void theDemoSummaryReportsRowsRejectsAndIdentification() {
    assertThat(demoOutput).contains("stage times:", "ingest", "identity", "silver", "clv", "silver.orders",
        "rejects by reason", "identification rate:", "elapsed:");
    // The demo ends with the evaluation report of its last date (ReportTest checks its content).
    java.util.regex.Matcher report = java.util.regex.Pattern.compile("evaluation report: (\\S+\\.html)").matcher(demoOutput);
    assertThat(report.find()).as("the demo prints the report's path").isTrue();
    assertThat(Path.of(report.group(1))).isRegularFile();
    long orders = backfill.read("silver", "orders").count();
    assertThat(demoOutput).containsPattern("identification rate: \\d+\\.\\d% of " + String.format("%,d", orders) + " orders");
    assertThat(demoOutput).contains("marts", "alerts", "headline KPIs (quarter 2026-01-01..2026-03-03, gold.kpi)",
        "repurchase_rate", "cross_channel_purchaser_share", "online_offline_overlap", "ROI per channel (markov)",
        "top channels by Markov credit", "alerts for 2026-03-03");
  }

  @Test
  void aCriticalAlertMakesNightlyExit6AfterEveryWriteNamingTheRule() throws IOException {
    // A rule that must fire on any data (revenue above 0), as the checked-in conf/alerts.yaml of a
    // launcher home; nightly reruns the last date on a copy of the nightly warehouse (ingest skips
    // the unchanged files) with the demo key given through a config file (and --demo, which allows it).
    Path copy = tmp.resolve("nightly-alert");
    try (Stream<Path> files = Files.walk(tmp.resolve("nightly"))) {
      for (Path f : files.toList()) {
        Path target = copy.resolve(tmp.resolve("nightly").relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
    Path home = tmp.resolve("home");
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf/alerts.yaml"), "rules:\n  - {name: any-revenue, kpi: revenue, period: day,"
        + " severity: critical, above: 0}\n");
    Files.writeString(home.resolve("hmac.key"), Pii.DEMO_KEY);
    Files.writeString(home.resolve("touchpoint.properties"), "pii.hmac-key-file=" + home.resolve("hmac.key") + "\n");
    String before = System.getProperty("touchpoint.home");
    System.setProperty("touchpoint.home", home.toString());
    StringWriter err = new StringWriter();
    int code;
    try {
      CommandLine cl = Touchpoint.commandLine();
      cl.setOut(new PrintWriter(new StringWriter()));
      cl.setErr(new PrintWriter(err));
      code = cl.execute("nightly", "--run-date", START.plusDays(DAYS - 1).toString(), "--exports", exports.toString(),
          "--warehouse", copy.toString(), "--config", home.resolve("touchpoint.properties").toString(),
          "--master", "local[2]", "--demo");
    } finally {
      if (before == null) {
        System.clearProperty("touchpoint.home");
      } else {
        System.setProperty("touchpoint.home", before);
      }
    }
    assertThat(code).as("exit code: " + err).isEqualTo(io.touchpoint.errors.Errors.EXIT_CRITICAL_ALERT);
    assertThat(err.toString()).contains("critical alert(s) fired: any-revenue", "gold.alerts");
    assertThat(new Warehouse(SparkTestSupport.spark(), copy.toString()).read("gold", "alerts").where("rule = 'any-revenue' AND run_date = DATE'"
        + START.plusDays(DAYS - 1) + "'").count()).as("written before the exit").isEqualTo(1);
  }

  @Test
  void everyExportRowIsAcceptedOrRejectedAndEveryInjectedFaultIsQuarantined() throws IOException {
    Map<String, Long> logged = new HashMap<>();
    for (Row r : backfill.read("ops", "ingestion_log").collectAsList()) {
      assertThat(r.<Long>getAs("rows_read")).isEqualTo(r.<Long>getAs("rows_accepted") + r.<Long>getAs("rows_rejected"));
      logged.put(r.getAs("source_file"), r.getAs("rows_read"));
    }
    summary.get("rows_by_file").fields().forEachRemaining(e ->
        assertThat(logged.get(e.getKey())).as("rows read from " + e.getKey()).isEqualTo(e.getValue().asLong()));
    Set<String> rejected = new HashSet<>();
    backfill.read("ops", "rejects").select("_source_file", "_row_number").collectAsList()
        .forEach(r -> rejected.add(r.getString(0) + "#" + r.getLong(1)));
    List<String> manifest = Files.readAllLines(exports.resolve("_defects/manifest.csv"));
    assertThat(manifest).hasSizeGreaterThan(5);
    for (String line : manifest.subList(1, manifest.size())) {
      String[] f = line.split(",");
      assertThat(rejected).as("injected " + f[3] + " quarantined").contains(f[1] + "#" + f[2]);
    }
    assertThat(rejected).as("and nothing else: every rejected row is an injected fault").hasSize(manifest.size() - 1);
    long bronzeRows = 0;
    for (String t : backfill.tables()) {
      if (t.startsWith("bronze.")) {
        bronzeRows += backfill.read("bronze", t.substring(7)).count();
      }
    }
    assertThat(bronzeRows + backfill.read("ops", "rejects").count())
        .as("bronze + rejects = every data row of every file").isEqualTo(logged.values().stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void backfillLeavesTheSameTablesAsNightlyRunsInOrder() {
    // The identity history differs by design: ids created and merged inside one backfill were never
    // published. The touch log keeps the ids of when each touch landed, so it is compared resolved.
    List<String> tables = backfill.tables().stream()
        .filter(t -> !t.startsWith("ops.") && !WarehouseState.IDENTITY_HISTORY.contains(t)).toList();
    assertThat(nightly.tables()).containsAll(tables);
    for (String t : tables) {
      assertThat(SparkTestSupport.content(lastRunDate(WarehouseState.resolved(nightly, t)), RUN_COLUMNS.toArray(String[]::new)))
          .as(t).isEqualTo(SparkTestSupport.content(lastRunDate(WarehouseState.resolved(backfill, t)), RUN_COLUMNS.toArray(String[]::new)));
    }
  }

  /** Snapshot tables keyed by run_date (restricted.customer_value, ...): a backfill computes only its last date. */
  private static Dataset<Row> lastRunDate(Dataset<Row> table) {
    return List.of(table.columns()).contains("run_date")
        ? table.where(org.apache.spark.sql.functions.col("run_date").equalTo(START.plusDays(DAYS - 1))) : table;
  }

  @Test
  void ordersReconcileAndIdentificationRateIsPlausible() {
    Dataset<Row> orders = backfill.read("silver", "orders");
    assertThat(orders.select("order_id").distinct().count()).as("order_id is unique").isEqualTo(orders.count());
    assertThat(orders.filter("net_cny <> gross_cny - refund_cny").count()).isZero();
    long identified = orders.filter("is_identified").count();
    double rate = (double) identified / orders.count();
    // Expected from the generator (Behaviour.defaults()): every online order carries an identifier
    // (member, phone, device or marketplace buyer); a store ticket is anonymous only when it carries
    // neither a member code (80 % members × 85 %) nor a phone (70 %): 0.32 × 0.30 ≈ 10 % of about a
    // third of the orders, so about 0.97 (the 50,000-customer demo: 0.965). Fault rows are rejected.
    assertThat(rate).as("identification rate").isBetween(0.92, 0.99);
    Row published = backfill.read("silver", "identification_rate")
        .selectExpr("sum(count_orders)", "sum(count_identified_orders)").first();
    assertThat(published.getLong(0)).as("published orders reconcile with silver.orders").isEqualTo(orders.count());
    assertThat(published.getLong(1)).as("published identified orders").isEqualTo(identified);
    assertThat(orders.filter("is_identified AND customer_id IS NULL").count()).isZero();
    Dataset<Row> customers = backfill.read("silver", "customers");
    assertThat(customers.select("customer_id").distinct().count()).isEqualTo(customers.count());
    assertThat(customers.count()).isEqualTo(backfill.read("silver", "identity_map").select("customer_id").distinct().count());
  }

  /** The generated people's phones, e-mails and buyer names, recomputed from the demo's generator config. */
  static PiiScan generatedPii() {
    GeneratedPii pii = GeneratedPii.of(GeneratorConfig.of(exports, CUSTOMERS, DAYS, START, SEED));
    assertThat(pii.phones).hasSize(CUSTOMERS);
    assertThat(pii.names).as("buyer names").hasSizeGreaterThan(50);
    return pii.scan();
  }

  @Test
  void noPersonalDataInClearInAnyTableLogOrOutputOfTheRuns() {
    PiiScan pii = generatedPii();
    List<String> leaks = new ArrayList<>();
    leaks.addAll(pii.leaks(backfill));
    leaks.addAll(pii.leaks(nightly));
    leaks.addAll(pii.leaks("log of the demo and nightly runs", runLog));
    leaks.addAll(pii.leaks("demo output", demoOutput));
    assertThat(runLog).as("the log was captured").contains("stage ingest started");
    // Every table the run wrote is scanned, whatever stages exist (this small demo skips CLV, so no restricted table).
    assertThat(backfill.tables()).as("tables scanned").contains("bronze.pos__tickets", "bronze.marketplace__orders",
        "ops.rejects", "silver.orders", "gold.attribution_by_channel");
    assertThat(leaks).as("personal data in clear").isEmpty();
  }

  /**
   * Runs that quarantine many rows and runs that fail, through the CLI with a secret key from a
   * key file: their rejected rows, logs, outputs and error messages hold no generated phone,
   * e-mail or name, and never the key.
   */
  @Test
  void rejectedRowsAndFailingRunsLeakNoPersonalDataAndNeverTheKey() throws IOException {
    PiiScan pii = generatedPii();
    String key = java.util.HexFormat.of().formatHex(java.security.SecureRandom.getSeed(32));
    Path keyFile = Files.writeString(tmp.resolve("hmac.key"), key + "\n");
    Path conf = Files.writeString(tmp.resolve("touchpoint.properties"), "pii.hmac-key-file=" + keyFile + "\ningest.gate-min-rows=0\n");
    String usedKey = System.getenv("TOUCHPOINT_HMAC_KEY") != null ? System.getenv("TOUCHPOINT_HMAC_KEY") : key;
    // Break every other data line of day 1's text exports (a field dropped: the line holds its
    // names and phones but no longer splits into its columns) and run ingest on the copy.
    Path broken = tmp.resolve("broken-exports");
    copyDay(exports, broken, START);
    try (Stream<Path> files = Files.walk(broken)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".csv") || p.toString().endsWith(".jsonl")).toList()) {
        Charset cs = f.toString().contains("tmall") || f.toString().contains("pinduoduo") ? Charset.forName("GBK")
            : java.nio.charset.StandardCharsets.UTF_8;
        List<String> lines = new ArrayList<>(List.of(new String(Files.readAllBytes(f), cs).split("\n")));
        for (int i = 1; i < lines.size(); i += 2) {
          String l = lines.get(i);
          lines.set(i, f.toString().endsWith(".jsonl") ? l.substring(0, l.length() - 2) : l.substring(0, l.lastIndexOf(',')));
        }
        Files.write(f, (String.join("\n", lines) + "\n").getBytes(cs));
      }
    }
    List<String> leaks = new ArrayList<>();
    Warehouse brokenWarehouse = new Warehouse(SparkTestSupport.spark(), tmp.resolve("broken-warehouse").toString());
    CliRun gate = cli("ingest", "--run-date", START.toString(), "--exports", broken.toString(), "--warehouse",
        brokenWarehouse.root(), "--config", conf.toString());
    assertThat(gate.code()).as("half the rows rejected: the gate fails the run\n" + gate.err()).isEqualTo(Errors.EXIT_QUALITY_GATE);
    assertThat(gate.err()).contains("accepted share below", "WRONG_FIELD_COUNT");
    long rejected = brokenWarehouse.read("ops", "rejects").count();
    assertThat(rejected).as("rejected rows to scan").isGreaterThan(20);
    assertThat(brokenWarehouse.read("ops", "rejects").where("table_name = 'marketplace__orders'").count())
        .as("rejected marketplace rows (they carry buyer names)").isPositive();
    leaks.addAll(pii.leaks(brokenWarehouse));
    leaks.addAll(gate.scan(pii, "gate failure"));

    Path touches = broken.resolve("touchpoints/" + START + "/touches.parquet");
    byte[] parquet = Files.readAllBytes(touches);
    Files.write(touches, java.util.Arrays.copyOf(parquet, parquet.length / 2));
    CliRun unreadable = cli("ingest", "--run-date", START.toString(), "--exports", broken.toString(), "--warehouse",
        tmp.resolve("w2").toString(), "--config", conf.toString());
    assertThat(unreadable.code()).as(unreadable.err()).isEqualTo(Errors.EXIT_INPUT);
    assertThat(unreadable.err()).contains("Cannot read touchpoints/" + START + "/touches.parquet");
    leaks.addAll(unreadable.scan(pii, "unreadable file"));

    Files.delete(broken.resolve("pos/" + START + "/tickets.csv"));
    CliRun missing = cli("nightly", "--run-date", START.toString(), "--exports", broken.toString(), "--warehouse",
        tmp.resolve("w3").toString(), "--config", conf.toString());
    assertThat(missing.code()).as(missing.err()).isEqualTo(Errors.EXIT_INPUT);
    leaks.addAll(missing.scan(pii, "missing file"));

    assertThat(leaks).as("personal data in clear").isEmpty();
    for (CliRun r : List.of(gate, unreadable, missing)) {
      assertThat(r.out() + r.err() + r.log()).as("the HMAC key is never shown").doesNotContain(usedKey);
    }
  }

  record CliRun(int code, String out, String err, String log) {
    List<String> scan(PiiScan pii, String what) {
      List<String> leaks = new ArrayList<>(pii.leaks(what + " stdout", out));
      leaks.addAll(pii.leaks(what + " stderr", err));
      leaks.addAll(pii.leaks(what + " log", log));
      return leaks;
    }
  }

  static CliRun cli(String... args) {
    CommandLine cl = Touchpoint.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    try (LogCapture log = LogCapture.start()) {
      int code = cl.execute(args);
      return new CliRun(code, out.toString(), err.toString(), log.text());
    }
  }

  static void copyDay(Path from, Path to, LocalDate day) throws IOException {
    try (Stream<Path> dirs = Files.list(from)) {
      for (Path source : dirs.filter(p -> Files.isDirectory(p.resolve(day.toString()))).toList()) {
        Path target = to.resolve(source.getFileName().toString()).resolve(day.toString());
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(source.resolve(day.toString()))) {
          for (Path f : files.toList()) {
            Files.copy(f, target.resolve(f.getFileName().toString()));
          }
        }
      }
    }
  }
}
