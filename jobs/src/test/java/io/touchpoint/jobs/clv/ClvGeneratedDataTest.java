package io.touchpoint.jobs.clv;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.clv.ClvSettings;
import io.touchpoint.clv.FrequencyModel;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.GeneratedWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer value stage end to end on generated data ({@link GeneratedWorld}: 2,000 persons × 40
 * days through ingest, identity and silver), judged against the generator's truth
 * ({@code _truth/purchase_process.csv}). The stage runs for day 30, so days 31..40 are a holdout;
 * customers are linked to persons through their phone identifier.
 *
 * <p>The generator's purchase process is not BG/NBD: marketing raises the daily hazard, prospects
 * arrive during the window, history before the window is invisible, and a person may drop out after
 * any purchase, the first included, which is MBG/NBD's assumption. So fitted parameters are not
 * compared with configured ones; asserted is what the scores are used for. Seen with seed 23: 893
 * customers scored, 677 linked to one person, 240 of them dropped out by day 30. BG/NBD: AUC of
 * P(alive) for alive vs dropped-out customers 0.518, Spearman(expected, actual holdout purchases)
 * 0.289, holdout expected 343.9 vs 337 actual. MBG/NBD: AUC 0.670, Spearman 0.292, expected 332.4.
 * BG/NBD ranks the dropped-out customers barely better than chance because most of them bought once
 * in the window and BG/NBD holds every one-time buyer alive (P(alive | x = 0) = 1); MBG/NBD does not.
 */
class ClvGeneratedDataTest {
  private static final Logger LOG = LoggerFactory.getLogger(ClvGeneratedDataTest.class);
  static final LocalDate RUN_DATE = GeneratedWorld.START.plusDays(29);
  static final double HOLDOUT_WEEKS = (GeneratedWorld.DAYS - 30) / 7.0;

  /** A scored customer linked to its person: P(alive), expected and actual holdout purchases, truly alive at the run date. */
  record Scored(String customerId, int frequency, double pAlive, double expected, long actual, boolean trulyAlive) {}

  /** One stage run: the model's customers and its fit. */
  record Run(String model, long customersScored, List<Scored> scored, FrequencyModel fitted) {
    double auc() {
      List<Scored> alive = scored.stream().filter(Scored::trulyAlive).toList();
      List<Scored> gone = scored.stream().filter(s -> !s.trulyAlive()).toList();
      double wins = 0;
      for (Scored a : alive) {
        for (Scored g : gone) {
          wins += a.pAlive() > g.pAlive() ? 1 : a.pAlive() == g.pAlive() ? 0.5 : 0;
        }
      }
      return wins / ((double) alive.size() * gone.size());
    }

    double spearman() {
      return new SpearmansCorrelation().correlation(scored.stream().mapToDouble(Scored::expected).toArray(),
          scored.stream().mapToDouble(Scored::actual).toArray());
    }

    double expectedTotal() {
      return scored.stream().mapToDouble(Scored::expected).sum();
    }

    long actualTotal() {
      return scored.stream().mapToLong(Scored::actual).sum();
    }
  }

  static Run bgnbd;
  static Run mbgnbd;

  @BeforeAll
  static void runTheStage() throws IOException {
    GeneratedWorld world = GeneratedWorld.get();
    Map<String, Boolean> aliveOfCustomer = truth(world);
    bgnbd = run(world, "bgnbd", aliveOfCustomer);
    mbgnbd = run(world, "mbgnbd", aliveOfCustomer);
    for (Run r : List.of(bgnbd, mbgnbd)) {
      LOG.info(String.format(Locale.ROOT, "generated CLV, %s: %d customers scored, %d linked to one person (%d truly"
              + " alive at %s); AUC of P(alive) %.3f; Spearman(expected, actual holdout) %.3f; holdout expected %.1f vs"
              + " actual %d; fit %s", r.model(), r.customersScored(), r.scored().size(),
          r.scored().stream().filter(Scored::trulyAlive).count(), RUN_DATE, r.auc(), r.spearman(), r.expectedTotal(),
          r.actualTotal(), r.fitted()));
    }
  }

  /** Customer → alive at the run date, for the customers that are exactly one person (through the phone identifier). */
  static Map<String, Boolean> truth(GeneratedWorld world) throws IOException {
    Map<String, String> phoneOfPerson = new HashMap<>();
    for (String line : Files.readAllLines(world.exports.resolve("_truth/persons.csv")).subList(1, GeneratedWorld.CUSTOMERS + 1)) {
      String[] f = line.split(",", -1);
      phoneOfPerson.put(f[0], "phone:" + f[2]);
    }
    Map<String, String> customerOfIdentifier = new HashMap<>();
    for (Row r : world.warehouse.read("silver", "identity_map").where("identifier_type = 'phone'")
        .select("identifier", "customer_id").collectAsList()) {
      customerOfIdentifier.put(r.getString(0), r.getString(1));
    }
    Map<String, Boolean> alive = new HashMap<>();
    Map<String, Integer> persons = new HashMap<>();
    for (String line : Files.readAllLines(world.exports.resolve("_truth/purchase_process.csv"))
        .subList(1, GeneratedWorld.CUSTOMERS + 1)) {
      String[] f = line.split(",", -1);
      String customer = customerOfIdentifier.get(phoneOfPerson.get(f[0]));
      if (customer != null) {
        // dropped out after a purchase on or before the run date: no longer buying after it
        alive.put(customer, f[4].isEmpty() || LocalDate.parse(f[4]).isAfter(RUN_DATE));
        persons.merge(customer, 1, Integer::sum);
      }
    }
    persons.forEach((customer, n) -> {
      if (n > 1) {
        alive.remove(customer); // two persons merged into one customer: no single truth
      }
    });
    return alive;
  }

