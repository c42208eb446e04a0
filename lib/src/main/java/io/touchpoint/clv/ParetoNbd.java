package io.touchpoint.clv;

import static io.touchpoint.clv.FrequencyModel.logSumExp;

import java.util.List;
import org.apache.commons.math3.special.Gamma;

/**
 * Pareto/NBD model (Schmittlein, Morrison &amp; Colombo 1987) in the form of Fader, Hardie &amp; Lee
 * (2005) and Fader &amp; Hardie's note "Deriving the Pareto/NBD model and related expressions":
 * purchases Poisson(lambda), lambda ~ Gamma(r, alpha); lifetime Exponential(mu), mu ~ Gamma(s,
 * beta).
 *
 * <p>L = Gamma(r+x) alpha^r beta^s / Gamma(r) * [ (alpha+T)^-(r+x) (beta+T)^-s + s/(r+s+x) A0 ],
 * with, for alpha &gt;= beta (m = alpha, c = s+1; otherwise m = beta, c = r+x),
 * A0 = 2F1(r+s+x, c; r+s+x+1; |alpha-beta|/(m+t_x)) / (m+t_x)^(r+s+x) - the same at T. Swapping
 * on alpha vs beta keeps the 2F1 argument in [0, 1) (as BTYD does); both terms of A0 and the outer
 * sum are combined in log space.
 */
public record ParetoNbd(double r, double alpha, double s, double beta) implements FrequencyModel {
  public static final List<String> NAMES = List.of("r", "alpha", "s", "beta");

  public static ParetoNbd of(double[] p) {
    return new ParetoNbd(p[0], p[1], p[2], p[3]);
  }

  @Override
  public String name() {
    return "pareto";
  }

  public static Fit<ParetoNbd> fit(WeightedRows rows) {
    BgNbd.requireIdentifiable("Pareto/NBD", rows);
    double meanAge = 0;
    double n = rows.customers();
    for (int i = 0; i < rows.size(); i++) {
      meanAge += rows.weight()[i] * rows.age()[i] / n;
    }
    return MaximumLikelihood.fit("Pareto/NBD", NAMES, new Likelihood(rows), ParetoNbd::of,
        List.of(new double[] {1, Math.max(1e-3, meanAge), 1, Math.max(1e-3, meanAge)}, new double[] {1, 1, 1, 1}));
  }

  @Override
  public double logLikelihood(WeightedRows rows) {
    int[] x = rows.frequency();
    double[] tx = rows.recency();
    double[] age = rows.age();
    double[] w = rows.weight();
    double constant = r * Math.log(alpha) + s * Math.log(beta) - Gamma.logGamma(r);
    double[] lgRx = new double[rows.maxFrequency() + 1];
    java.util.Arrays.fill(lgRx, Double.NaN);
    for (int xi : x) {
      if (Double.isNaN(lgRx[xi])) {
        lgRx[xi] = Gamma.logGamma(r + xi);
      }
    }
    double sum = Parallel.sum(rows.size(), i -> {
      double[] terms = terms(x[i], tx[i], age[i]);
      return w[i] * (lgRx[x[i]] + logSumExp(terms[0], terms[1]));
    });
    return sum + rows.customers() * constant;
  }

  /** {ln of the "alive at T" term, ln of s/(r+s+x) A0} of the likelihood bracket. */
  private double[] terms(int x, double recency, double age) {
    double alive = -(r + x) * Math.log(alpha + age) - s * Math.log(beta + age);
    double k = r + s + x;
    boolean alphaLarger = alpha >= beta;
    double m = alphaLarger ? alpha : beta;
    double c = alphaLarger ? s + 1 : r + x;
    double d = Math.abs(alpha - beta);
    double atRecency = Hypergeometric.log(k, c, k + 1, d / (m + recency)) - k * Math.log(m + recency);
    double atAge = Hypergeometric.log(k, c, k + 1, d / (m + age)) - k * Math.log(m + age);
    double diff = atAge - atRecency;
    double logA0 = diff >= 0 ? Double.NEGATIVE_INFINITY : atRecency + Math.log(-Math.expm1(diff));
    return new double[] {alive, Math.log(s) - Math.log(k) + logA0};
  }

  /** The log-likelihood as an optimiser objective (numerical gradient). */
  private record Likelihood(WeightedRows rows) implements Objective {
    @Override
    public double value(double[] p) {
      return of(p).logLikelihood(rows);
    }

    @Override
    public double customers() {
      return rows.customers();
    }

    @Override
    public Objective thinned(double fraction) {
      return new Likelihood(rows.thinned(fraction));
    }
  }

  @Override
  public double probabilityAlive(int x, double recency, double age) {
    double[] t = terms(x, recency, age);
    return 1 / (1 + Math.exp(t[1] - t[0]));
  }

  @Override
  public double expectedIfAlive(int x, double age, double t) {
    double logQ = Math.log(beta + age) - Math.log(beta + age + t);
    return (r + x) * (beta + age) / (alpha + age) * FrequencyModel.oneMinusPowerOver(logQ, s - 1);
  }

  /**
   * P(a purchase in (T, T+t] | alive at T). Given alive at T, lambda ~ Gamma(r+x, alpha+T) and
   * mu ~ Gamma(s, beta+T) independently, and a purchase comes before the dropout with probability
   * E[lambda/(lambda+mu) (1 - e^-(lambda+mu) t)] = E[∫_0^t lambda e^-lambda u e^-mu u du]
   * = (r+x) (alpha+T)^(r+x) (beta+T)^s ∫_T^(T+t) (alpha+y)^-(r+x+1) (beta+y)^-s dy.
   * The integral is H(T) - H(T+t) with H(y) = (m+y)^-k / k 2F1(k, c; k+1; |alpha-beta|/(m+y)),
   * k = r+s+x and, as in the likelihood, m = alpha, c = s when alpha &gt;= beta, else m = beta, c = r+x+1.
   */
  @Override
  public double probabilityAnyIfAlive(int x, double age, double t) {
    if (t <= 0) {
      return 0;
    }
    double k = r + s + x;
    boolean alphaLarger = alpha >= beta;
    double m = alphaLarger ? alpha : beta;
    double c = alphaLarger ? s : r + x + 1;
    double d = Math.abs(alpha - beta);
    double atAge = Hypergeometric.log(k, c, k + 1, d / (m + age)) - k * Math.log(m + age);
    double atEnd = Hypergeometric.log(k, c, k + 1, d / (m + age + t)) - k * Math.log(m + age + t);
    double logIntegral = atAge + Math.log(-Math.expm1(atEnd - atAge)) - Math.log(k);
    return Math.exp(Math.log(r + x) + (r + x) * Math.log(alpha + age) + s * Math.log(beta + age) + logIntegral);
  }

  @Override
  public double expectedNew(double t) {
    return r * beta / alpha * FrequencyModel.oneMinusPowerOver(Math.log(beta) - Math.log(beta + t), s - 1);
  }
}
