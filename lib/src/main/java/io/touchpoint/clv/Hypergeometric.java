package io.touchpoint.clv;

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for 0 &lt;= z &lt; 1, as the BG/NBD and Pareto/NBD
 * formulas need it.
 *
 * <p>Method: the Gauss series, summed term by term from the ratio of consecutive terms, after
 * choosing between the original parameters and Euler's transformation
 * 2F1(a, b; c; z) = (1 - z)^(c-a-b) 2F1(c-a, c-b; c; z), whichever has the smaller |a b| (so the
 * terms cannot grow like (1 - z)^-b for large b, e.g. b = s + x with x = 200). The factor is kept in
 * log space ({@link #log}), so large exponents neither overflow nor underflow. Negative arguments
 * are avoided by the callers (Pareto/NBD swaps alpha and beta, as in BTYD), so z near 1 costs
 * more terms (about 37 / -ln z) but stays accurate; the series is cut at {@value #MAX_TERMS}.
 */
final class Hypergeometric {
  static final int MAX_TERMS = 1_000_000;
  private static final double EPS = 1e-16;

  private Hypergeometric() {}

  /** log 2F1(a, b; c; z); the value must be positive (true for the CLV models' parameters). */
  static double log(double a, double b, double c, double z) {
    if (!(z >= 0 && z < 1)) {
      throw new IllegalArgumentException("2F1 needs 0 <= z < 1, got z = " + z);
    }
    if (z == 0) {
      return 0;
    }
    double ea = c - a;
    double eb = c - b;
    if (Math.abs(ea * eb) < Math.abs(a * b)) {
      return (c - a - b) * Math.log1p(-z) + Math.log(series(ea, eb, c, z));
    }
    return Math.log(series(a, b, c, z));
  }

  static double value(double a, double b, double c, double z) {
    return Math.exp(log(a, b, c, z));
  }

  private static double series(double a, double b, double c, double z) {
    double term = 1;
    double sum = 1;
    for (int k = 0; k < MAX_TERMS; k++) {
      term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
      sum += term;
      if (Math.abs(term) <= EPS * Math.abs(sum)) {
        return sum;
      }
    }
    throw new ArithmeticException("2F1(" + a + ", " + b + "; " + c + "; " + z + ") did not converge in "
        + MAX_TERMS + " terms");
  }
}
