package io.touchpoint.clv;

import io.touchpoint.errors.Errors;
import java.util.List;
import org.apache.commons.math3.special.Gamma;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gamma-Gamma spend model of Fader &amp; Hardie (2013): transaction values are Gamma(p, nu), nu ~
 * Gamma(q, gamma), independent of the purchase process. Fitted on customers with x &gt;= 1 from the
 * mean m of their x repeat transactions. The log-likelihood is that of the observed mean (the
 * convention of the published -4055.92 and of the Python lifetimes package):
 * ln Gamma(px+q) - ln Gamma(px) - ln Gamma(q) + q ln gamma + (px-1) ln m + px ln x
 * - (px+q) ln(gamma + x m).
 */
public record GammaGamma(double p, double q, double gamma) {
  public static final List<String> NAMES = List.of("p", "q", "gamma");
  private static final Logger LOG = LoggerFactory.getLogger(GammaGamma.class);
  static final double NOTABLE_CORRELATION = 0.3;

  public static GammaGamma of(double[] v) {
    return new GammaGamma(v[0], v[1], v[2]);
  }

  /** Repeat customers' (x, m), identical pairs collapsed with weights. */
  public record Spend(int[] frequency, double[] monetary, double[] weight) {
    public static Spend of(Customers customers) {
      int n = 0;
      for (int i = 0; i < customers.size(); i++) {
        if (usable(customers, i)) {
          n++;
        }
      }
      int[] x = new int[n];
      double[] m = new double[n];
      for (int i = 0, j = 0; i < customers.size(); i++) {
        if (usable(customers, i)) {
          x[j] = customers.frequency()[i];
          m[j++] = customers.monetary()[i];
        }
      }
      Groups g = Groups.of(x, m, null);
      int[] gx = new int[g.count()];
      double[] gm = new double[g.count()];
      for (int k = 0; k < g.count(); k++) {
        gx[k] = x[g.first()[k]];
        gm[k] = m[g.first()[k]];
      }
      return new Spend(gx, gm, g.weights());
    }

    private static boolean usable(Customers c, int i) {
      return c.frequency()[i] > 0 && c.monetary()[i] > 0;
    }

    public double customers() {
      return java.util.Arrays.stream(weight).sum();
    }

    /** Weighted Pearson correlation between frequency and mean spend. */
    public double correlation() {
      double n = customers();
      double mx = 0;
      double mm = 0;
      for (int i = 0; i < weight.length; i++) {
        mx += weight[i] * frequency[i] / n;
        mm += weight[i] * monetary[i] / n;
      }
      double sxy = 0;
      double sxx = 0;
      double syy = 0;
      for (int i = 0; i < weight.length; i++) {
        double dx = frequency[i] - mx;
        double dy = monetary[i] - mm;
        sxy += weight[i] * dx * dy;
        sxx += weight[i] * dx * dx;
        syy += weight[i] * dy * dy;
      }
      return sxy / Math.sqrt(sxx * syy);
    }
  }

  public static Fit<GammaGamma> fit(Customers customers) {
    if (!customers.hasMonetary()) {
      throw Errors.modelNotIdentified("Gamma-Gamma", "the input has no monetary values",
          "Give transaction values, or a monetary_value column in the RFM file");
    }
    return fit(Spend.of(customers));
  }

  public static Fit<GammaGamma> fit(Spend spend) {
    double n = spend.customers();
    if (n < BgNbd.MIN_CUSTOMERS) {
      throw Errors.modelNotIdentified("Gamma-Gamma", "only " + (long) n + " customers with a repeat purchase and a"
          + " positive value (at least " + BgNbd.MIN_CUSTOMERS + " needed)", "Fit on a larger customer base");
    }
    double corr = spend.correlation();
    if (Math.abs(corr) > NOTABLE_CORRELATION) {
      LOG.warn("Gamma-Gamma assumes spend is independent of frequency, but their correlation is {}:"
          + " expected spend and CLV may be biased", String.format("%.3f", corr));
    } else {
      LOG.info("Correlation between frequency and mean spend: {}", String.format("%.3f", corr));
    }
    double mean = 0;
    for (int i = 0; i < spend.weight().length; i++) {
      mean += spend.weight()[i] * spend.monetary()[i] / n;
    }
    return MaximumLikelihood.fit("Gamma-Gamma", NAMES, new Likelihood(spend), GammaGamma::of,
        List.of(new double[] {2, 3, Math.max(1e-3, mean)}, new double[] {1, 1, 1}));
  }

