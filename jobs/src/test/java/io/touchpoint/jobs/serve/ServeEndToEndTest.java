package io.touchpoint.jobs.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code touchpoint serve} as a BI tool meets it: two real servers in their own JVMs (started
 * like {@code bin/touchpoint} starts the CLI) over the {@link GoldFixture} warehouse, queried by
 * the real Spark Connect JVM client (module connect-client) in a third JVM with its own
 * classpath. The BI server requires a token; the analyst server does not (both on loopback).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeEndToEndTest {
  static final Pattern URL = Pattern.compile("Spark Connect at (sc://\\S+)");
  static final Duration START = Duration.ofMinutes(4);
  static final String GOLD = "gold.attribution_by_channel";

  @TempDir static Path logs;
  static Warehouse warehouse;
  static String token;
  static ChildJvm biServer;
  static ChildJvm analystServer;
  static long goldRowsBefore;
  static String biUrl;
  static String analystUrl;

  // The client's requests, answered in one client JVM (a JVM start costs more than a query).
  static final String PER_MODEL = "sql:SELECT run_date, model, round(sum(conversions), 3), round(sum(revenue_cny), 3) FROM " + GOLD
      + " GROUP BY run_date, model ORDER BY run_date, model";
  static final String RESTRICTED_BY_NAME = "sql:SELECT * FROM restricted.customer_value";
  static final String DELETE = "sql:DELETE FROM " + GOLD;
  static final String SELECT_ONE = "sql:SELECT 1";
  static final String ANALYST_SUM = "sql:SELECT count(*), round(sum(clv_12m_cny), 2) FROM restricted.customer_value";
  static Map<String, List<String>> bi;
  static Map<String, List<String>> noToken;
  static Map<String, List<String>> wrongToken;
  static Map<String, List<String>> analyst;
  static String restrictedByDeltaPath;
  static String ordersByFiles;
  static String restrictedByReader;
  static String ordersByReader;

  @BeforeAll
  static void serveAndAsk() throws Exception {
    warehouse = GoldFixture.warehouse();
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    token = HexFormat.of().formatHex(random);
    biServer = serve("bi", Map.of("TOUCHPOINT_SERVE_TOKEN", token));
    analystServer = serve("analyst", Map.of());
    biUrl = biServer.await(URL, START);
    analystUrl = analystServer.await(URL, START);

    restrictedByDeltaPath = "sql:SELECT * FROM delta.`" + warehouse.path("restricted", "customer_value") + "`";
    ordersByFiles = "sql:SELECT * FROM parquet.`" + warehouse.path("silver", "orders") + "`";
    restrictedByReader = "load:delta:" + warehouse.path("restricted", "customer_value");
    ordersByReader = "load:delta:" + warehouse.path("silver", "orders");
    goldRowsBefore = warehouse.read("gold", "attribution_by_channel").count();
    List<Map<String, List<String>>> all = ask(Map.of("BI_TOKEN", token, "WRONG_TOKEN", "0".repeat(64)),
        "connect:" + biUrl + " token-from:BI_TOKEN",
        "table:" + GOLD, "table:gold.attribution_paths", PER_MODEL, "sql:SHOW TABLES IN gold", "sql:SHOW DATABASES",
        RESTRICTED_BY_NAME, restrictedByDeltaPath, ordersByFiles, restrictedByReader, DELETE,
        "connect:" + biUrl, SELECT_ONE,
        "connect:" + biUrl + " token-from:WRONG_TOKEN", SELECT_ONE,
        "connect:" + analystUrl, ANALYST_SUM, ordersByReader, "sql:SHOW DATABASES");
    bi = all.get(0);
    noToken = all.get(1);
    wrongToken = all.get(2);
    analyst = all.get(3);
  }

  @AfterAll
  static void stopEverything() throws Exception {
    for (ChildJvm p : new ChildJvm[] {biServer, analystServer}) {
      if (p != null) {
        p.close();
      }
    }
  }

  static ChildJvm serve(String role, Map<String, String> env) {
    return ChildJvm.start(ChildJvm.testClasspath(), "io.touchpoint.cli.Touchpoint",
        List.of("serve", "--warehouse", warehouse.root(), "--port", "0", "--role", role, "--refresh-seconds", "0"),
        env, logs.resolve("serve-" + role + ".log"));
  }

  /**
   * Runs the Connect client in its own JVM and classpath. Returns, per session (each
   * {@code connect:} request opens one), the answer of each request: ROW … lines or one ERROR line.
   */
  static List<Map<String, List<String>>> ask(Map<String, String> env, String... requests) throws Exception {
    Path client = ChildJvm.root().resolve("connect-client/target");
    List<String> cp = new ArrayList<>();
    cp.add(client.resolve("classes").toString());
    cp.addAll(List.of(Files.readString(client.resolve("classpath.txt")).strip().split(java.io.File.pathSeparator)));
    try (ChildJvm c = ChildJvm.start(cp, "io.touchpoint.connect.ConnectQuery", List.of(requests), env, logs.resolve("client.log"))) {
      assertThat(c.waitFor(Duration.ofMinutes(5))).as("client exit code; stderr:\n" + c.tail()).isZero();
      List<Map<String, List<String>>> sessions = new ArrayList<>();
      List<String> current = null;
      int answered = 0;
      for (String line : c.output()) {
        if (line.startsWith("## connect:")) {
          sessions.add(new LinkedHashMap<>());
          current = null;
          answered++;
        } else if (line.startsWith("## ")) {
          current = new ArrayList<>();
          sessions.get(sessions.size() - 1).put(line.substring(3), current);
          answered++;
        } else if (current != null) {
          current.add(line);
        } else {
          assertThat(line).as("connecting").isEqualTo("CONNECTED");
        }
      }
      assertThat(answered).as("requests answered; stdout:\n" + String.join("\n", c.output())).isEqualTo(requests.length);
      return sessions;
    }
  }

  /** What the job wrote, read in this JVM, in the client's line format. */
  static List<String> written(Dataset<Row> df) {
    List<String> out = new ArrayList<>();
    for (Row r : df.collectAsList()) {
      StringBuilder b = new StringBuilder("ROW");
      for (int c = 0; c < r.length(); c++) {
        b.append('\t').append(r.isNullAt(c) ? "null" : r.get(c).toString());
      }
      out.add(b.toString());
    }
    return out;
  }

  @Test
  @Order(1)
  void aBiClientReadsTheGoldTablesByNameWithTheValuesTheJobWrote() {
    assertThat(bi.get("table:" + GOLD)).as("every row and value of " + GOLD)
        .isNotEmpty().containsExactlyInAnyOrderElementsOf(written(warehouse.read("gold", "attribution_by_channel")));
    assertThat(bi.get("table:gold.attribution_paths"))
        .isNotEmpty().containsExactlyInAnyOrderElementsOf(written(warehouse.read("gold", "attribution_paths")));
    // Every one of the 7 models credits the fixture's 3 conversions worth 180.00 on each of the 2 run
    // dates (to 3 decimals: the job rounds each channel's Markov credit to 6).
    assertThat(bi.get(PER_MODEL)).hasSize(2 * 7).allSatisfy(line -> assertThat(line)
        .endsWith("\t" + (double) GoldFixture.CONVERSIONS_PER_RUN_DATE + "\t" + GoldFixture.REVENUE_PER_RUN_DATE));
    List<String> goldTables = warehouse.tables().stream().filter(t -> t.startsWith("gold.")).toList();
    assertThat(bi.get("sql:SHOW TABLES IN gold")).as("every gold table, by name")
        .containsExactlyInAnyOrderElementsOf(goldTables.stream().map(t -> "ROW\tgold\t" + t.substring(5) + "\tfalse").toList());
    assertThat(bi.get("sql:SHOW DATABASES")).as("no customer-level schema is named").containsExactlyInAnyOrder("ROW\tdefault", "ROW\tgold");
  }

  @Test
  @Order(2)
  void aBiClientCannotReadACustomerLevelTableByNameOrByPathNorWrite() {
    assertThat(bi.get(RESTRICTED_BY_NAME)).singleElement().asString().startsWith("ERROR").contains("TABLE_OR_VIEW_NOT_FOUND");
    for (String refused : List.of(restrictedByDeltaPath, ordersByFiles, restrictedByReader, DELETE)) {
      assertThat(bi.get(refused)).as(refused).singleElement().asString()
          .startsWith("ERROR").contains("role bi reads the aggregated gold schema only").doesNotContain("C1f0e2d3c4b5a6978");
    }
    assertThat(bi.get(restrictedByReader).get(0)).as("refused before Spark reads the folder").contains("PERMISSION_DENIED");
    assertThat(bi.get(DELETE).get(0)).contains("read-only");
    assertThat(warehouse.read("gold", "attribution_by_channel").count()).as("gold rows after the refused DELETE").isEqualTo(goldRowsBefore);
  }

  @Test
  @Order(3)
  void aClientWithoutTheRightTokenIsRefused() {
    assertThat(noToken.get(SELECT_ONE)).singleElement().asString().startsWith("ERROR").contains("UNAUTHENTICATED");
    assertThat(wrongToken.get(SELECT_ONE)).singleElement().asString().startsWith("ERROR").contains("UNAUTHENTICATED");
  }

  @Test
  @Order(4)
  void anAnalystReadsEverySchema() {
    assertThat(analyst.get(ANALYST_SUM)).containsExactly("ROW\t2\t153.5"); // 120.5 + 33.0
    assertThat(analyst.get(ordersByReader)).as("silver.orders by path").hasSize(3);
    assertThat(analyst.get("sql:SHOW DATABASES")).contains("ROW\tgold", "ROW\trestricted", "ROW\tsilver");
  }

  @Test
  @Order(5)
  void aNonLoopbackAddressWithoutATokenIsRefusedBeforeSparkStarts() throws Exception {
    try (ChildJvm p = ChildJvm.start(ChildJvm.testClasspath(), "io.touchpoint.cli.Touchpoint",
        List.of("serve", "--warehouse", warehouse.root(), "--host", "0.0.0.0", "--port", "0"), Map.of(),
        logs.resolve("serve-open.log"))) {
      assertThat(p.waitFor(Duration.ofMinutes(1))).isEqualTo(Errors.EXIT_CONFIG);
      assertThat(p.tail()).contains("Cannot serve on 0.0.0.0: it is not a loopback address")
          .contains("TOUCHPOINT_SERVE_TOKEN_FILE");
    }
  }

  @Test
  @Order(6)
  void sigtermStopsTheServerCleanly() throws Exception {
    int port = Integer.parseInt(biUrl.substring(biUrl.lastIndexOf(':') + 1));
    int code = biServer.terminate(Duration.ofSeconds(60));
    assertThat(code).as("exit code after SIGTERM (128 + 15); stderr:\n" + biServer.tail()).isEqualTo(143);
    assertThat(biServer.output()).as("stdout").contains("touchpoint serve: stopped");
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2_000);
      throw new AssertionError("port " + port + " still accepts connections");
    } catch (IOException expected) {
      // refused: the endpoint is gone
    }
  }
}
