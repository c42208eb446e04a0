package io.touchpoint.clv;

import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/** Sums over rows, split into chunks across the common fork-join pool when there are many. */
final class Parallel {
  private static final int CHUNK = 16_384;

  /** Adds row i's contributions into {@code acc}. */
  interface Accumulator {
    void add(int i, double[] acc);
  }

  private Parallel() {}

  static double sum(int n, IntToDoubleFunction row) {
    if (n <= CHUNK) {
      return range(0, n, row);
    }
    return IntStream.range(0, chunks(n)).parallel()
        .mapToDouble(c -> range(c * CHUNK, Math.min(n, (c + 1) * CHUNK), row))
        .sum();
  }

  /** k sums at once (e.g. a gradient). */
  static double[] sums(int n, int k, Accumulator row) {
    return IntStream.range(0, chunks(n)).parallel()
        .mapToObj(c -> {
          double[] acc = new double[k];
          for (int i = c * CHUNK, end = Math.min(n, (c + 1) * CHUNK); i < end; i++) {
            row.add(i, acc);
          }
          return acc;
        })
        .reduce(new double[k], (a, b) -> {
          double[] s = new double[k];
          for (int j = 0; j < k; j++) {
            s[j] = a[j] + b[j];
          }
          return s;
        });
  }

  private static int chunks(int n) {
    return Math.max(1, (n + CHUNK - 1) / CHUNK);
  }

  private static double range(int from, int to, IntToDoubleFunction row) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += row.applyAsDouble(i);
    }
    return s;
  }
}
