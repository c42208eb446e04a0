package io.touchpoint.clv;

import java.util.Arrays;

/**
 * Unique (x, t_x, T) rows with weight = number of customers sharing them: the sufficient
 * statistics of BG/NBD and Pareto/NBD. Also remembers which row each customer went to, so that
 * predictions made per row can be handed back per customer.
 */
public record WeightedRows(int[] frequency, double[] recency, double[] age, double[] weight, int[] rowOfCustomer) {

  public static WeightedRows of(int[] frequency, double[] recency, double[] age, double[] weight) {
    return new WeightedRows(frequency, recency, age, weight, null);
  }

  public static WeightedRows collapse(int[] frequency, double[] recency, double[] age) {
    Groups g = Groups.of(frequency, recency, age);
    int k = g.count();
    int[] x = new int[k];
    double[] tx = new double[k];
    double[] t = new double[k];
    for (int i = 0; i < k; i++) {
      int c = g.first()[i];
      x[i] = frequency[c];
      tx[i] = recency[c];
      t[i] = age[c];
    }
    return new WeightedRows(x, tx, t, g.weights(), g.groupOf());
  }

  /** About {@code fraction} of the customers (see {@link Objective#thin}), rows left empty dropped. */
  WeightedRows thinned(double fraction) {
    double[] w = Objective.thin(weight, fraction);
    int n = 0;
    for (double v : w) {
      n += v > 0 ? 1 : 0;
    }
    int[] x = new int[n];
    double[] tx = new double[n];
    double[] t = new double[n];
    double[] kept = new double[n];
    for (int i = 0, j = 0; i < w.length; i++) {
      if (w[i] > 0) {
        x[j] = frequency[i];
        tx[j] = recency[i];
        t[j] = age[i];
        kept[j++] = w[i];
      }
    }
    return of(x, tx, t, kept);
  }

  public int size() {
    return frequency.length;
  }

  public double customers() {
    return Arrays.stream(weight).sum();
  }

  public double repeaters() {
    double s = 0;
    for (int i = 0; i < frequency.length; i++) {
      if (frequency[i] > 0) {
        s += weight[i];
      }
    }
    return s;
  }

  public int maxFrequency() {
    return Arrays.stream(frequency).max().orElse(0);
  }
}
