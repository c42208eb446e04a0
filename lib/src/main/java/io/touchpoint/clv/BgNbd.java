package io.touchpoint.clv;

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
    return MaximumLikelihood.fit("BG/NBD", NAMES, new Likelihood(rows), BgNbd::of,
        List.of(new double[] {1, alpha0, 1, 1}, new double[] {0.5, alpha0 / 2, 0.5, 2}, new double[] {1, 1, 1, 1}));
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
    return new Likelihood(rows).value(new double[] {r, alpha, a, b});
  }

  /** Analytic gradient of {@link #logLikelihood} with respect to (r, alpha, a, b). */
  public double[] gradient(WeightedRows rows) {
    return new Likelihood(rows).gradient(new double[] {r, alpha, a, b});
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

  /**
   * 1 - ((alpha+T)/(alpha+T+t))^(r+x): an alive customer drops out only right after a purchase, so
   * the first one comes unless the Poisson process (lambda | x, T ~ Gamma(r+x, alpha+T)) stays silent.
   */
  @Override
  public double probabilityAnyIfAlive(int x, double age, double t) {
    if (t <= 0) {
      return 0;
    }
    return -Math.expm1((r + x) * (Math.log(alpha + age) - Math.log(alpha + age + t)));
  }

  /**
   * The log-likelihood prepared for repeated evaluation: ln(alpha + t) is computed once per distinct
   * time value, the terms that depend on x only once per distinct x, and customers with x = 0
   * (whose term is -(r) ln(alpha + T)) are summed per distinct T. What remains per repeat row is
   * one exp and one log1p: logsumexp(A, B) = max + log1p(exp(-|B - A|)).
   */
  static final class Likelihood implements Objective {
    private final WeightedRows rows;
    private final double[] times;
    private final int[] recencyTime;
    private final int[] ageTime;
    private final double[] zeroWeightByTime;
    private final int[] repeatRows;
    private final double[] weightByX;
    private final int[] distinctX;
    private final double customers;

    Likelihood(WeightedRows rows) {
      this.rows = rows;
      int n = rows.size();
      double[] both = new double[2 * n];
      System.arraycopy(rows.recency(), 0, both, 0, n);
      System.arraycopy(rows.age(), 0, both, n, n);
      Groups g = Groups.of(new int[2 * n], both, null);
      times = new double[g.count()];
      for (int u = 0; u < g.count(); u++) {
        times[u] = both[g.first()[u]];
      }
      recencyTime = java.util.Arrays.copyOfRange(g.groupOf(), 0, n);
      ageTime = java.util.Arrays.copyOfRange(g.groupOf(), n, 2 * n);
      zeroWeightByTime = new double[times.length];
      weightByX = new double[rows.maxFrequency() + 1];
      int repeats = 0;
      for (int i = 0; i < n; i++) {
        weightByX[rows.frequency()[i]] += rows.weight()[i];
        if (rows.frequency()[i] == 0) {
          zeroWeightByTime[ageTime[i]] += rows.weight()[i];
        } else {
          repeats++;
        }
      }
      repeatRows = new int[repeats];
      for (int i = 0, j = 0; i < n; i++) {
        if (rows.frequency()[i] > 0) {
          repeatRows[j++] = i;
        }
      }
      distinctX = java.util.stream.IntStream.range(0, weightByX.length).filter(x -> weightByX[x] > 0).toArray();
      customers = rows.customers();
    }

    @Override
    public boolean hasAnalyticGradient() {
      return true;
    }

    @Override
    public double customers() {
      return customers;
    }

    @Override
    public Objective thinned(double fraction) {
      return new Likelihood(rows.thinned(fraction));
    }

    private double[] logAlphaPlus(double alpha) {
      double[] l = new double[times.length];
      for (int u = 0; u < times.length; u++) {
        l[u] = Math.log(alpha + times[u]);
      }
      return l;
    }

    @Override
    public double value(double[] p) {
      double r = p[0];
      double alpha = p[1];
      double a = p[2];
      double b = p[3];
      double[] l = logAlphaPlus(alpha);
      double perCustomer = r * Math.log(alpha) - Gamma.logGamma(r) - logBeta(a, b);
      double total = customers * perCustomer;
      double[] logB1 = new double[weightByX.length];
      for (int x : distinctX) {
        total += weightByX[x] * (Gamma.logGamma(r + x) + logBeta(a, b + x));
        logB1[x] = x > 0 ? Math.log(b + x - 1) : 0;
      }
      for (int u = 0; u < times.length; u++) {
        total -= zeroWeightByTime[u] * r * l[u];
      }
      double logA = Math.log(a);
      int[] xs = rows.frequency();
      double[] w = rows.weight();
      return total + Parallel.sum(repeatRows.length, j -> {
        int i = repeatRows[j];
        int x = xs[i];
        double rx = r + x;
        double lt = l[ageTime[i]];
        double d = logA - logB1[x] + rx * (lt - l[recencyTime[i]]);
        double lse = d > 0 ? d + Math.log1p(Math.exp(-d)) : Math.log1p(Math.exp(d));
        return w[i] * (lse - rx * lt);
      });
    }

    @Override
    public double[] gradient(double[] p) {
      double r = p[0];
      double alpha = p[1];
      double a = p[2];
      double b = p[3];
      double[] l = logAlphaPlus(alpha);
      double psiAb = Gamma.digamma(a + b);
      double[] g = {
          customers * (Math.log(alpha) - Gamma.digamma(r)),
          customers * r / alpha,
          0,
          customers * (psiAb - Gamma.digamma(b))};
      double[] bx1 = new double[weightByX.length];
      double[] logBx1 = new double[weightByX.length];
      for (int x : distinctX) {
        double psiAbx = Gamma.digamma(a + b + x);
        g[0] += weightByX[x] * Gamma.digamma(r + x);
        g[2] += weightByX[x] * (psiAb - psiAbx);
        g[3] += weightByX[x] * (Gamma.digamma(b + x) - psiAbx);
        bx1[x] = b + x - 1;
        logBx1[x] = Math.log(bx1[x]);
      }
      for (int u = 0; u < times.length; u++) {
        g[0] -= zeroWeightByTime[u] * l[u];
        g[1] -= zeroWeightByTime[u] * r / (alpha + times[u]);
      }
      double logA = Math.log(a);
      int[] xs = rows.frequency();
      double[] w = rows.weight();
      double[] tx = rows.recency();
      double[] age = rows.age();
      double[] rowSums = Parallel.sums(repeatRows.length, 4, (j, acc) -> {
        int i = repeatRows[j];
        int x = xs[i];
        double rx = r + x;
        double lt = l[ageTime[i]];
        double ltx = l[recencyTime[i]];
        double pB = 1 / (1 + Math.exp(-(logA - logBx1[x] + rx * (lt - ltx))));
        double pA = 1 - pB;
        acc[0] -= w[i] * (pA * lt + pB * ltx);
        acc[1] -= w[i] * rx * (pA / (alpha + age[i]) + pB / (alpha + tx[i]));
        acc[2] += w[i] * pB / a;
        acc[3] -= w[i] * pB / bx1[x];
      });
      for (int k = 0; k < 4; k++) {
        g[k] += rowSums[k];
      }
      return g;
    }
  }

  static double logBeta(double p, double q) {
    return Gamma.logGamma(p) + Gamma.logGamma(q) - Gamma.logGamma(p + q);
  }
}
