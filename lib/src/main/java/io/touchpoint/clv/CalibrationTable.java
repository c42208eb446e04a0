package io.touchpoint.clv;

import java.util.ArrayList;
import java.util.List;

/**
 * Actual vs expected holdout repeat purchases by calibration frequency 0, 1, ..., {@code top}+
 * (FHL 2005, Figure 4).
 */
public final class CalibrationTable {
  public static final int TOP = 7;

  /** One frequency class; {@code frequency} is "0".."6" or "7+". Means are per customer. */
  public record Row(String frequency, long customers, double actualMean, double expectedMean) {}

  private CalibrationTable() {}

  public static List<Row> of(Customers customers, Predictions predictions) {
    if (customers.holdoutFrequency() == null) {
      throw new IllegalArgumentException("the customers have no holdout period");
    }
    long[] count = new long[TOP + 1];
    double[] actual = new double[TOP + 1];
    double[] expected = new double[TOP + 1];
    for (int i = 0; i < customers.size(); i++) {
      int k = Math.min(TOP, customers.frequency()[i]);
      count[k]++;
      actual[k] += customers.holdoutFrequency()[i];
      expected[k] += predictions.expectedPurchases()[i];
    }
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k <= TOP; k++) {
      if (count[k] > 0) {
        rows.add(new Row(k == TOP ? TOP + "+" : Integer.toString(k), count[k], actual[k] / count[k], expected[k] / count[k]));
      }
    }
    return rows;
  }
}
