package io.touchpoint.jobs.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.touchpoint.clv.BgNbd;
import io.touchpoint.clv.ClvSettings;
import io.touchpoint.clv.Customers;
import io.touchpoint.clv.GammaGamma;
import io.touchpoint.clv.Transaction;
import io.touchpoint.clv.TransactionSummary;
import io.touchpoint.clv.Valuation;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job end to end on {@code silver.orders} built from the CDNOW sample (2,357 customers, 6,919
 * transactions, Fader, Hardie &amp; Lee 2005), calibration ending 1997-09-30: the Spark path must
 * reproduce the library's fit and predictions. Customers with an odd id are given channel "store",
 * even ids "tmall". The job is run twice (two run ids) to check that a rerun changes nothing.
 */
class ClvJobCdnowTest {
  static final LocalDate RUN = LocalDate.of(1997, 9, 30);
  static final int CUSTOMERS = 2357;

  @TempDir static Path tmp;
  static Warehouse warehouse;
  static List<Transaction> transactions = new ArrayList<>();
  static ClvJob.Result first;
  static Map<String, List<String>> firstContent = new HashMap<>();
  static Map<String, List<String>> secondContent = new HashMap<>();
  static Map<String, Row> value = new HashMap<>();
  static Map<String, Row> model = new HashMap<>();

  @BeforeAll
  static void runTwice() throws IOException {
    Path file = Path.of(System.getProperty("touchpoint.shared", "../shared"), "reference", "clv", "CDNOW_sample.txt");
    List<Row> orders = new ArrayList<>();
    int line = 0;
    for (String l : Files.readAllLines(file)) {
      String[] f = l.trim().split("\\s+");
      LocalDate day = LocalDate.parse(f[2], DateTimeFormatter.BASIC_ISO_DATE);
      String channel = Integer.parseInt(f[1]) % 2 == 1 ? "store" : "tmall";
      orders.add(ClvOrders.sale("cdnow:" + line++, f[1], channel, day, 4, f[4]));
      transactions.add(new Transaction(f[1], day, Double.parseDouble(f[4])));
    }
    warehouse = new Warehouse(SparkTestSupport.spark(), tmp.resolve("warehouse").toString());
    ClvOrders.frame(orders).write().format("delta").save(warehouse.path("silver", "orders"));

    first = new ClvJob(warehouse, "run-1").run(RUN, ClvJob.Options.PIPELINE);
    snapshot(firstContent);
    new ClvJob(warehouse, "run-2").run(RUN, ClvJob.Options.PIPELINE);
    snapshot(secondContent);
    for (Row r : warehouse.read(ClvJob.RESTRICTED, ClvJob.CUSTOMER_VALUE).collectAsList()) {
      value.put(r.getAs("customer_id"), r);
    }
    for (Row r : warehouse.read(ClvJob.GOLD, ClvJob.MODEL).collectAsList()) {
      model.put(r.getAs("model") + "." + r.getAs("parameter"), r);
    }
  }

  static void snapshot(Map<String, List<String>> into) {
    for (String t : List.of(ClvJob.CUSTOMER_VALUE, ClvJob.MODEL, ClvJob.BY_CHANNEL)) {
      into.put(t, SparkTestSupport.content(warehouse.read(ClvJob.schemaOf(t), t)));
    }
  }

  static double parameter(String name) {
    return model.get(name).<Double>getAs("value");
  }

