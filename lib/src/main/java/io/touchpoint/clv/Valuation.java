package io.touchpoint.clv;

import java.util.stream.IntStream;

/**
 * Predictions and CLV for every customer. The models factor E[Y(t) | x, t_x, T] into P(alive)
 * (one value per unique (x, t_x, T) row) times E[Y(t) | alive, x, T] (one value per unique (x, T)
 * pair), so the expensive hypergeometric terms are computed per pair, not per customer.
 *
 * <p>CLV = margin * spend * sum_{m=1..M} (E[Y(m w)] - E[Y((m-1) w)]) / (1 + d)^m, with w = 52/12
 * weeks, M = horizon months, d = monthly discount rate; spend is the Gamma-Gamma conditional mean.
 */
public final class Valuation {
  private Valuation() {}

  public static Predictions predict(
      FrequencyModel model, GammaGamma spend, Customers customers, double horizonWeeks, ClvSettings settings) {
    return predict(model, spend, customers, customers.weighted(), horizonWeeks, settings);
  }

  /** As above, reusing {@code rows = customers.weighted()} already built for the fit. */
  public static Predictions predict(FrequencyModel model, GammaGamma spend, Customers customers, WeightedRows rows,
      double horizonWeeks, ClvSettings settings) {
    if (rows.rowOfCustomer() == null || rows.rowOfCustomer().length != customers.size()) {
      throw new IllegalArgumentException("rows were not collapsed from these customers");
    }
    int[] x = customers.frequency();
    int[] rx = rows.frequency();
    double[] rage = rows.age();
    Groups pairs = Groups.of(rx, rage, null);
    double[] ifAliveHorizon = new double[pairs.count()];
    double[] ifAliveDiscounted = new double[pairs.count()];
    double[] ifAliveAny = new double[pairs.count()];
    IntStream.range(0, pairs.count()).parallel().forEach(g -> {
      int r = pairs.first()[g];
      ifAliveHorizon[g] = model.expectedIfAlive(rx[r], rage[r], horizonWeeks);
      ifAliveAny[g] = model.probabilityAnyIfAlive(rx[r], rage[r], horizonWeeks);
      ifAliveDiscounted[g] = discountedPurchasesIfAlive(model, rx[r], rage[r], settings);
    });
    double[] alivePerRow = new double[rows.size()];
    IntStream.range(0, rows.size()).parallel().forEach(i ->
        alivePerRow[i] = model.probabilityAlive(rx[i], rows.recency()[i], rage[i]));

    int n = customers.size();
    double[] expected = new double[n];
    double[] alive = new double[n];
    double[] spendPer = new double[n];
    double[] clv = new double[n];
    double[] any = new double[n];
    double[] monetary = customers.monetary();
    IntStream.range(0, n).parallel().forEach(i -> {
      int row = rows.rowOfCustomer()[i];
      int g = pairs.groupOf()[row];
      alive[i] = alivePerRow[row];
      expected[i] = alive[i] * ifAliveHorizon[g];
      any[i] = alive[i] * ifAliveAny[g];
      spendPer[i] = spend == null ? Double.NaN : spend.expectedSpend(x[i], monetary == null ? Double.NaN : monetary[i]);
      clv[i] = settings.margin() * spendPer[i] * alive[i] * ifAliveDiscounted[g];
    });
    return new Predictions(horizonWeeks, expected, alive, spendPer, clv, any);
  }

  /** sum_m (E[Y(m w) | alive] - E[Y((m-1) w) | alive]) / (1 + d)^m. */
  static double discountedPurchasesIfAlive(FrequencyModel model, int x, double age, ClvSettings s) {
    double total = 0;
    double previous = 0;
    for (int m = 1; m <= s.horizonMonths(); m++) {
      double e = model.expectedIfAlive(x, age, m * ClvSettings.WEEKS_PER_MONTH);
      total += (e - previous) / Math.pow(1 + s.monthlyDiscount(), m);
      previous = e;
    }
    return total;
  }

  /** CLV of one customer, by the definition above (for checks and ad-hoc use). */
  public static double clv(FrequencyModel model, GammaGamma spend, int x, double recency, double age,
      double monetary, ClvSettings s) {
    return s.margin() * spend.expectedSpend(x, monetary) * model.probabilityAlive(x, recency, age)
        * discountedPurchasesIfAlive(model, x, age, s);
  }
}
