package io.touchpoint.clv;

/** A log-likelihood over positive natural parameters, as {@link MaximumLikelihood} maximises it. */
interface Objective {

  double value(double[] theta);

  /** Gradient in the natural parameters; central differences unless a model has it analytically. */
  default double[] gradient(double[] theta) {
    return MaximumLikelihood.numericalGradient(this::value, theta);
  }

  /** Whether {@link #gradient} is analytic (exact enough for Newton steps). */
  default boolean hasAnalyticGradient() {
    return false;
  }

  /** Number of customers (sum of weights). */
  double customers();

  /** The same likelihood on about {@code fraction} of the customers, for a cheap first pass. */
  Objective thinned(double fraction);

  /**
   * Deterministic binomial-like thinning of weights: each weight w becomes floor(w f) plus one with
   * probability frac(w f), drawn from a fixed seed so fits are reproducible.
   */
  static double[] thin(double[] weights, double fraction) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(20050101L);
    double[] out = new double[weights.length];
    for (int i = 0; i < weights.length; i++) {
      double v = weights[i] * fraction;
      double whole = Math.floor(v);
      out[i] = whole + (random.nextDouble() < v - whole ? 1 : 0);
    }
    return out;
  }
}