  public double logLikelihood(Spend spend) {
    return new Likelihood(spend).value(new double[] {p, q, gamma});
  }

  /** Analytic gradient of {@link #logLikelihood} with respect to (p, q, gamma). */
  public double[] gradient(Spend spend) {
    return new Likelihood(spend).gradient(new double[] {p, q, gamma});
  }

  /** Expected mean transaction value given x repeat purchases averaging m (x = 0: population mean). */
  public double expectedSpend(int x, double monetary) {
    if (x == 0 || !(monetary > 0)) {
      return p * gamma / (q - 1);
    }
    return p * (gamma + x * monetary) / (p * x + q - 1);
  }

  /**
   * The data-only sums are precomputed once so an evaluation costs one log per row; the gradient is
   * analytic (digamma per distinct x).
   */
  private static final class Likelihood implements Objective {
    private final Spend spend;
    private final double sumWxLogM;
    private final double sumWLogM;
    private final double sumWxLogX;
    private final int maxX;

    Likelihood(Spend s) {
      this.spend = s;
      double a = 0;
      double b = 0;
      double c = 0;
      int mx = 0;
      for (int i = 0; i < s.weight().length; i++) {
        double lm = Math.log(s.monetary()[i]);
        int x = s.frequency()[i];
        a += s.weight()[i] * x * lm;
        b += s.weight()[i] * lm;
        c += s.weight()[i] * x * Math.log(x);
        mx = Math.max(mx, x);
      }
      sumWxLogM = a;
      sumWLogM = b;
      sumWxLogX = c;
      maxX = mx;
    }

    @Override
    public boolean hasAnalyticGradient() {
      return true;
    }

    @Override
    public double customers() {
      return spend.customers();
    }

    @Override
    public Objective thinned(double fraction) {
      double[] w = Objective.thin(spend.weight(), fraction);
      int n = 0;
      for (double v : w) {
        n += v > 0 ? 1 : 0;
      }
      int[] x = new int[n];
      double[] m = new double[n];
      double[] kept = new double[n];
      for (int i = 0, j = 0; i < w.length; i++) {
        if (w[i] > 0) {
          x[j] = spend.frequency()[i];
          m[j] = spend.monetary()[i];
          kept[j++] = w[i];
        }
      }
      return new Likelihood(new Spend(x, m, kept));
    }

    @Override
    public double[] gradient(double[] v) {
      double p = v[0];
      double q = v[1];
      double gamma = v[2];
      double n = spend.customers();
      int[] x = spend.frequency();
      double[] m = spend.monetary();
      double[] w = spend.weight();
      double[] psiPxq = new double[maxX + 1];
      double[] psiPx = new double[maxX + 1];
      java.util.Arrays.fill(psiPx, Double.NaN);
      for (int xi : x) {
        if (Double.isNaN(psiPx[xi])) {
          psiPx[xi] = Gamma.digamma(p * xi);
          psiPxq[xi] = Gamma.digamma(p * xi + q);
        }
      }
      double[] g = Parallel.sums(w.length, 3, (i, acc) -> {
        double s = gamma + x[i] * m[i];
        double ls = Math.log(s);
        acc[0] += w[i] * x[i] * (psiPxq[x[i]] - psiPx[x[i]] - ls);
        acc[1] += w[i] * (psiPxq[x[i]] - ls);
        acc[2] -= w[i] * (p * x[i] + q) / s;
      });
      g[0] += sumWxLogM + sumWxLogX;
      g[1] += n * (Math.log(gamma) - Gamma.digamma(q));
      g[2] += n * q / gamma;
      return g;
    }

    @Override
    public double value(double[] v) {
      double p = v[0];
      double q = v[1];
      double gamma = v[2];
      double[] perX = new double[maxX + 1];
      java.util.Arrays.fill(perX, Double.NaN);
      int[] x = spend.frequency();
      double[] m = spend.monetary();
      double[] w = spend.weight();
      for (int xi : x) {
        if (Double.isNaN(perX[xi])) {
          perX[xi] = Gamma.logGamma(p * xi + q) - Gamma.logGamma(p * xi);
        }
      }
      double rows = Parallel.sum(w.length, i -> w[i] * (perX[x[i]] - (p * x[i] + q) * Math.log(gamma + x[i] * m[i])));
      double n = spend.customers();
      return rows + n * (q * Math.log(gamma) - Gamma.logGamma(q)) + p * (sumWxLogM + sumWxLogX) - sumWLogM;
    }
  }
}
