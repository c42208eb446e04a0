package io.touchpoint.clv;

/**
 * A fitted model of repeat-purchase counts (BG/NBD, MBG/NBD or Pareto/NBD), times in weeks. All write the
 * conditional expectation as E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) * E[Y(t) | alive, x, T],
 * which lets {@link Valuation} compute the second factor once per (x, T) pair.
 */
public sealed interface FrequencyModel permits BgNbd, ModifiedBgNbd, ParetoNbd {

  String name();

  double logLikelihood(WeightedRows rows);

  /** P(the customer is still active at T | x, t_x, T). */
  double probabilityAlive(int x, double recency, double age);

  /** E[repeat purchases in (T, T + t] | alive at T, x, T]. */
  double expectedIfAlive(int x, double age, double t);

  /** E[X(t)] for a customer just acquired: expected repeat purchases in the first t weeks. */
  double expectedNew(double t);

  /** P(at least one repeat purchase in (T, T + t] | alive at T, x, T). */
  double probabilityAnyIfAlive(int x, double age, double t);

  /** P(at least one repeat purchase in the next t weeks | x, t_x, T). */
  default double probabilityAnyPurchase(int x, double recency, double age, double t) {
    return probabilityAlive(x, recency, age) * probabilityAnyIfAlive(x, age, t);
  }

  /** E[Y(t) | x, t_x, T]: expected repeat purchases in the next t weeks. */
  default double expected(int x, double recency, double age, double t) {
    return probabilityAlive(x, recency, age) * expectedIfAlive(x, age, t);
  }

  /** log(e^u + e^v) without overflow. */
  static double logSumExp(double u, double v) {
    double m = Math.max(u, v);
    if (m == Double.NEGATIVE_INFINITY) {
      return m;
    }
    return m + Math.log1p(Math.exp(Math.min(u, v) - m));
  }

  /** [1 - q^k] / k, continuous at k = 0 (where it is -log q). */
  static double oneMinusPowerOver(double logQ, double k) {
    return Math.abs(k) < 1e-12 ? -logQ : -Math.expm1(k * logQ) / k;
  }
}
