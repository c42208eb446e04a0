package io.touchpoint.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.touchpoint.errors.TouchpointException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GammaGammaTest {
  private static Fit<GammaGamma> cdnow;

  @BeforeAll
  static void fitCdnow() {
    cdnow = GammaGamma.fit(Cdnow.sample());
  }

  @Test
  void reproducesThePublishedCdnowEstimates() {
    assertThat(cdnow.customers()).as("customers with x >= 1").isEqualTo(946);
    assertThat(cdnow.estimate("p")).as("p (FH 2013: 6.25)").isCloseTo(6.25, within(5e-3));
    assertThat(cdnow.estimate("q")).as("q (3.74)").isCloseTo(3.74, within(5e-3));
    assertThat(cdnow.estimate("gamma")).as("gamma (15.44)").isCloseTo(15.44, within(5e-3));
    assertThat(cdnow.logLikelihood()).as("LL of the observed means (-4055.92)").isCloseTo(-4055.92, within(5e-3));
  }

  @Test
  void publishedLikelihoodIsThatOfTheMeanNotTheSum() {
    GammaGamma.Spend spend = GammaGamma.Spend.of(Cdnow.sample());
    double jacobian = 0;
    for (int i = 0; i < spend.weight().length; i++) {
      jacobian += spend.weight()[i] * Math.log(spend.frequency()[i]);
    }
    // The density of the sum x*m is that of the mean divided by x: -4659.29, not the published value.
    assertThat(cdnow.logLikelihood() - jacobian).as("LL of the sums").isCloseTo(-4659.29, within(5e-3));
  }

  @Test
  void shrinksTowardsThePopulationMean() {
    GammaGamma m = cdnow.model();
    double population = m.p() * m.gamma() / (m.q() - 1);
    assertThat(m.expectedSpend(0, Double.NaN)).as("x = 0: population mean").isCloseTo(population, within(1e-12));
    // FH 2013: a customer with 2 purchases averaging $20 would be expected to spend about $24.
    double twoAt20 = m.expectedSpend(2, 20);
    assertThat(twoAt20).as("E[M | x = 2, m = 20]").isBetween(20.0, population);
    assertThat(m.expectedSpend(200, 20)).as("heavy buyer keeps close to own mean").isCloseTo(20, within(0.2));
  }

  @Test
  void reportsTheFrequencySpendCorrelation() {
    assertThat(GammaGamma.Spend.of(Cdnow.sample()).correlation()).as("CDNOW corr(x, m)").isCloseTo(0.11, within(0.01));
  }

  @Test
  void refusesInputWithoutValues() {
    Customers noValues = Customers.of(new int[] {1, 2}, new double[] {3, 4}, new double[] {5, 6});
    assertThatThrownBy(() -> GammaGamma.fit(noValues))
        .isInstanceOf(TouchpointException.class)
        .hasMessageContaining("Cannot fit the Gamma-Gamma model: the input has no monetary values");
  }

  @Test
  void analyticGradientMatchesCentralDifferences() {
    Customers c = Cdnow.sample();
    GammaGamma.Spend spend = GammaGamma.Spend.of(c);
    double[] at = {5, 4, 12};
    Fit<GammaGamma> fit = cdnow;
    double[] numeric = MaximumLikelihood.numericalGradient(v -> GammaGamma.of(v).logLikelihood(spend), at);
    double[] analytic = GammaGamma.of(at).gradient(spend);
    for (int i = 0; i < 3; i++) {
      assertThat(analytic[i]).as("dLL/d" + fit.names().get(i)).isCloseTo(numeric[i], within(1e-5 * Math.abs(numeric[i])));
    }
  }
}
