package io.touchpoint.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.errors.TouchpointException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MarkovBootstrapTest {
  private static final Journeys PATHS = Reference.pathdata();

  @Test
  void intervalsCoverThePointEstimateAndAreSeeded() {
    MarkovBootstrap.Options options = new MarkovBootstrap.Options(100, 0.95, 42);
    List<CreditInterval> ci = MarkovBootstrap.intervals(PATHS, 1, options);
    MarkovResult point = MarkovAttribution.fit(PATHS, 1);
    for (CreditInterval c : ci) {
      ChannelCredit p = point.credit(c.channel());
      assertThat(p.attributedConversions()).as("%s conversions inside [%s, %s]", c.channel(), c.conversionsLow(),
          c.conversionsHigh()).isBetween(c.conversionsLow(), c.conversionsHigh());
      assertThat(p.attributedValue()).as("%s value inside [%s, %s]", c.channel(), c.valueLow(), c.valueHigh())
          .isBetween(c.valueLow(), c.valueHigh());
    }
    CreditInterval alpha = ci.get(PATHS.channels().indexOf("alpha"));
    assertThat(alpha.conversionsHigh() - alpha.conversionsLow()).as("alpha interval width")
        .isBetween(20.0, 400.0);
    assertThat(MarkovBootstrap.intervals(PATHS, 1, options)).as("same seed, same intervals").isEqualTo(ci);
  }

  /** The same paths with 100× the counts: the relative interval width shrinks ~10×. */
  @Test
  void intervalsShrinkAsTheDataGrows() {
    Journeys big = PATHS.withCounts(times(PATHS.conversions(), 100), times(PATHS.values(), 100),
        times(PATHS.nulls(), 100));
    MarkovBootstrap.Options options = new MarkovBootstrap.Options(60, 0.9, 7);
    CreditInterval small = MarkovBootstrap.intervals(PATHS, 1, options).get(2);
    CreditInterval large = MarkovBootstrap.intervals(big, 1, options).get(2);
    double smallWidth = (small.conversionsHigh() - small.conversionsLow()) / small.conversionsHigh();
    double largeWidth = (large.conversionsHigh() - large.conversionsLow()) / large.conversionsHigh();
    assertThat(largeWidth).as("relative width ×100 data vs %s", smallWidth).isBetween(smallWidth / 20, smallWidth / 5);
  }

  @Test
  void poissonDrawsHaveTheRightMeanAndVariance() {
    SplittableRandom rng = new SplittableRandom(3);
    for (double mean : new double[] {0.3, 4, 25, 1e12}) {
      int n = 20_000;
      double sum = 0;
      double sq = 0;
      for (int i = 0; i < n; i++) {
        double k = PoissonSampler.sample(rng, mean);
        sum += k;
        sq += k * k;
      }
      double m = sum / n;
      double var = sq / n - m * m;
      assertThat(Math.abs(m - mean)).as("mean of Poisson(%s)", mean).isLessThan(5 * Math.sqrt(mean / n));
      assertThat(var / mean).as("variance / mean of Poisson(%s)", mean).isBetween(0.95, 1.05);
    }
  }

  @Test
  void rejectsTooFewReplicates() {
    assertThatThrownBy(() -> new MarkovBootstrap.Options(1, 0.95, 1)).isInstanceOf(TouchpointException.class)
        .hasMessageContaining("at least 2 replicates");
  }

  private static double[] times(double[] a, double f) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] * f;
    }
    return out;
  }
}
