package io.touchpoint.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.cli.Touchpoint;
import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import io.touchpoint.pii.Pii;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
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
  static final List<String> RUN_COLUMNS = List.of("_ingested_at", "_run_id", "merged_by_run_id");

  @TempDir static Path tmp;
  static Path exports;
  static Warehouse nightly;
  static Warehouse backfill;
  static JsonNode summary;
  static String demoOutput;

  @BeforeAll
  static void runPipelineBothWays() throws IOException {
    Path demo = tmp.resolve("demo");
    StringWriter out = new StringWriter();
    CommandLine cl = Touchpoint.commandLine();
    cl.setOut(new PrintWriter(out));
    int code = cl.execute("demo", "--dir", demo.toString(), "--customers", "400", "--days", String.valueOf(DAYS),
        "--start-date", START.toString(), "--seed", "11", "--defect-rate", "0.005", "--master", "local[2]");
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
  }

  @Test
  void theDemoSummaryReportsRowsRejectsAndIdentification() {
    assertThat(demoOutput).contains("stage times:", "ingest", "identity", "silver", "clv", "silver.orders",
        "rejects by reason", "identification rate:", "elapsed:");
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
    // the unchanged files) with the demo key given through a config file.
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
          "--master", "local[2]");
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
    // identity_merges differs by design: ids created and merged inside one backfill were never published.
    List<String> tables = backfill.tables().stream()
        .filter(t -> !t.startsWith("ops.") && !t.equals("silver.identity_merges")).toList();
    assertThat(nightly.tables()).containsAll(tables);
    for (String t : tables) {
      String[] p = t.split("\\.");
      assertThat(SparkTestSupport.content(lastRunDate(nightly.read(p[0], p[1])), RUN_COLUMNS.toArray(String[]::new)))
          .as(t).isEqualTo(SparkTestSupport.content(lastRunDate(backfill.read(p[0], p[1])), RUN_COLUMNS.toArray(String[]::new)));
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
    assertThat(rate).as("identification rate").isBetween(0.6, 0.95);
    Row published = backfill.read("silver", "identification_rate")
        .selectExpr("sum(count_orders)", "sum(count_identified_orders)").first();
    assertThat(published.getLong(0)).as("published orders reconcile with silver.orders").isEqualTo(orders.count());
    assertThat(published.getLong(1)).as("published identified orders").isEqualTo(identified);
    assertThat(orders.filter("is_identified AND customer_id IS NULL").count()).isZero();
    Dataset<Row> customers = backfill.read("silver", "customers");
    assertThat(customers.select("customer_id").distinct().count()).isEqualTo(customers.count());
    assertThat(customers.count()).isEqualTo(backfill.read("silver", "identity_map").select("customer_id").distinct().count());
  }

  @Test
  void noTableHoldsAPhoneNumberOrEmailInClear() throws IOException {
    Set<String> phones = new HashSet<>();
    Pattern phone = Pattern.compile("(?<![0-9A-Za-z])(?:\\+86 ?)?1[3-9]\\d[ -]?\\d{4}[ -]?\\d{4}(?![0-9A-Za-z])");
    try (Stream<Path> files = Files.walk(exports)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".csv") || p.toString().endsWith(".jsonl")).toList()) {
        Matcher m = phone.matcher(Files.readString(f, f.toString().contains("tmall") || f.toString().contains("pinduoduo")
            ? Charset.forName("GBK") : java.nio.charset.StandardCharsets.UTF_8));
        while (m.find()) {
          String digits = m.group().replaceAll("[^0-9]", "");
          phones.add(digits.substring(digits.length() - 11));
        }
      }
    }
    assertThat(phones).as("the exports do contain phones to leak").hasSizeGreaterThan(50);
    for (String t : backfill.tables()) {
      String[] p = t.split("\\.");
      Dataset<Row> df = backfill.read(p[0], p[1]);
      for (StructField field : df.schema().fields()) {
        if (!field.dataType().equals(DataTypes.StringType)) {
          continue;
        }
        for (Row r : df.select(field.name()).distinct().collectAsList()) {
          String v = r.getString(0);
          if (v == null) {
            continue;
          }
          assertThat(Pii.looksLikePii(v)).as(t + "." + field.name() + " value " + v).isFalse();
          // A phone is 11 digits standing alone (as typed, or in E.164); inside a hex hash it is not one.
          Matcher inValue = phone.matcher(v);
          while (inValue.find()) {
            String digits = inValue.group().replaceAll("[^0-9]", "");
            assertThat(phones).as(t + "." + field.name() + " holds a phone in clear: " + v)
                .doesNotContain(digits.substring(digits.length() - 11));
          }
        }
      }
    }
  }
}