  @Test
  void theSparkPathReproducesThePublishedCdnowFit() {
    assertThat(first.skipped()).as("fitted, not skipped").isFalse();
    assertThat(first.customers()).as("customers scored").isEqualTo(CUSTOMERS);
    // FHL 2005 / docs/CLV.md: r 0.24259, alpha 4.41360, a 0.79292, b 2.42591, LL -9582.4292
    assertThat(parameter("bgnbd.r")).as("r").isCloseTo(0.24259, within(1e-4));
    assertThat(parameter("bgnbd.alpha")).as("alpha").isCloseTo(4.41360, within(1e-4));
    assertThat(parameter("bgnbd.a")).as("a").isCloseTo(0.79292, within(1e-4));
    assertThat(parameter("bgnbd.b")).as("b").isCloseTo(2.42591, within(1e-4));
    assertThat(model.get("bgnbd.r").<Double>getAs("log_likelihood")).as("BG/NBD LL").isCloseTo(-9582.4292, within(1e-3));
    assertThat(model.get("bgnbd.r").<Long>getAs("n")).as("BG/NBD n").isEqualTo(CUSTOMERS);
    assertThat(model.get("bgnbd.r").<Boolean>getAs("converged")).as("BG/NBD converged").isTrue();
    assertThat(model.get("bgnbd.r").<Double>getAs("standard_error")).as("se(r)").isPositive();
    // Gamma-Gamma (FH 2013): p 6.2496, q 3.7442, gamma 15.4435, LL -4055.918 on the 946 repeaters
    assertThat(parameter("gamma_gamma.p")).as("p").isCloseTo(6.2496, within(1e-3));
    assertThat(parameter("gamma_gamma.q")).as("q").isCloseTo(3.7442, within(1e-3));
    assertThat(parameter("gamma_gamma.gamma")).as("gamma").isCloseTo(15.4435, within(1e-3));
    assertThat(model.get("gamma_gamma.p").<Double>getAs("log_likelihood")).as("GG LL").isCloseTo(-4055.918, within(1e-2));
    assertThat(model.get("gamma_gamma.p").<Long>getAs("n")).as("GG n: repeat customers").isEqualTo(946);
    assertThat(parameter("clv_settings.margin")).isEqualTo(0.30);
    assertThat(parameter("clv_settings.discount_monthly")).isEqualTo(0.01);
    assertThat(parameter("clv_settings.horizon_months")).isEqualTo(12.0);
    assertThat(model).as("4 + 3 parameters + 3 settings, one row each").hasSize(10);
  }

  @Test
  void everyCustomerMatchesTheLibrarysSummaryAndPredictions() {
    Customers lib = TransactionSummary.summarize(transactions, RUN, null);
    BgNbd bgnbd = new BgNbd(parameter("bgnbd.r"), parameter("bgnbd.alpha"), parameter("bgnbd.a"), parameter("bgnbd.b"));
    GammaGamma spend = new GammaGamma(parameter("gamma_gamma.p"), parameter("gamma_gamma.q"), parameter("gamma_gamma.gamma"));
    assertThat(value).as("one row per CDNOW customer").hasSize(lib.size());
    for (int i = 0; i < lib.size(); i++) {
      Row r = value.get(lib.ids()[i]);
      String who = "customer " + lib.ids()[i];
      int x = lib.frequency()[i];
      double tx = lib.recency()[i];
      double t = lib.age()[i];
      double m = lib.monetary()[i];
      assertThat(r.<Integer>getAs("frequency")).as(who + " x").isEqualTo(x);
      assertThat(r.<Double>getAs("recency_weeks")).as(who + " t_x").isCloseTo(tx, within(1e-12));
      assertThat(r.<Double>getAs("t_weeks")).as(who + " T").isCloseTo(t, within(1e-12));
      if (x > 0) {
        assertThat(r.<Double>getAs("monetary_cny")).as(who + " monetary").isCloseTo(m, within(1e-9));
      }
      assertThat(r.<Double>getAs("p_alive")).as(who + " P(alive)").isCloseTo(bgnbd.probabilityAlive(x, tx, t), within(1e-12));
      assertThat(r.<Double>getAs("expected_purchases_365d")).as(who + " E[Y(365 d)]")
          .isCloseTo(bgnbd.expected(x, tx, t, 365 / 7.0), within(1e-12));
      assertThat(r.<Double>getAs("clv_12m_cny")).as(who + " CLV")
          .isCloseTo(Valuation.clv(bgnbd, spend, x, tx, t, m, ClvSettings.DEFAULT), within(1e-9));
    }
  }

