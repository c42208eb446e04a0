package io.touchpoint.clv;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.special.Gamma;

/**
 * MBG/NBD model of Batislam, Denizel &amp; Filiztekin (2007), with the correction of Wagner &amp;
 * Hoppe (2008), as lifetimes' {@code ModifiedBetaGeoFitter} and BTYDplus' {@code mbgnbd} implement
 * it: like BG/NBD, purchases are Poisson(lambda), lambda ~ Gamma(r, alpha), and the customer drops
 * out with probability p ~ Beta(a, b) after a purchase; unlike BG/NBD the first purchase counts too,
 * so a customer who never repeated can already be gone (P(alive) &lt; 1 at x = 0).
 *
 * <p>Per customer, with D = ln a - ln(b+x) + (r+x) [ln(alpha+T) - ln(alpha+t_x)]:
 * LL = ln Gamma(r+x) - ln Gamma(r) + r ln alpha + ln B(a, b+x+1) - ln B(a, b) - (r+x) ln(alpha+T)
 * + ln(1 + e^D), and P(alive) = 1 / (1 + e^D). The gradient is analytic (digamma).
 */
public record ModifiedBgNbd(double r, double alpha, double a, double b) implements FrequencyModel {
  public static final List<String> NAMES = List.of("r", "alpha", "a", "b");

  public static ModifiedBgNbd of(double[] p) {
    return new ModifiedBgNbd(p[0], p[1], p[2], p[3]);
  }

  @Override
  public String name() {
    return "mbgnbd";
  }

  /** Fits by maximum likelihood; fails with a user-facing error if the data cannot identify it. */
  public static Fit<ModifiedBgNbd> fit(WeightedRows rows) {
    BgNbd.requireIdentifiable("MBG/NBD", rows);
    double meanAge = 0;
    double meanX = 0;
    double n = rows.customers();
    for (int i = 0; i < rows.size(); i++) {
      meanAge += rows.weight()[i] * rows.age()[i] / n;
      meanX += rows.weight()[i] * rows.frequency()[i] / n;
    }
    double alpha0 = Math.max(1e-3, meanAge / Math.max(meanX, 0.1));
    return MaximumLikelihood.fit("MBG/NBD", NAMES, new Likelihood(rows), ModifiedBgNbd::of,
        List.of(new double[] {1, alpha0, 1, 1}, new double[] {0.5, alpha0 / 2, 0.5, 2}, new double[] {1, 1, 1, 1}));
  }

  @Override
  public double logLikelihood(WeightedRows rows) {
    return new Likelihood(rows).value(new double[] {r, alpha, a, b});
  }

  /** Analytic gradient of {@link #logLikelihood} with respect to (r, alpha, a, b). */
  public double[] gradient(WeightedRows rows) {
    return new Likelihood(rows).gradient(new double[] {r, alpha, a, b});
  }

  /** D of the class comment: the log odds of "dropped out at the last purchase" against "alive". */
  private double logOddsGone(int x, double recency, double age) {
    return Math.log(a) - Math.log(b + x) + (r + x) * (Math.log(alpha + age) - Math.log(alpha + recency));
  }

  @Override
  public double probabilityAlive(int x, double recency, double age) {
    return 1 / (1 + Math.exp(logOddsGone(x, recency, age)));
  }

  /**
   * (a+b+x)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; t/(alpha+T+t))]: the
   * conditional expectation of Wagner &amp; Hoppe (2008) divided by P(alive).
   */
  @Override
  public double expectedIfAlive(int x, double age, double t) {
    if (t <= 0) {
      return 0;
    }
    double z = t / (alpha + age + t);
    double logTerm = (r + x) * Math.log1p(-z) + Hypergeometric.log(r + x, b + x + 1, a + b + x, z);
    return (a + b + x) / (a - 1) * -Math.expm1(logTerm);
  }

  /** b/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b+1; a+b; t/(alpha+t))] = P(alive | 0, 0, 0) E[Y(t) | alive]. */
  @Override
  public double expectedNew(double t) {
    return probabilityAlive(0, 0, 0) * expectedIfAlive(0, 0, t);
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
   * The log-likelihood prepared for repeated evaluation: ln(alpha + t) once per distinct time, the
   * terms of x only once per distinct x; per row one exp and one log1p.
   */
  static final class Likelihood implements Objective {
    private final WeightedRows rows;
    private final double[] times;
    private final int[] recencyTime;
    private final int[] ageTime;
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
      recencyTime = Arrays.copyOfRange(g.groupOf(), 0, n);
      ageTime = Arrays.copyOfRange(g.groupOf(), n, 2 * n);
      weightByX = new double[rows.maxFrequency() + 1];
      for (int i = 0; i < n; i++) {
        weightByX[rows.frequency()[i]] += rows.weight()[i];
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
      double total = customers * (r * Math.log(alpha) - Gamma.logGamma(r) - BgNbd.logBeta(a, b));
      double[] logBx = new double[weightByX.length];
      for (int x : distinctX) {
        total += weightByX[x] * (Gamma.logGamma(r + x) + BgNbd.logBeta(a, b + x + 1));
        logBx[x] = Math.log(b + x);
      }
      double logA = Math.log(a);
      int[] xs = rows.frequency();
      double[] w = rows.weight();
      return total + Parallel.sum(rows.size(), i -> {
        int x = xs[i];
        double rx = r + x;
        double lt = l[ageTime[i]];
        double d = logA - logBx[x] + rx * (lt - l[recencyTime[i]]);
        double softplus = d > 0 ? d + Math.log1p(Math.exp(-d)) : Math.log1p(Math.exp(d));
        return w[i] * (softplus - rx * lt);
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
      double[] logBx = new double[weightByX.length];
      for (int x : distinctX) {
        double psiAbx = Gamma.digamma(a + b + x + 1);
        g[0] += weightByX[x] * Gamma.digamma(r + x);
        g[2] += weightByX[x] * (psiAb - psiAbx);
        g[3] += weightByX[x] * (Gamma.digamma(b + x + 1) - psiAbx);
        logBx[x] = Math.log(b + x);
      }
      double logA = Math.log(a);
      int[] xs = rows.frequency();
      double[] w = rows.weight();
      double[] tx = rows.recency();
      double[] age = rows.age();
      double[] rowSums = Parallel.sums(rows.size(), 4, (i, acc) -> {
        int x = xs[i];
        double rx = r + x;
        double lt = l[ageTime[i]];
        double ltx = l[recencyTime[i]];
        double gone = 1 / (1 + Math.exp(-(logA - logBx[x] + rx * (lt - ltx))));
        acc[0] += w[i] * (gone * (lt - ltx) - lt);
        acc[1] += w[i] * rx * (gone * (1 / (alpha + age[i]) - 1 / (alpha + tx[i])) - 1 / (alpha + age[i]));
        acc[2] += w[i] * gone / a;
        acc[3] -= w[i] * gone / (b + x);
      });
      for (int k = 0; k < 4; k++) {
        g[k] += rowSums[k];
      }
      return g;
    }
  }
}
