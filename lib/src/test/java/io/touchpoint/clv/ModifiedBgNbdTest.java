package io.touchpoint.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.touchpoint.errors.TouchpointException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MBG/NBD on the CDNOW sample. Published: BTYDplus' mbgnbd (and lifetimes' ModifiedBetaGeoFitter,
 * which tests against it) r 0.525, alpha 6.183, a 0.891, b 1.614. The exact maximum, found with
 * 40-digit arithmetic (mpmath, Newton steps to |gradient| 6e-12), is r 0.524843159106, alpha
 * 6.18308527958, a 0.891359390732, b 1.61400224017, LL -9582.13571555375; the predictions below are
 * mpmath's (30 digits) at that point, with the formulas of Batislam et al. (2007) as corrected by
 * Wagner &amp; Hoppe (2008).
 */
class ModifiedBgNbdTest {
  private static Fit<ModifiedBgNbd> cdnow;

  @BeforeAll
  static void fitCdnow() {
    cdnow = ModifiedBgNbd.fit(Cdnow.sample().weighted());
  }

  @Test
  void reproducesThePublishedCdnowEstimates() {
    assertThat(cdnow.estimate("r")).as("r (BTYDplus 0.525)").isCloseTo(0.525, within(5e-4));
    assertThat(cdnow.estimate("alpha")).as("alpha (6.183)").isCloseTo(6.183, within(5e-4));
    assertThat(cdnow.estimate("a")).as("a (0.891)").isCloseTo(0.891, within(5e-4));
    assertThat(cdnow.estimate("b")).as("b (1.614)").isCloseTo(1.614, within(5e-4));
    double[] maximum = {0.524843159106, 6.18308527958, 0.891359390732, 1.61400224017};
    for (int i = 0; i < 4; i++) {
      assertThat(cdnow.estimates()[i]).as("%s at the exact maximum", ModifiedBgNbd.NAMES.get(i))
          .isCloseTo(maximum[i], withinPercentage(1e-5));
    }
    assertThat(cdnow.logLikelihood()).as("LL").isCloseTo(-9582.13571555375, within(1e-8));
    assertThat(cdnow.converged()).as("converged").isTrue();
    // inverse observed information at the maximum (mpmath): 0.0833, 0.696, 0.155, 0.537
    assertThat(cdnow.standardError("r")).as("se r").isCloseTo(0.0833, within(5e-4));
    assertThat(cdnow.standardError("alpha")).as("se alpha").isCloseTo(0.696, within(5e-3));
    assertThat(cdnow.standardError("a")).as("se a").isCloseTo(0.155, within(2e-3));
    assertThat(cdnow.standardError("b")).as("se b").isCloseTo(0.537, within(5e-3));
  }

  @Test
  void fitsCdnowAsWellAsBgNbdAndForecastsLessOfTheHoldout() {
    Customers c = Cdnow.sample();
    double bgnbd = BgNbd.fit(c.weighted()).logLikelihood();
    assertThat(cdnow.logLikelihood()).as("MBG/NBD LL vs BG/NBD's -9582.43 (same parameter count)")
        .isGreaterThan(bgnbd).isCloseTo(bgnbd, within(0.5));
    double total = 0;
    for (int i = 0; i < c.size(); i++) {
      total += cdnow.model().expected(c.frequency()[i], c.recency()[i], c.age()[i], 39);
    }
    // Actual 1,882; BG/NBD expects 1,653.4; mpmath at the MBG/NBD maximum: 1,576.73.
    assertThat(total).as("expected holdout repeats").isCloseTo(1576.73, within(0.01));
  }

  @Test
  void predictionsMatchTheReferenceFormulas() {
    ModifiedBgNbd m = cdnow.model();
    assertThat(m.expectedNew(1)).as("E[X(1)]").isCloseTo(0.05306032343, within(1e-9));
    assertThat(m.expectedNew(52)).as("E[X(52)]").isCloseTo(1.418884877, within(1e-8));
    assertThat(m.expectedNew(78)).as("E[X(78)]").isCloseTo(1.803630417, within(1e-8));
    assertThat(m.expected(2, 30.43, 38.86, 39)).as("E[Y(39) | 2, 30.43, 38.86]").isCloseTo(1.262669231, within(1e-8));
    assertThat(m.expected(26, 30.85714, 31, 52)).as("E[Y(52) | 26, 30.86, 31]").isCloseTo(23.9981892, within(1e-6));
    assertThat(m.probabilityAlive(0, 0, 38.86)).as("P(alive) of a one-time buyer").isCloseTo(0.3897150583, within(1e-9));
    assertThat(m.probabilityAlive(2, 30.43, 38.86)).as("P(alive | 2, 30.43, 38.86)").isCloseTo(0.7061256875, within(1e-9));
    assertThat(m.probabilityAlive(26, 30.85714, 31)).as("P(alive | 26, 30.86, 31)").isCloseTo(0.965484581, within(1e-9));
  }

  @Test
  void expectedNewPurchasesEqualTheClosedForm() {
    ModifiedBgNbd m = cdnow.model();
    // E[X(t)] = b/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b+1; a+b; t/(alpha+t))] (lifetimes' formula)
    for (double t : new double[] {0.5, 10, 39, 78}) {
      double z = t / (m.alpha() + t);
      double closed = m.b() / (m.a() - 1) * (1 - Math.pow(m.alpha() / (m.alpha() + t), m.r())
          * Hypergeometric.value(m.r(), m.b() + 1, m.a() + m.b(), z));
      assertThat(m.expectedNew(t)).as("E[X(%s)]", t).isCloseTo(closed, within(1e-12));
    }
  }

