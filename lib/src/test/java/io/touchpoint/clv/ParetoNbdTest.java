package io.touchpoint.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ParetoNbdTest {
  private static Fit<ParetoNbd> cdnow;

  @BeforeAll
  static void fitCdnow() {
    cdnow = ParetoNbd.fit(Cdnow.sample().weighted());
  }

  @Test
  void reproducesThePublishedCdnowEstimates() {
    assertThat(cdnow.estimate("r")).as("r (FHL 2005: 0.553)").isCloseTo(0.553, within(5e-4));
    assertThat(cdnow.estimate("alpha")).as("alpha (10.578)").isCloseTo(10.578, within(5e-4));
    assertThat(cdnow.estimate("s")).as("s (0.606)").isCloseTo(0.606, within(5e-4));
    assertThat(cdnow.estimate("beta")).as("beta (11.669)").isCloseTo(11.669, within(5e-4));
    assertThat(cdnow.logLikelihood()).as("LL (-9595.0)").isCloseTo(-9595.0, within(0.05));
    assertThat(cdnow.converged()).as("converged").isTrue();
    assertThat(cdnow.gradientNorm()).as("gradient norm").isLessThan(1e-2);
  }

  @Test
  void likelihoodIsSymmetricAcrossTheAlphaBetaSwap() {
    WeightedRows rows = Cdnow.sample().weighted();
    double below = new ParetoNbd(0.55, 11.0 - 1e-9, 0.6, 11.0).logLikelihood(rows);
    double above = new ParetoNbd(0.55, 11.0 + 1e-9, 0.6, 11.0).logLikelihood(rows);
    assertThat(below).as("LL just either side of alpha = beta").isCloseTo(above, within(1e-6));
  }

  @Test
  void predictsLikeBgNbdOnCdnow() {
    ParetoNbd m = cdnow.model();
    // Pareto/NBD and BG/NBD (1,653.4) forecast nearly the same conditional holdout total.
    Customers c = Cdnow.sample();
    double total = 0;
    for (int i = 0; i < c.size(); i++) {
      total += m.expected(c.frequency()[i], c.recency()[i], c.age()[i], 39);
    }
    assertThat(total).as("expected holdout repeats").isCloseTo(1665.5, within(0.1));
    // Reference values: mpmath (hyp2f1 at 30 digits) at the fitted estimates.
    assertThat(m.probabilityAlive(0, 0, 39)).as("P(alive) of a one-time buyer").isCloseTo(0.2942763, within(1e-6));
    assertThat(m.probabilityAlive(26, 30.85714, 31)).as("P(alive) of a recent heavy buyer")
        .isCloseTo(0.9978734, within(1e-6));
    assertThat(m.expectedNew(78)).as("E[X(78)]").isCloseTo(cdnow.model().expected(0, 0, 0, 78), within(1e-9));
    assertThat(new ParetoNbd(0.5, 10, 1.0, 12).expectedNew(52)).as("E[X(52)] at s = 1 (log limit)")
        .isCloseTo(0.5 * 12 / 10 * Math.log(64.0 / 12), within(1e-9));
  }

  @Test
  void staysFiniteForVeryFrequentBuyers() {
    WeightedRows heavy = WeightedRows.of(new int[] {200, 0}, new double[] {38.9, 0}, new double[] {39, 39},
        new double[] {1, 5});
    assertThat(new ParetoNbd(0.55, 10.58, 0.61, 11.67).logLikelihood(heavy)).as("alpha < beta").isFinite();
    assertThat(new ParetoNbd(0.55, 30, 0.61, 2).logLikelihood(heavy)).as("alpha > beta").isFinite();
  }

  /**
   * P(at least one purchase in the next t weeks) against numerical quadrature (mpmath, 30 digits) of
   * its definition: P(alive) × ∫_0^t E[lambda e^(-lambda u)] E[e^(-mu u)] du with lambda ~ Gamma(r+x,
   * alpha+T) and mu ~ Gamma(s, beta+T), P(alive) from the likelihood's integral; on both sides of the
   * alpha/beta swap (the BTYD vignette's estimates have alpha &lt; beta).
   */
  @Test
  void probabilityOfAnyPurchaseMatchesQuadrature() {
    ParetoNbd btyd = new ParetoNbd(0.5534, 10.5802, 0.6061, 11.6562);
    assertThat(btyd.probabilityAlive(26, 30.85714, 31)).as("P(alive), BTYD vignette 0.9979").isCloseTo(0.997873231043, within(1e-9));
    assertThat(btyd.probabilityAnyPurchase(2, 30.43, 38.86, 39)).as("alpha < beta, (2, 30.43, 38.86), 39 weeks")
        .isCloseTo(0.591904717641, within(1e-9));
    assertThat(btyd.probabilityAnyPurchase(0, 0, 38.86, 39)).as("alpha < beta, one-time buyer, 39 weeks")
        .isCloseTo(0.0692457197835, within(1e-9));
    assertThat(btyd.probabilityAnyPurchase(26, 30.85714, 31, 52)).as("alpha < beta, heavy buyer, 52 weeks")
        .isCloseTo(0.976134805136, within(1e-9));
    assertThat(btyd.probabilityAnyPurchase(0, 0, 38.86, 0.5)).as("alpha < beta, half a week")
        .isCloseTo(0.00163306840296, within(1e-11));
    ParetoNbd swapped = new ParetoNbd(0.55, 30, 0.61, 2);
    assertThat(swapped.probabilityAnyPurchase(2, 30.43, 38.86, 39)).as("alpha > beta, (2, 30.43, 38.86), 39 weeks")
        .isCloseTo(0.488334965205, within(1e-9));
    assertThat(swapped.probabilityAnyPurchase(0, 0, 38.86, 39)).as("alpha > beta, one-time buyer")
        .isCloseTo(0.0207547073877, within(1e-9));
    assertThat(swapped.probabilityAnyPurchase(26, 30.85714, 31, 52)).as("alpha > beta, heavy buyer")
        .isCloseTo(0.957740044728, within(1e-9));
  }

  @Test
  void probabilityOfAnyPurchaseBehavesAtItsLimits() {
    ParetoNbd m = cdnow.model();
    assertThat(m.probabilityAnyPurchase(2, 30.43, 38.86, 0)).as("no time, no purchase").isZero();
    double previous = 0;
    for (double t : new double[] {1, 5, 20, 52, 200, 1000}) {
      double p = m.probabilityAnyPurchase(2, 30.43, 38.86, t);
      assertThat(p).as("P(any purchase in %s weeks) rises with t", t).isGreaterThan(previous)
          .isLessThan(m.probabilityAlive(2, 30.43, 38.86));
      previous = p;
    }
    // Over a short t it is P(alive) × E[lambda | alive] × t = P(alive) × (r+x)/(alpha+T) × t.
    double t = 1e-4;
    assertThat(m.probabilityAnyPurchase(2, 30.43, 38.86, t) / t).as("rate at t -> 0")
        .isCloseTo(m.probabilityAlive(2, 30.43, 38.86) * (m.r() + 2) / (m.alpha() + 38.86), withinPercentage(0.01));
  }
}
