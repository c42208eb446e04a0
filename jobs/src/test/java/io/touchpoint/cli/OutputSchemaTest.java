package io.touchpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.touchpoint.errors.Errors;
import io.touchpoint.errors.TouchpointException;
import io.touchpoint.jobs.spark.Sandbox;
import io.touchpoint.jobs.spark.TableWriter;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --output-schema}: ad-hoc attribution and clv runs with other parameters into
 * {@code sandbox_alice} leave every file of the production warehouse as it was, and the sandbox
 * holds what a production run with those parameters would have written (the same runs on a copy
 * of the warehouse). Production ran first with the defaults, on a small synthetic silver layer.
 */
class OutputSchemaTest {
  static final LocalDate RUN_DATE = LocalDate.of(2026, 3, 31);
  static final List<String> CHANNELS = List.of("search_ads", "display", "social_ads", "email", "sms");
  static final List<String> SALES = List.of("webshop", "app", "store", "tmall");
  static final String[] AD_HOC_ATTRIBUTION = {"attribution", "--from", "2026-03-11", "--to", "2026-03-31", "--order", "2",
      "--models", "markov,last", "--bootstrap", "0"};
  static final String[] AD_HOC_CLV = {"clv", "--run-date", "2026-03-31", "--margin", "0.5"};
  static final List<String> SANDBOX_TABLES = List.of("attribution_by_channel", "attribution_daily",
      "attribution_journeys_daily", "attribution_paths", "attribution_transitions", "clv_model", "customer_value",
      "first_purchase_credit", "ltv_by_acquisition_channel");
  static final Set<String> RESTRICTED_TABLES = Set.of("customer_value", "first_purchase_credit");

  @TempDir static Path tmp;
  static Path prod;
  static Path copy;
  static Path config;
  static Map<String, String> filesBefore;
  static Map<String, String> filesAfter;
  static String attributionOutput;

  @BeforeAll
  static void productionThenAdHocRuns() throws IOException {
    prod = tmp.resolve("prod");
    copy = tmp.resolve("copy");
    Path key = Files.writeString(tmp.resolve("hmac.key"), "0123456789abcdef0123456789abcdef-test-only");
    config = Files.writeString(tmp.resolve("touchpoint.properties"),
        "pii.hmac-key-file=" + key + "\nspark.shuffle-partitions=2\n");
    Warehouse production = new Warehouse(SparkTestSupport.spark(), prod.toString());
    touches().write().format("delta").save(production.path("silver", "touchpoints"));
    orders().write().format("delta").save(production.path("silver", "orders"));
    run(prod, "attribution", "--run-date", RUN_DATE.toString(), "--bootstrap", "20");
    run(prod, "clv", "--run-date", RUN_DATE.toString());
    copyTree(prod, copy);

    filesBefore = files(prod);
    attributionOutput = run(prod, with(AD_HOC_ATTRIBUTION, "--output-schema", "alice"));
    run(prod, with(AD_HOC_CLV, "--output-schema", "sandbox_alice"));
    filesAfter = files(prod);

    run(copy, AD_HOC_ATTRIBUTION);
    run(copy, AD_HOC_CLV);
  }

  @Test
  void productionFilesAreByteForByteUnchanged() {
    Map<String, String> production = new TreeMap<>(filesAfter);
    production.keySet().removeIf(f -> f.startsWith("sandbox_alice/"));
    assertThat(filesBefore).as("production warehouse files").hasSizeGreaterThan(20);
    assertThat(production).as("every production file (data and _delta_log), path -> SHA-256").isEqualTo(filesBefore);
  }

  @Test
  void theSandboxHoldsExactlyTheAdHocTables() {
    TreeSet<String> tables = new TreeSet<>();
    filesAfter.keySet().stream().filter(f -> f.startsWith("sandbox_alice/") && f.contains("/_delta_log/"))
        .forEach(f -> tables.add(f.split("/")[1]));
    assertThat(tables).containsExactlyElementsOf(new TreeSet<>(SANDBOX_TABLES));
    assertThat(attributionOutput).contains("wrote sandbox_alice.attribution_by_channel, sandbox_alice.attribution_paths,"
        + " sandbox_alice.attribution_transitions");
    // Name the production warehouse's tables again: the reference runs on the copy, which opened last,
    // re-pointed the JVM's catalog to the copy (where no sandbox exists).
    Warehouse.open(SparkTestSupport.spark(), prod.toString());
    assertThat(SparkTestSupport.spark().sql("SELECT count(*) FROM sandbox_alice.clv_model").first().getLong(0))
        .as("the sandbox is registered as a schema").isEqualTo(10);
  }

