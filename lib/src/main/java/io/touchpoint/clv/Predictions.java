package io.touchpoint.clv;

/**
 * Per-customer predictions, in the order of the {@link Customers} they were made for.
 *
 * @param horizonWeeks horizon of {@code expectedPurchases} and {@code probabilityAnyPurchase}
 * @param expectedPurchases E[Y(horizon) | x, t_x, T]
 * @param probabilityAlive P(alive at T | x, t_x, T)
 * @param expectedSpend Gamma-Gamma conditional mean spend per purchase; NaN without a spend model
 * @param clv discounted margin of the purchases expected over the CLV horizon; NaN without spend
 * @param probabilityAnyPurchase P(at least one repeat purchase within the horizon | x, t_x, T)
 */
public record Predictions(
    double horizonWeeks,
    double[] expectedPurchases,
    double[] probabilityAlive,
    double[] expectedSpend,
    double[] clv,
    double[] probabilityAnyPurchase) {

  public int size() {
    return expectedPurchases.length;
  }
}