  @Test
  void invariantsHold() {
    List<Row> rows = new ArrayList<>(value.values());
    long high = rows.stream().filter(r -> r.<Boolean>getAs("is_high_value")).count();
    assertThat(high).as("exactly floor(20% of 2,357) flagged high value").isEqualTo(471);
    double lowestHigh = rows.stream().filter(r -> r.<Boolean>getAs("is_high_value"))
        .mapToDouble(r -> r.<Double>getAs("clv_12m_cny")).min().orElseThrow();
    double highestOther = rows.stream().filter(r -> !r.<Boolean>getAs("is_high_value"))
        .mapToDouble(r -> r.<Double>getAs("clv_12m_cny")).max().orElseThrow();
    assertThat(lowestHigh).as("every high-value CLV >= every other CLV").isGreaterThanOrEqualTo(highestOther);
    for (Row r : rows) {
      double alive = r.getAs("p_alive");
      assertThat(alive).as("P(alive) in [0, 1]").isBetween(0.0, 1.0);
      assertThat(r.<Double>getAs("churn_risk")).as("churn = 1 - P(alive)").isCloseTo(1 - alive, within(1e-15));
      assertThat(r.<Boolean>getAs("is_high_value_at_risk")).as("at risk = high value and P(alive) < 0.5")
          .isEqualTo(r.<Boolean>getAs("is_high_value") && alive < 0.5);
      assertThat(r.<Double>getAs("expected_purchases_90d")).as("E[Y(90 d)] <= E[Y(365 d)]")
          .isLessThanOrEqualTo(r.<Double>getAs("expected_purchases_365d"));
      assertThat(r.<LocalDate>getAs("run_date")).isEqualTo(RUN);
    }
    // CDNOW's cohort first bought in Jan-Mar 1997, so nobody is new on 1997-09-30.
    Map<String, Long> segments = new HashMap<>();
    rows.forEach(r -> segments.merge(r.getAs("lifecycle_segment"), 1L, Long::sum));
    assertThat(segments.keySet()).as("segments").doesNotContain("new").contains("active", "dormant");
    assertThat(rows.stream().filter(r -> r.<Boolean>getAs("is_high_value_at_risk")).count())
        .as("some high-value customers are at risk").isPositive();
  }

  @Test
  void channelTotalsReconcileWithCustomerValue() {
    List<Row> channels = warehouse.read(ClvJob.GOLD, ClvJob.BY_CHANNEL).collectAsList();
    assertThat(channels).as("store (odd ids) and tmall (even ids)").hasSize(2);
    for (Row c : channels) {
      String channel = c.getAs("acquisition_channel");
      List<Row> members = value.values().stream().filter(r -> channel.equals(r.getAs("acquisition_channel"))).toList();
      double total = members.stream().mapToDouble(r -> r.<Double>getAs("clv_12m_cny")).sum();
      assertThat(c.<Long>getAs("customers")).as(channel + " customers").isEqualTo(members.size());
      assertThat(c.<Double>getAs("total_clv_cny")).as(channel + " total CLV").isCloseTo(total, within(1e-6));
      assertThat(c.<Double>getAs("mean_clv_cny")).as(channel + " mean CLV").isCloseTo(total / members.size(), within(1e-9));
    }
    assertThat(channels.stream().mapToLong(r -> r.<Long>getAs("customers")).sum()).as("customers conserved").isEqualTo(CUSTOMERS);
  }

  @Test
  void aRerunOfTheDateChangesNothing() {
    for (String t : firstContent.keySet()) {
      assertThat(secondContent.get(t)).as("gold." + t + " after a rerun").isEqualTo(firstContent.get(t));
    }
    assertThat(secondContent.get(ClvJob.CUSTOMER_VALUE)).as("no duplicate rows").hasSize(CUSTOMERS);
  }
}