  @Test
  void theSandboxHoldsWhatProductionWouldHaveWritten() {
    Warehouse sandbox = new Warehouse(SparkTestSupport.spark(), prod.toString());
    Warehouse reference = new Warehouse(SparkTestSupport.spark(), copy.toString());
    for (String t : SANDBOX_TABLES) {
      String schema = RESTRICTED_TABLES.contains(t) ? "restricted" : "gold";
      Dataset<Row> expected = reference.read(schema, t);
      Dataset<Row> actual = sandbox.read("sandbox_alice", t);
      if (java.util.Arrays.asList(expected.columns()).contains("markov_order")) {
        expected = expected.where("markov_order = 2"); // the copy also keeps production's order-1 rows
      } else if (t.equals("attribution_journeys_daily")) {
        // Not per order: the copy keeps production's rows of end dates outside the ad-hoc window.
        expected = expected.join(actual.select("end_date").distinct(), "end_date").select(actual.columns()[0],
            java.util.Arrays.copyOfRange(actual.columns(), 1, actual.columns().length));
      }
      List<String> rows = SparkTestSupport.content(actual);
      if (!t.equals("first_purchase_credit")) {
        // (first purchases credited depend on the fixture's dates; equality below still covers the table)
        assertThat(rows).as("sandbox_alice." + t).isNotEmpty();
      }
      assertThat(rows).as("sandbox_alice." + t).isEqualTo(SparkTestSupport.content(expected));
    }
  }

  @Test
  void theAdHocAttributionUsesItsPeriodOrderAndModels() {
    Warehouse w = new Warehouse(SparkTestSupport.spark(), prod.toString());
    List<Row> scopes = w.read("sandbox_alice", "attribution_by_channel")
        .selectExpr("CAST(period_start AS STRING)", "CAST(period_end AS STRING)", "markov_order", "model").distinct()
        .orderBy("model").collectAsList();
    assertThat(scopes.toString()).isEqualTo("[[2026-03-11,2026-03-31,2,last], [2026-03-11,2026-03-31,2,markov]]");
    Map<String, Double> perModel = new HashMap<>();
    w.read("sandbox_alice", "attribution_by_channel").groupBy("model").sum("conversions").collectAsList()
        .forEach(r -> perModel.put(r.getString(0), r.getDouble(1)));
    assertThat(perModel.get("markov")).as("both models attribute the same converting journeys")
        .isCloseTo(perModel.get("last"), within(1e-6));
    assertThat(w.read("gold", "attribution_by_channel").where("markov_order = 2 OR period_start = DATE'2026-03-11'")
        .count()).as("production has no ad-hoc rows").isZero();
  }

  /**
   * Only the margin changed and the fit does not depend on it, so every customer's CLV is
   * production's x 0.5 / 0.30, and p_alive is unchanged.
   */
  @Test
  void theAdHocClvScalesWithTheMarginAndProductionKeepsItsOwn() {
    Warehouse w = new Warehouse(SparkTestSupport.spark(), prod.toString());
    List<Row> pairs = w.read("restricted", "customer_value").as("p")
        .join(w.read("sandbox_alice", "customer_value").as("s"), "customer_id")
        .selectExpr("p.clv_12m_cny", "s.clv_12m_cny", "p.p_alive", "s.p_alive").collectAsList();
    assertThat(pairs).hasSizeGreaterThan(20);
    for (Row r : pairs) {
      assertThat(r.getDouble(1)).isCloseTo(r.getDouble(0) * 0.5 / 0.3, within(1e-6 * Math.max(1, r.getDouble(0))));
      assertThat(r.getDouble(3)).isEqualTo(r.getDouble(2));
    }
    assertThat(margin(w, "gold")).as("production margin").isEqualTo(0.30);
    assertThat(margin(w, "sandbox_alice")).as("ad-hoc margin").isEqualTo(0.5);
  }

