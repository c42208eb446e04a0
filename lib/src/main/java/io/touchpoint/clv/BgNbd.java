package io.touchpoint.clv;

import static io.touchpoint.clv.FrequencyModel.logSumExp;

import io.touchpoint.errors.Errors;
import java.util.List;
import org.apache.commons.math3.special.Gamma;

/**
 * BG/NBD model of Fader, Hardie &amp; Lee (2005), "Counting Your Customers the Easy Way": while
 * active, purchases are Poisson(lambda), lambda ~ Gamma(r, alpha); after each purchase the customer
 * drops out with probability p ~ Beta(a, b).
 *
 * <p>Per customer, with A = -(r+x) ln(alpha+T) and, for x &gt; 0, B = ln a - ln(b+x-1) -
 * (r+x) ln(alpha+t_x):
 * LL = ln Gamma(r+x) - ln Gamma(r) + r ln alpha + ln B(a, b+x) - ln B(a, b) + logsumexp(A, B),
 * which stays finite for large x; the gradient is analytic (digamma).
 */
public record BgNbd(double r, double alpha, double a, double b) implements FrequencyModel {
  public static final List<String> NAMES = List.of("r", "alpha", "a", "b");
  static final int MIN_CUSTOMERS = 10;

  public static BgNbd of(double[] p) {
    return new BgNbd(p[0], p[1], p[2], p[3]);
  }

  @Override
  public String name() {
    return "bgnbd";
  }

  /** Fits by maximum likelihood; fails with a user-facing error if the data cannot identify it. */
  public static Fit<BgNbd> fit(WeightedRows rows) {
    requireIdentifiable("BG/NBD", rows);
    double meanAge = 0;
    double meanX = 0;
    double n = rows.customers();
    for (int i = 0; i < rows.size(); i++) {
      meanAge += rows.weight()[i] * rows.age()[i] / n;
      meanX += rows.weight()[i] * rows.frequency()[i] / n;
    }
    double alpha0 = Math.max(1e-3, meanAge / Math.max(meanX, 0.1));
    return MaximumLikelihood.fit(
        "BG/NBD", NAMES,
        p -> of(p).logLikelihood(rows),
        p -> of(p).gradient(rows),
        BgNbd::of,
        List.of(new double[] {1, alpha0, 1, 1}, new double[] {0.5, alpha0 / 2, 0.5, 2}, new double[] {1, 1, 1, 1}),
        n);
  }

  static void requireIdentifiable(String model, WeightedRows rows) {
    double n = rows.customers();
    if (n < MIN_CUSTOMERS) {
      throw Errors.modelNotIdentified(model, "only " + (long) n + " customers (at least " + MIN_CUSTOMERS + " needed)",
          "Fit on a larger customer base, e.g. a longer acquisition window");
    }
    double repeaters = rows.repeaters();
    if (repeaters == 0) {
      throw Errors.modelNotIdentified(model, "none of the " + (long) n + " customers made a repeat purchase in the"
          + " calibration period, so purchase rate and dropout cannot be told apart",
          "Use a later calibration end or check that repeat purchases are not filtered out of the input");
    }
  }

  @Override
  public double logLikelihood(WeightedRows rows) {
    double[] perX = perFrequencyTerms(rows.maxFrequency(), rows);
    double logAlpha = Math.log(alpha);
    double logA = Math.log(a);
    int[] x = rows.frequency();
    double[] tx = rows.recency();
    double[] age = rows.age();
    double[] w = rows.weight();
    double sum = Parallel.sum(rows.size(), i -> {
      double rx = r + x[i];
      double termA = -rx * Math.log(alpha + age[i]);
      double ll = x[i] == 0 ? termA
          : logSumExp(termA, logA - Math.log(b + x[i] - 1) - rx * Math.log(alpha + tx[i]));
      return w[i] * (perX[x[i]] + ll);
    });
    return sum + rows.customers() * (r * logAlpha - Gamma.logGamma(r) - logBeta(a, b));
  }

