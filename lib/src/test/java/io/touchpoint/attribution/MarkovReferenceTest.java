package io.touchpoint.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** ChannelAttribution's pathdata.csv against the exact order-1 results and the heuristics in ../shared. */
class MarkovReferenceTest {
  private static final Logger LOG = LoggerFactory.getLogger(MarkovReferenceTest.class);
  private static final Journeys PATHS = Reference.pathdata();

  @Test
  void readsTheReferencePathTable() {
    assertThat(PATHS.size()).as("distinct paths").isEqualTo(10_000);
    assertThat(PATHS.channels()).as("channels in order of first appearance").containsExactly(
        "eta", "iota", "alpha", "beta", "theta", "lambda", "kappa", "zeta", "epsilon", "gamma", "delta", "mi");
    assertThat(PATHS.totalConversions()).as("Σ conversions").isEqualTo(19_785);
    assertThat(PATHS.totalValue()).as("Σ value").isCloseTo(74_802.97, within(0.01));
    assertThat(PATHS.totalNulls()).as("Σ nulls").isEqualTo(68_602);
  }

  @Test
  void orderOneMatchesTheExactReferenceTo1e9() {
    Map<String, Map<String, Double>> expected = Reference.expected("reference/markov/pathdata_expected_markov_order1.csv");
    MarkovResult result = MarkovAttribution.fit(PATHS, 1);
    double worst = 0;
    for (ChannelCredit c : result.credits()) {
      Map<String, Double> row = expected.get(c.channel());
      assertThat(row).as("expected row for %s", c.channel()).isNotNull();
      double[][] pairs = {
          {c.attributedConversions(), row.get("attributed_conversions")},
          {c.attributedValue(), row.get("attributed_value")},
          {c.removalEffectConversion(), row.get("removal_effect_conversion")},
          {c.removalEffectValue(), row.get("removal_effect_value")}};
      for (double[] p : pairs) {
        double d = Reference.relativeDifference(p[0], p[1]);
        worst = Math.max(worst, d);
        assertThat(d).as("%s: %s vs expected %s", c.channel(), p[0], p[1]).isLessThan(1e-9);
      }
    }
    LOG.info("order 1 vs reference: max relative difference {}", worst);
    assertThat(result.credits()).as("one credit per expected channel").hasSize(expected.size());
  }

  @Test
  void conversionProbabilityIsTheOverallConversionRateAtEveryOrder() {
    double rate = 19_785.0 / (19_785 + 68_602);
    for (int order = 1; order <= 4; order++) {
      MarkovResult result = MarkovAttribution.fit(PATHS, order);
      assertThat(result.conversionProbability()).as("P(conversion) at order %d", order).isCloseTo(rate, within(1e-12));
      assertThat(sum(result.credits(), ChannelCredit::attributedConversions)).as("Σ attributed conversions, order %d", order)
          .isCloseTo(19_785, within(1e-7));
      assertThat(sum(result.credits(), ChannelCredit::attributedValue)).as("Σ attributed value, order %d", order)
          .isCloseTo(PATHS.totalValue(), within(1e-7));
    }
  }

  /** Order 2 (dense LU) and 3 (Gauss-Seidel) against an independent SciPy sparse direct solve of the same chain. */
  @Test
  void higherOrdersMatchAnIndependentSparseDirectSolve() {
    MarkovResult second = MarkovAttribution.fit(PATHS, 2);
    assertThat(second.credit("alpha").removalEffectConversion()).as("order 2 RE alpha")
        .isCloseTo(0.5478032820635091, within(1e-12));
    assertThat(second.credit("mi").removalEffectValue()).as("order 2 value RE mi")
        .isCloseTo(0.00016776071503232792, within(1e-14));
    MarkovResult third = MarkovAttribution.fit(PATHS, 3);
    assertThat(third.stateCount()).as("order-3 states").isGreaterThan(AbsorbingChainSolver.DENSE_LIMIT);
    assertThat(third.credit("alpha").removalEffectConversion()).as("order 3 RE alpha")
        .isCloseTo(0.546420129018466, within(1e-12));
    assertThat(third.credit("beta").removalEffectValue()).as("order 3 value RE beta")
        .isCloseTo(0.26117063510651883, within(1e-12));
    assertThat(third.credit("delta").removalEffectConversion()).as("order 3 RE delta")
        .isCloseTo(0.00048203962775517084, within(1e-14));
  }

  @Test
  void heuristicsMatchTheReferenceTo1e9() {
    Map<String, Map<String, Double>> expected = Reference.expected("reference/markov/pathdata_expected_heuristics.csv");
    Map<HeuristicModel, List<Credit>> credits = HeuristicAttribution.compute(PATHS);
    Map<HeuristicModel, String> prefix = Map.of(HeuristicModel.FIRST_TOUCH, "first_touch",
        HeuristicModel.LAST_TOUCH, "last_touch", HeuristicModel.LINEAR, "linear");
    double worst = 0;
    for (Map.Entry<HeuristicModel, String> m : prefix.entrySet()) {
      for (Credit c : credits.get(m.getKey())) {
        Map<String, Double> row = expected.get(c.channel());
        double dc = Reference.relativeDifference(c.conversions(), row.get(m.getValue() + "_conversions"));
        double dv = Reference.relativeDifference(c.value(), row.get(m.getValue() + "_value"));
        worst = Math.max(worst, Math.max(dc, dv));
        assertThat(dc).as("%s %s conversions %s", m.getValue(), c.channel(), c.conversions()).isLessThan(1e-9);
        assertThat(dv).as("%s %s value %s", m.getValue(), c.channel(), c.value()).isLessThan(1e-9);
      }
    }
    LOG.info("heuristics vs reference: max relative difference {}", worst);
    for (List<Credit> model : credits.values()) {
      assertThat(sum(model, Credit::conversions)).as("every heuristic hands out all conversions")
          .isCloseTo(19_785, within(1e-8));
    }
  }

  private static <T> double sum(List<T> xs, java.util.function.ToDoubleFunction<T> f) {
    return xs.stream().mapToDouble(f).sum();
  }
}