  @Test
  void aSandboxRunRefusesToWriteTheStateSchemas() {
    Warehouse w = new Warehouse(SparkTestSupport.spark(), prod.toString(), Optional.of(new Sandbox("alice")));
    TableWriter writer = new TableWriter(w, "test", "test");
    Dataset<Row> one = SparkTestSupport.spark().sql("SELECT 'x' AS order_id");
    assertThatThrownBy(() -> writer.upsert(one, "silver", "orders", List.of("order_id"), List.of()))
        .isInstanceOf(TouchpointException.class)
        .hasMessageContaining("Cannot write silver.orders from a run into sandbox_alice")
        .hasMessageContaining("without --output-schema");
    assertThat(w.exists("silver", "orders")).as("reads still see production").isTrue();
  }

  @Test
  void theStateCommandsRefuseASandboxBeforeStartingSpark() {
    for (String command : List.of("nightly", "ingest", "identity", "silver")) {
      CliTest.Run r = CliTest.run(command, "--run-date", "2026-03-31", "--output-schema", "alice");
      assertThat(r.code()).as(command).isEqualTo(Errors.EXIT_USAGE);
      assertThat(r.err()).as(command).contains("Cannot run " + command + " into sandbox_alice: " + command
          + " writes bronze/silver");
    }
    CliTest.Run backfill = CliTest.run("backfill", "--from", "2026-03-01", "--to", "2026-03-31", "--output-schema", "alice");
    assertThat(backfill.code()).isEqualTo(Errors.EXIT_USAGE);
  }

  @Test
  void theCommandsWithoutASandboxModeRefuseItInsteadOfWritingProduction() {
    // marts and alerts once ignored --output-schema and replaced production gold rows.
    for (List<String> args : List.of(List.of("marts", "--run-date", "2026-03-31"),
        List.of("marts", "--run-date", "2026-03-31", "--dry-run"), List.of("alerts", "--run-date", "2026-03-31"),
        List.of("publish", "--run-date", "2026-03-31"), List.of("lineage", "--table", "gold.kpi"),
        List.of("report", "--run-date", "2026-03-31", "--out", "report"))) {
      List<String> line = new java.util.ArrayList<>(args);
      line.addAll(List.of("--output-schema", "alice"));
      CliTest.Run r = CliTest.run(line.toArray(String[]::new));
      assertThat(r.code()).as(String.join(" ", line)).isEqualTo(Errors.EXIT_USAGE);
      assertThat(r.err()).as(String.join(" ", line)).contains("Cannot run " + args.get(0) + " with --output-schema alice")
          .contains("so it has no sandbox mode");
    }
  }

  @Test
  void aSandboxNameMustBeASafeIdentifier() {
    for (String bad : List.of("Alice", "a-b", "1st", "a.b", "../gold", "sandbox_")) {
      CliTest.Run r = CliTest.run("clv", "--run-date", "2026-03-31", "--output-schema", bad);
      assertThat(r.code()).as(bad).isEqualTo(Errors.EXIT_USAGE);
      assertThat(r.err()).as(bad).contains("Cannot use --output-schema").contains("lower-case identifier");
    }
    assertThat(Sandbox.parse("sandbox_q2").schema()).isEqualTo("sandbox_q2");
    assertThat(Sandbox.parse("q2").schema()).isEqualTo("sandbox_q2");
  }

  @Test
  void theAttributionPeriodIsARunDateAndWindowOrAFromToRange() {
    for (String[] args : List.of(new String[] {"--run-date", "2026-03-31", "--from", "2026-03-01"},
        new String[] {"--from", "2026-03-01", "--to", "2026-03-31", "--window-days", "7"},
        new String[] {"--to", "2026-03-31"}, new String[] {})) {
      CliTest.Run r = CliTest.run(with(new String[] {"attribution"}, args));
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(Errors.EXIT_USAGE);
      assertThat(r.err()).contains("Cannot choose the conversion period");
    }
    CliTest.Run backwards = CliTest.run("attribution", "--from", "2026-03-31", "--to", "2026-03-01");
    assertThat(backwards.err()).contains("--to is before --from");
  }

  private static double margin(Warehouse w, String schema) {
    return w.read(schema, "clv_model").where("model = 'clv_settings' AND parameter = 'margin'").first().getAs("value");
  }

  private static String run(Path warehouse, String... args) {
    CommandLine cl = Touchpoint.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(with(args, "--warehouse", warehouse.toString(), "--config", config.toString()));
    assertThat(code).as(String.join(" ", args) + "\n" + err).isZero();
    return out.toString();
  }

  private static String[] with(String[] args, String... more) {
    return Stream.concat(Stream.of(args), Stream.of(more)).toArray(String[]::new);
  }

