package io.touchpoint.jobs.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.touchpoint.attribution.AttributionJourneys;
import io.touchpoint.jobs.generate.ExportGenerator;
import io.touchpoint.jobs.generate.GeneratorConfig;
import io.touchpoint.jobs.pipeline.Pipeline;
import io.touchpoint.jobs.pipeline.Stage;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generated exports with known channel effects ({@code _truth/channel_effects.csv}: each channel's
 * incremental effect on the log purchase rate), run through ingest, identity, silver and the
 * attribution job (lookback 30, the METRICS default, and 7, the simulated effect window). Compares
 * the Markov and last-touch credit per touch (attributed conversions / touches in the period's
 * journeys) with the truth. About 5 minutes on 2 busy cores (load 6-8), nearly all of it ingest,
 * identity and silver over 40 days of files; the attribution runs take ~10 s each.
 */
class AttributionGeneratedDataTest {
  private static final Logger LOG = LoggerFactory.getLogger(AttributionGeneratedDataTest.class);
  static final LocalDate START = LocalDate.of(2026, 3, 1);
  static final int CUSTOMERS = 2_000;
  static final int DAYS = 40;
  static final LocalDate RUN_DATE = START.plusDays(DAYS - 1);

  @TempDir static Path tmp;
  static Map<String, Double> truth = new TreeMap<>();
  static Map<String, Double> markovPerTouch = new TreeMap<>();
  static Map<String, Double> lastPerTouch = new TreeMap<>();
  static Map<String, Double> markovPerTouch7 = new TreeMap<>();
  static Map<String, Double> lastPerTouch7 = new TreeMap<>();
  static double conversions;
  static Warehouse warehouse;

  @BeforeAll
  static void generateAndRun() throws IOException {
    long t0 = System.nanoTime();
    Path exports = tmp.resolve("exports");
    ExportGenerator.generate(GeneratorConfig.of(exports, CUSTOMERS, DAYS, START, 23));
    for (String line : Files.readAllLines(exports.resolve("_truth/channel_effects.csv")).subList(1, 13)) {
      String[] f = line.split(",");
      truth.put(f[0], Double.parseDouble(f[1]));
    }
    warehouse = new Warehouse(SparkTestSupport.spark(), tmp.resolve("warehouse").toString());
    new Pipeline(warehouse, SparkTestSupport.config(tmp.resolve("warehouse"), exports))
        .run(Pipeline.range(START, RUN_DATE), EnumSet.of(Stage.INGEST, Stage.IDENTITY, Stage.SILVER), "generated");
    long t1 = System.nanoTime();
    Map<String, Map<String, Double>> lookback30 = perTouch(30);
    markovPerTouch = lookback30.get("markov");
    lastPerTouch = lookback30.get("last");
    long t2 = System.nanoTime();
    Map<String, Map<String, Double>> lookback7 = perTouch(7);
    markovPerTouch7 = lookback7.get("markov");
    lastPerTouch7 = lookback7.get("last");
    LOG.info("generated data: pipeline {} s, attribution (lookback 30) {} s; {} conversions; truth {}",
        String.format("%.1f", (t1 - t0) / 1e9), String.format("%.1f", (t2 - t1) / 1e9), conversions, truth);
    for (String c : truth.keySet()) {
      LOG.info(String.format(java.util.Locale.ROOT, "%-16s effect %.2f | lookback 30: markov %.4f last %.4f | lookback 7: markov %.4f last %.4f",
          c, truth.get(c), markovPerTouch.get(c), lastPerTouch.get(c), markovPerTouch7.get(c), lastPerTouch7.get(c)));
    }
    LOG.info(String.format(java.util.Locale.ROOT, "Spearman vs truth: lookback 30 markov %.3f last %.3f; lookback 7 markov %.3f last %.3f",
        rankCorrelation(markovPerTouch), rankCorrelation(lastPerTouch), rankCorrelation(markovPerTouch7), rankCorrelation(lastPerTouch7)));
    LOG.info(String.format(java.util.Locale.ROOT, "TV distance to truth: lookback 30 markov %.3f last %.3f; lookback 7 markov %.3f last %.3f",
        distance(markovPerTouch), distance(lastPerTouch), distance(markovPerTouch7), distance(lastPerTouch7)));
  }

  /** Runs the job with this lookback (Markov order 1 and last touch): model → channel → attributed conversions per touch. */
  static Map<String, Map<String, Double>> perTouch(int lookbackDays) {
    AttributionJob.Options options = new AttributionJob.Options(new AttributionJourneys.Period(RUN_DATE, 30, lookbackDays), 1,
        EnumSet.of(AttributionModel.MARKOV, AttributionModel.LAST), 0, 1L, 0.95, 7, 14, 0.3);
    conversions = new AttributionJob(warehouse, "generated-attribution").run(options).conversions();
    Map<String, Long> touches = new HashMap<>();
    for (Row r : AttributionJourneys.build(warehouse.read("silver", "touchpoints"), warehouse.read("silver", "orders"),
            options.period()).select(functions.explode(functions.col("touches")).as("t"))
        .groupBy("t.channel").count().collectAsList()) {
      touches.put(r.getString(0), r.getLong(1));
    }
    Map<String, Map<String, Double>> out = new TreeMap<>();
    for (Row r : warehouse.read("gold", AttributionJob.BY_CHANNEL).where("channel <> 'direct'").collectAsList()) {
      String channel = r.getAs("channel");
      out.computeIfAbsent(r.getAs("model"), m -> new TreeMap<>()).put(channel, r.<Double>getAs("conversions") / touches.get(channel));
    }
    return out;
  }

