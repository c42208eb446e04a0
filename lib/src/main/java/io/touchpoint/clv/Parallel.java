package io.touchpoint.clv;

import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/** Sums over rows, split into chunks across the common fork-join pool when there are many. */
final class Parallel {
  private static final int CHUNK = 16_384;

  private Parallel() {}

  static double sum(int n, IntToDoubleFunction row) {
    if (n <= CHUNK) {
      return range(0, n, row);
    }
    int chunks = (n + CHUNK - 1) / CHUNK;
    return IntStream.range(0, chunks).parallel()
        .mapToDouble(c -> range(c * CHUNK, Math.min(n, (c + 1) * CHUNK), row))
        .sum();
  }

  private static double range(int from, int to, IntToDoubleFunction row) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += row.applyAsDouble(i);
    }
    return s;
  }
}