  static Run run(GeneratedWorld world, String model, Map<String, Boolean> aliveOfCustomer) {
    Warehouse w = world.warehouse;
    ClvSettings settings = ClvSettings.DEFAULT.withFrequencyModel(model);
    ClvJob.Result result = new ClvJob(w, "generated-clv-" + model).run(RUN_DATE,
        new ClvJob.Options(settings, ClvJob.IfNotIdentified.FAIL));
    Map<String, Double> p = new HashMap<>();
    for (Row r : w.read("gold", ClvJob.MODEL).where("model = '" + model + "'").collectAsList()) {
      p.put(r.getAs("parameter"), r.<Double>getAs("value"));
    }
    FrequencyModel fitted = settings.frequencyModel(p.get("r"), p.get("alpha"), p.get("a"), p.get("b"));
    Map<String, Long> holdout = new HashMap<>();
    for (Row r : w.read("silver", "orders")
        .where("customer_id IS NOT NULL AND order_date > DATE'" + RUN_DATE + "' AND NOT (is_refunded AND net_cny <= 0)")
        .groupBy("customer_id").agg(org.apache.spark.sql.functions.countDistinct("order_date")).collectAsList()) {
      holdout.put(r.getString(0), r.getLong(1));
    }
    List<Scored> scored = new ArrayList<>();
    for (Row r : w.read("restricted", ClvJob.CUSTOMER_VALUE).where("run_date = DATE'" + RUN_DATE + "'").collectAsList()) {
      String id = r.getAs("customer_id");
      if (aliveOfCustomer.containsKey(id)) {
        int x = r.<Integer>getAs("frequency");
        scored.add(new Scored(id, x, r.<Double>getAs("p_alive"),
            fitted.expected(x, r.<Double>getAs("recency_weeks"), r.<Double>getAs("t_weeks"), HOLDOUT_WEEKS),
            holdout.getOrDefault(id, 0L), aliveOfCustomer.get(id)));
      }
    }
    return new Run(model, result.customers(), scored, fitted);
  }

  @Test
  void theStageScoresTheGeneratedCustomers() {
    assertThat(bgnbd.customersScored()).as("customers with a purchase up to day 30").isGreaterThan(500);
    assertThat(mbgnbd.customersScored()).as("same customers with MBG/NBD").isEqualTo(bgnbd.customersScored());
    assertThat(bgnbd.scored().size()).as("scored customers linked to exactly one person")
        .isGreaterThan((int) (0.7 * bgnbd.customersScored()));
    assertThat(bgnbd.scored().stream().filter(s -> !s.trulyAlive()).count()).as("customers who dropped out by day 30")
        .isGreaterThan(100);
  }

  @Test
  void expectedPurchasesRankAndAddUpToTheHoldout() {
    for (Run r : List.of(bgnbd, mbgnbd)) {
      assertThat(r.spearman()).as("%s: Spearman(expected, actual holdout purchase occasions)", r.model())
          .isGreaterThan(0.2);
      assertThat(r.expectedTotal()).as("%s: expected holdout purchases vs actual %d", r.model(), r.actualTotal())
          .isBetween(0.85 * r.actualTotal(), 1.15 * r.actualTotal());
    }
  }

  @Test
  void mbgNbdRanksDroppedOutCustomersBelowActiveOnesBgNbdBarelyDoes() {
    assertThat(mbgnbd.auc()).as("MBG/NBD: AUC of P(alive), truly alive vs dropped-out customers").isGreaterThan(0.62);
    assertThat(mbgnbd.auc()).as("MBG/NBD vs BG/NBD AUC (%.3f)", bgnbd.auc()).isGreaterThan(bgnbd.auc() + 0.1);
    // BG/NBD's one-time buyers are alive by assumption, whatever happened to them.
    assertThat(bgnbd.scored().stream().filter(s -> s.frequency() == 0).allMatch(s -> s.pAlive() == 1.0))
        .as("BG/NBD: P(alive | x = 0) = 1").isTrue();
    assertThat(mbgnbd.scored().stream().filter(s -> s.frequency() == 0).allMatch(s -> s.pAlive() < 1.0))
        .as("MBG/NBD: P(alive | x = 0) < 1").isTrue();
  }
}