  /** Spearman rank correlation of a model's credit per touch with the true effects, over the channels seen. */
  static double rankCorrelation(Map<String, Double> perTouch) {
    List<double[]> pairs = new ArrayList<>();
    perTouch.forEach((c, v) -> pairs.add(new double[] {truth.get(c), v}));
    return new SpearmansCorrelation().correlation(pairs.stream().mapToDouble(p -> p[0]).toArray(),
        pairs.stream().mapToDouble(p -> p[1]).toArray());
  }

  /**
   * Distance between a model's credit per touch and the truth, both as shares summing to 1 over the
   * channels seen: the total variation distance, ½ Σ |credit share − effect share| (0 = same profile, 1 = disjoint).
   */
  static double distance(Map<String, Double> perTouch) {
    double creditSum = perTouch.values().stream().mapToDouble(Double::doubleValue).sum();
    double truthSum = perTouch.keySet().stream().mapToDouble(truth::get).sum();
    return 0.5 * perTouch.entrySet().stream()
        .mapToDouble(e -> Math.abs(e.getValue() / creditSum - truth.get(e.getKey()) / truthSum)).sum();
  }

  @Test
  void everyTrueChannelIsAttributedAndConversionsReconcile() {
    assertThat(markovPerTouch.keySet()).as("channels with Markov credit").isSubsetOf(truth.keySet()).hasSizeGreaterThan(8);
    double attributed = warehouse.read("gold", AttributionJob.BY_CHANNEL).where("model = 'markov'")
        .agg(functions.sum("conversions")).first().getDouble(0);
    assertThat(attributed).as("Markov conversions incl. direct = converting journeys").isCloseTo(conversions, within(1e-3));
  }

  /*
   * Seen with seed 23, 2,000 customers x 40 days (deterministic: seeded generator, exact Markov solve):
   *   Spearman(credit per touch, true effect)   lookback 30: markov 0.437, last touch 0.359
   *                                             lookback  7: markov 0.669, last touch 0.408
   *   total variation distance of the profiles  lookback 30: markov 0.336, last touch 0.307
   *                                             lookback  7: markov 0.340, last touch 0.309
   * Markov ranks the channels closer to the truth than last touch, and much closer when the lookback
   * matches the simulated world's 7-day effect window. By total variation distance of the credit
   * shares it is NOT closer: both profiles are much flatter than the truth (CRM channels such as
   * email and app_push reach customers who buy anyway, a selection effect no path model removes),
   * and last touch's spikes on search_ads and store_visit happen to sit on high-effect channels.
   */

  @Test
  void markovCreditPerTouchRisesWithTheTrueEffect() {
    assertThat(rankCorrelation(markovPerTouch)).as("Spearman(Markov credit per touch, true effect), lookback 30")
        .isGreaterThan(0.4);
    assertThat(rankCorrelation(markovPerTouch7)).as("Spearman(Markov credit per touch, true effect), lookback 7")
        .isGreaterThan(0.6);
  }

  @Test
  void markovRanksTheChannelsCloserToTheTruthThanLastTouch() {
    // Rank distance 1 - Spearman: 0.563 (Markov) vs 0.641 (last touch) at lookback 30; 0.331 vs 0.592 at lookback 7.
    assertThat(1 - rankCorrelation(markovPerTouch)).as("rank distance to the truth, lookback 30 (last touch: "
        + (1 - rankCorrelation(lastPerTouch)) + ")").isLessThan(1 - rankCorrelation(lastPerTouch) - 0.05);
    assertThat(1 - rankCorrelation(markovPerTouch7)).as("rank distance to the truth, lookback 7 (last touch: "
        + (1 - rankCorrelation(lastPerTouch7)) + ")").isLessThan(1 - rankCorrelation(lastPerTouch7) - 0.2);
  }

  @Test
  void neitherModelMatchesTheShapeOfTheTrueEffects() {
    // Known limit, kept visible: by total variation distance Markov is not closer than last touch (0.336 vs 0.307).
    assertThat(distance(markovPerTouch)).as("TV distance, Markov (last touch: " + distance(lastPerTouch) + ")")
        .isBetween(0.25, 0.40);
    assertThat(distance(lastPerTouch)).as("TV distance, last touch").isBetween(0.25, 0.40);
  }
}
