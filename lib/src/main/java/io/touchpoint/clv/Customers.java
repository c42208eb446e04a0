package io.touchpoint.clv;

import java.util.Arrays;

/**
 * Per-customer sufficient statistics, one array element per customer (columnar so that a million
 * customers stay a few arrays). Times in weeks since the customer's first purchase.
 *
 * @param ids customer ids, or null when the input had none
 * @param frequency repeat purchase occasions in the calibration period (x)
 * @param recency time of the last repeat purchase, 0 when x = 0 (t_x)
 * @param age time from the first purchase to the end of calibration (T)
 * @param monetary mean value of the repeat occasions (first excluded), NaN when x = 0; null when
 *     the input has no values
 * @param holdoutFrequency repeat occasions after calibration, or null without a holdout period
 * @param holdoutWeeks length of the holdout period in weeks, NaN without one
 */
public record Customers(
    String[] ids,
    int[] frequency,
    double[] recency,
    double[] age,
    double[] monetary,
    int[] holdoutFrequency,
    double holdoutWeeks) {

  public Customers {
    int n = frequency.length;
    if (recency.length != n || age.length != n
        || (ids != null && ids.length != n)
        || (monetary != null && monetary.length != n)
        || (holdoutFrequency != null && holdoutFrequency.length != n)) {
      throw new IllegalArgumentException("Customer columns differ in length");
    }
  }

  public static Customers of(int[] frequency, double[] recency, double[] age) {
    return new Customers(null, frequency, recency, age, null, null, Double.NaN);
  }

  public int size() {
    return frequency.length;
  }

  public boolean hasMonetary() {
    return monetary != null;
  }

  public long repeaters() {
    return Arrays.stream(frequency).filter(x -> x > 0).count();
  }

  public long totalHoldoutRepeats() {
    return holdoutFrequency == null ? 0 : Arrays.stream(holdoutFrequency).asLongStream().sum();
  }

  public WeightedRows weighted() {
    return WeightedRows.collapse(frequency, recency, age);
  }
}