  /** Every file under {@code root}, as relative path -> SHA-256 of its bytes. */
  private static Map<String, String> files(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(f).toString(), sha256(Files.readAllBytes(f)));
      }
    }
    return out;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      walk.forEach(p -> {
        try {
          Files.copy(p, to.resolve(from.relativize(p).toString()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  // --- a small silver layer: 40 identified customers, 1-4 purchase days each in Jan-Mar 2026, touches before them ---

  static final StructType TOUCHES = new StructType()
      .add("event_id", DataTypes.StringType).add("event_type", DataTypes.StringType).add("channel", DataTypes.StringType)
      .add("campaign_id", DataTypes.StringType).add("event_at", DataTypes.TimestampType).add("event_date", DataTypes.DateType)
      .add("customer_id", DataTypes.StringType).add("is_identified", DataTypes.BooleanType)
      .add("_export_date", DataTypes.DateType);
  static final StructType ORDERS = new StructType()
      .add("order_id", DataTypes.StringType).add("source", DataTypes.StringType).add("sales_channel", DataTypes.StringType)
      .add("channel_group", DataTypes.StringType).add("ordered_at", DataTypes.TimestampType).add("order_date", DataTypes.DateType)
      .add("customer_id", DataTypes.StringType).add("is_identified", DataTypes.BooleanType)
      .add("gross_cny", DataTypes.createDecimalType(18, 2)).add("refund_cny", DataTypes.createDecimalType(18, 2))
      .add("net_cny", DataTypes.createDecimalType(18, 2)).add("is_refunded", DataTypes.BooleanType)
      .add("first_export_date", DataTypes.DateType);

  /** Purchase days per customer, fixed by the seed: day offsets from 2026-01-01 (0..89), distinct. */
  private static Map<String, TreeSet<Integer>> purchases() {
    Random random = new Random(7);
    Map<String, TreeSet<Integer>> out = new TreeMap<>();
    for (int c = 1; c <= 40; c++) {
      TreeSet<Integer> days = new TreeSet<>();
      int n = 1 + random.nextInt(4);
      while (days.size() < n) {
        days.add(random.nextInt(90));
      }
      out.put(String.format("C%02d", c), days);
    }
    return out;
  }

  private static Dataset<Row> orders() {
    Random random = new Random(11);
    List<Row> rows = new ArrayList<>();
    purchases().forEach((customer, days) -> {
      for (int day : days) {
        String sales = SALES.get(random.nextInt(SALES.size()));
        Instant at = LocalDate.of(2026, 1, 1).plusDays(day).atTime(4, 0).toInstant(ZoneOffset.UTC);
        BigDecimal net = BigDecimal.valueOf(50 + random.nextInt(451)).setScale(2);
        rows.add(RowFactory.create(customer + "-" + day, sales.equals("store") ? "pos" : "webshop", sales,
            sales.equals("store") ? "offline" : "online", at, LocalDate.ofInstant(at, ZoneOffset.UTC), customer, true,
            net, BigDecimal.ZERO.setScale(2), net, false, LocalDate.ofInstant(at, ZoneOffset.UTC)));
      }
    });
    return SparkTestSupport.spark().createDataFrame(rows, ORDERS);
  }

  /** One to three touches in the five days before each purchase, and one touch a week after the last. */
  private static Dataset<Row> touches() {
    Random random = new Random(13);
    List<Row> rows = new ArrayList<>();
    purchases().forEach((customer, days) -> {
      List<Integer> touchDays = new ArrayList<>();
      for (int day : days) {
        for (int k = 1 + random.nextInt(3); k > 0; k--) {
          touchDays.add(day - 1 - random.nextInt(5));
        }
      }
      touchDays.add(days.last() + 7);
      for (int i = 0; i < touchDays.size(); i++) {
        Instant at = LocalDate.of(2026, 1, 1).plusDays(touchDays.get(i)).atTime(3, i % 60).toInstant(ZoneOffset.UTC);
        LocalDate date = LocalDate.ofInstant(at, ZoneOffset.UTC);
        rows.add(RowFactory.create(customer + "-t" + i, "click", CHANNELS.get(random.nextInt(CHANNELS.size())), null, at,
            date, customer, true, date));
      }
    });
    return SparkTestSupport.spark().createDataFrame(rows, TOUCHES);
  }
}
