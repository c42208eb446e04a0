package io.touchpoint.jobs.generate;

import java.util.SplittableRandom;

/** Random draws on a {@link SplittableRandom}, so a seed fixes every value. */
final class Draw {
  private Draw() {}

  /** Gamma(shape, scale) by Marsaglia–Tsang (with the shape &lt; 1 boost). */
  static double gamma(SplittableRandom r, double shape, double scale) {
    if (shape < 1) {
      return gamma(r, shape + 1, scale) * Math.pow(r.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x;
      double v;
      do {
        x = normal(r);
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = r.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v * scale;
      }
    }
  }

  static double beta(SplittableRandom r, double a, double b) {
    double x = gamma(r, a, 1);
    return x / (x + gamma(r, b, 1));
  }

  static double normal(SplittableRandom r) {
    double u1 = r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }

  static int weighted(SplittableRandom r, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double u = r.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /** A second of the day drawn from hourly weights (24 entries). */
  static int secondOfDay(SplittableRandom r, double[] hourWeights) {
    return weighted(r, hourWeights) * 3600 + r.nextInt(3600);
  }
}