  /** ln Gamma(r+x) + ln B(a, b+x) for each x present in the rows (NaN elsewhere). */
  private double[] perFrequencyTerms(int maxX, WeightedRows rows) {
    double[] t = new double[maxX + 1];
    java.util.Arrays.fill(t, Double.NaN);
    for (int x : rows.frequency()) {
      if (Double.isNaN(t[x])) {
        t[x] = Gamma.logGamma(r + x) + logBeta(a, b + x);
      }
    }
    return t;
  }

  /** Analytic gradient of {@link #logLikelihood} with respect to (r, alpha, a, b). */
  public double[] gradient(WeightedRows rows) {
    int maxX = rows.maxFrequency();
    double[] psiRx = new double[maxX + 1];
    double[] psiAbx = new double[maxX + 1];
    double[] psiBx = new double[maxX + 1];
    boolean[] seen = new boolean[maxX + 1];
    for (int x : rows.frequency()) {
      if (!seen[x]) {
        seen[x] = true;
        psiRx[x] = Gamma.digamma(r + x);
        psiAbx[x] = Gamma.digamma(a + b + x);
        psiBx[x] = Gamma.digamma(b + x);
      }
    }
    double psiR = Gamma.digamma(r);
    double psiAb = Gamma.digamma(a + b);
    double psiB = Gamma.digamma(b);
    double logAlpha = Math.log(alpha);
    double logA = Math.log(a);
    double[] g = new double[4];
    int[] xs = rows.frequency();
    double[] tx = rows.recency();
    double[] age = rows.age();
    double[] w = rows.weight();
    for (int i = 0; i < rows.size(); i++) {
      int x = xs[i];
      double rx = r + x;
      double logAT = Math.log(alpha + age[i]);
      double gr = psiRx[x] - psiR + logAlpha;
      double gAlpha = r / alpha;
      double ga = psiAb - psiAbx[x];
      double gb = psiBx[x] - psiAbx[x] - psiB + psiAb;
      if (x == 0) {
        gr -= logAT;
        gAlpha -= rx / (alpha + age[i]);
      } else {
        double logATx = Math.log(alpha + tx[i]);
        double termA = -rx * logAT;
        double termB = logA - Math.log(b + x - 1) - rx * logATx;
        double pB = 1 / (1 + Math.exp(termA - termB));
        double pA = 1 - pB;
        gr -= pA * logAT + pB * logATx;
        gAlpha -= rx * (pA / (alpha + age[i]) + pB / (alpha + tx[i]));
        ga += pB / a;
        gb -= pB / (b + x - 1);
      }
      g[0] += w[i] * gr;
      g[1] += w[i] * gAlpha;
      g[2] += w[i] * ga;
      g[3] += w[i] * gb;
    }
    return g;
  }

  @Override
  public double probabilityAlive(int x, double recency, double age) {
    if (x == 0) {
      return 1;
    }
    double logRatio = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + age) - Math.log(alpha + recency));
    return 1 / (1 + Math.exp(logRatio));
  }

  @Override
  public double expectedIfAlive(int x, double age, double t) {
    if (t <= 0) {
      return 0;
    }
    double z = t / (alpha + age + t);
    double logTerm = (r + x) * Math.log1p(-z) + Hypergeometric.log(r + x, b + x, a + b + x - 1, z);
    return (a + b + x - 1) / (a - 1) * -Math.expm1(logTerm);
  }

  @Override
  public double expectedNew(double t) {
    return expectedIfAlive(0, 0, t);
  }

  /** P(at least one repeat purchase in the next t weeks | x, t_x, T). */
  public double probabilityAnyPurchase(int x, double recency, double age, double t) {
    double noneIfAlive = (r + x) * (Math.log(alpha + age) - Math.log(alpha + age + t));
    return probabilityAlive(x, recency, age) * -Math.expm1(noneIfAlive);
  }

  static double logBeta(double p, double q) {
    return Gamma.logGamma(p) + Gamma.logGamma(q) - Gamma.logGamma(p + q);
  }
}
