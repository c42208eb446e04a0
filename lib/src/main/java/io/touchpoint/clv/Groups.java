package io.touchpoint.clv;

/**
 * Groups rows with identical (int, double, double) keys with an open-addressing hash table on
 * primitive columns (no boxing), in one pass: a million rows take tens of milliseconds.
 *
 * @param groupOf group index of each row
 * @param first first row of each group
 * @param weights rows per group
 */
record Groups(int[] groupOf, int[] first, double[] weights) {

  int count() {
    return first.length;
  }

  static Groups of(int[] a, double[] b, double[] c) {
    int n = a.length;
    int cap = Integer.highestOneBit(Math.max(4, n) * 2) * 2;
    int mask = cap - 1;
    int[] slots = new int[cap];
    java.util.Arrays.fill(slots, -1);
    int[] groupOf = new int[n];
    int[] first = new int[Math.max(1, n)];
    double[] weights = new double[Math.max(1, n)];
    int groups = 0;
    for (int i = 0; i < n; i++) {
      long bb = Double.doubleToLongBits(b[i] + 0.0);
      long cc = c == null ? 0 : Double.doubleToLongBits(c[i] + 0.0);
      long h = a[i] * 0x9E3779B97F4A7C15L ^ bb * 0xC2B2AE3D27D4EB4FL ^ cc * 0x165667B19E3779F9L;
      h ^= h >>> 29;
      h *= 0xBF58476D1CE4E5B9L;
      h ^= h >>> 32;
      int s = (int) h & mask;
      while (true) {
        int g = slots[s];
        if (g < 0) {
          slots[s] = groups;
          first[groups] = i;
          weights[groups] = 1;
          groupOf[i] = groups++;
          break;
        }
        int r = first[g];
        if (a[r] == a[i] && b[r] == b[i] && (c == null || c[r] == c[i])) {
          weights[g]++;
          groupOf[i] = g;
          break;
        }
        s = (s + 1) & mask;
      }
    }
    return new Groups(groupOf, java.util.Arrays.copyOf(first, groups), java.util.Arrays.copyOf(weights, groups));
  }
}
