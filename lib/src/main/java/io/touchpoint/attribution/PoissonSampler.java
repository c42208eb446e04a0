package io.touchpoint.attribution;

import java.util.SplittableRandom;
import org.apache.commons.math3.special.Gamma;

/**
 * Poisson variates for the bootstrap: inversion by multiplication below mean 10, Hörmann's PTRS
 * transformed rejection (1993, as in NumPy) above, so large counts (1e12) cost O(1). Means may be
 * fractional.
 */
final class PoissonSampler {
  private PoissonSampler() {}

  static double sample(SplittableRandom rng, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean < 10) {
      double limit = Math.exp(-mean);
      double product = rng.nextDouble();
      int k = 0;
      while (product > limit) {
        k++;
        product *= rng.nextDouble();
      }
      return k;
    }
    double slam = Math.sqrt(mean);
    double loglam = Math.log(mean);
    double b = 0.931 + 2.53 * slam;
    double a = -0.059 + 0.02483 * b;
    double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    double vr = 0.9277 - 3.6224 / (b - 2);
    while (true) {
      double u = rng.nextDouble() - 0.5;
      double v = rng.nextDouble();
      double us = 0.5 - Math.abs(u);
      double k = Math.floor((2 * a / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) {
        return k;
      }
      if (k < 0 || (us < 0.013 && v > us)) {
        continue;
      }
      if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b)
          <= -mean + k * loglam - Gamma.logGamma(k + 1)) {
        return k;
      }
    }
  }
}