  @Test
  void aOneTimeBuyerMayAlreadyBeGoneUnlikeInBgNbd() {
    ModifiedBgNbd m = cdnow.model();
    // x = 0: P(alive) = 1 / (1 + a/b ((alpha+T)/alpha)^r), just after the first purchase b/(a+b)
    assertThat(m.probabilityAlive(0, 0, 0)).as("P(alive) right after the first purchase")
        .isCloseTo(m.b() / (m.a() + m.b()), within(1e-15));
    assertThat(m.probabilityAlive(0, 0, 39)).as("and lower after 39 silent weeks").isLessThan(m.probabilityAlive(0, 0, 0));
    assertThat(new BgNbd(m.r(), m.alpha(), m.a(), m.b()).probabilityAlive(0, 0, 39)).as("BG/NBD: alive by assumption")
        .isEqualTo(1.0);
    double none = Math.pow((m.alpha() + 38.86) / (m.alpha() + 38.86 + 39), m.r() + 2);
    assertThat(m.probabilityAnyPurchase(2, 30.43, 38.86, 39)).as("P(any purchase in 39 weeks)")
        .isCloseTo(m.probabilityAlive(2, 30.43, 38.86) * (1 - none), within(1e-12));
  }

  @Test
  void withoutDropoutItIsTheNbdLikeBgNbd() {
    // a -> 0: nobody drops out, and both models become the NBD, whose LL per customer is
    // ln Gamma(r+x) - ln Gamma(r) + r ln alpha - (r+x) ln(alpha+T). The limit is not uniform: the
    // "gone" term a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x) of a customer with many early purchases stays
    // visible at a = 1e-9 (CDNOW: the two models still differ by 0.043 there), hence a = 1e-30.
    WeightedRows rows = Cdnow.sample().weighted();
    double r = 0.4;
    double alpha = 5;
    double nbd = 0;
    for (int i = 0; i < rows.size(); i++) {
      int x = rows.frequency()[i];
      nbd += rows.weight()[i] * (org.apache.commons.math3.special.Gamma.logGamma(r + x)
          - org.apache.commons.math3.special.Gamma.logGamma(r) + r * Math.log(alpha) - (r + x) * Math.log(alpha + rows.age()[i]));
    }
    assertThat(new ModifiedBgNbd(r, alpha, 1e-30, 2).logLikelihood(rows)).as("MBG/NBD LL at a = 1e-30").isCloseTo(nbd, within(1e-6));
    assertThat(new BgNbd(r, alpha, 1e-30, 2).logLikelihood(rows)).as("BG/NBD LL at a = 1e-30").isCloseTo(nbd, within(1e-6));
  }

  @Test
  void analyticGradientMatchesCentralDifferences() {
    WeightedRows rows = Cdnow.sample().weighted();
    double[] at = {0.4, 5, 0.7, 2};
    double[] analytic = ModifiedBgNbd.of(at).gradient(rows);
    double[] numeric = MaximumLikelihood.numericalGradient(p -> ModifiedBgNbd.of(p).logLikelihood(rows), at);
    for (int i = 0; i < 4; i++) {
      assertThat(analytic[i]).as("dLL/d" + ModifiedBgNbd.NAMES.get(i)).isCloseTo(numeric[i], withinPercentage(1e-3));
    }
  }

  @Test
  void staysFiniteForVeryFrequentBuyers() {
    WeightedRows heavy = WeightedRows.of(new int[] {200, 0, 1}, new double[] {38.9, 0, 10}, new double[] {39, 39, 39},
        new double[] {1, 5, 3});
    ModifiedBgNbd m = new ModifiedBgNbd(0.52, 6.18, 0.89, 1.61);
    assertThat(m.logLikelihood(heavy)).as("LL with x = 200").isFinite();
    assertThat(java.util.Arrays.stream(m.gradient(heavy)).allMatch(Double::isFinite)).as("gradient finite").isTrue();
    assertThat(m.expected(200, 38.9, 39, 52)).as("E[Y(52) | x = 200]").isFinite().isGreaterThan(100);
  }

  @Test
  void recoversSimulatedParameters() {
    ModifiedBgNbd truth = new ModifiedBgNbd(0.525, 6.183, 0.891, 1.614);
    Customers sim = SyntheticCustomers.mbgNbd(truth, SyntheticCustomers.CDNOW_SPEND, 7).draw(20_000);
    Fit<ModifiedBgNbd> fit = ModifiedBgNbd.fit(sim.weighted());
    double[] expected = {truth.r(), truth.alpha(), truth.a(), truth.b()};
    for (int i = 0; i < 4; i++) {
      String name = ModifiedBgNbd.NAMES.get(i);
      assertThat(Math.abs(fit.estimate(name) - expected[i]))
          .as("%s: estimate %.4f vs true %.4f, se %.4f", name, fit.estimate(name), expected[i], fit.standardError(name))
          .isLessThan(3.5 * fit.standardError(name));
    }
  }

  @Test
  void refusesDataWhereNobodyRepeats() {
    WeightedRows rows = WeightedRows.of(new int[] {0}, new double[] {0}, new double[] {39}, new double[] {50});
    assertThatThrownBy(() -> ModifiedBgNbd.fit(rows)).isInstanceOf(TouchpointException.class)
        .hasMessageContaining("Cannot fit the MBG/NBD model");
  }
}
