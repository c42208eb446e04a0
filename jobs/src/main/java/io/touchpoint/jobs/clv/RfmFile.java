package io.touchpoint.jobs.clv;

import io.touchpoint.clv.Customers;
import io.touchpoint.errors.Errors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads per-customer RFM rows, CSV with a header: {@code frequency}, {@code recency}, {@code T}
 * (weeks) and optionally {@code monetary_value}, found by name (case-insensitive; {@code x},
 * {@code t_x}, {@code age}, {@code monetary} and {@code zbar} also accepted). A customer id column
 * ({@code customer_id}, {@code id} or {@code customer}) is carried to the predictions; other
 * columns are ignored.
 */
final class RfmFile {
  private static final List<String> ID = List.of("customer_id", "id", "customer");
  private static final List<String> FREQUENCY = List.of("frequency", "x");
  private static final List<String> RECENCY = List.of("recency", "t_x");
  private static final List<String> AGE = List.of("t", "age");
  private static final List<String> MONETARY = List.of("monetary_value", "monetary", "zbar");

  private RfmFile() {}

  static Customers read(Path path) {
    DelimitedFile f = DelimitedFile.open(path, false);
    if (!f.next()) {
      throw Errors.emptyInput(path, "header");
    }
    List<String> header = f.texts();
    int id = column(header, ID);
    int x = required(f, header, FREQUENCY);
    int tx = required(f, header, RECENCY);
    int t = required(f, header, AGE);
    int m = column(header, MONETARY);
    String xName = header.get(x);
    String txName = header.get(tx);
    String tName = header.get(t);

    List<String> ids = id < 0 ? null : new ArrayList<>();
    Columns c = new Columns();
    while (f.next()) {
      int freq = f.integer(x, xName);
      double rec = f.number(tx, txName);
      double age = f.number(t, tName);
      if (freq < 0) {
        throw f.invalid(xName, x, "a count of repeat purchases (0 or more)");
      }
      if (!(age >= 0) || !Double.isFinite(age)) {
        throw f.invalid(tName, t, "a customer age in weeks (0 or more)");
      }
      if (!(rec >= 0 && rec <= age)) {
        throw f.invalid(txName, tx, "a recency in weeks between 0 and T (" + age + ")");
      }
      double mon = Double.NaN;
      if (m >= 0 && freq > 0) {
        mon = f.number(m, header.get(m));
        if (!(mon >= 0) || !Double.isFinite(mon)) {
          throw f.invalid(header.get(m), m, "a mean spend of 0 or more");
        }
      }
      c.add(freq, rec, age, mon);
      if (ids != null) {
        ids.add(f.text(id));
      }
    }
    if (c.n == 0) {
      throw Errors.emptyInput(path, "customer rows below the header");
    }
    return new Customers(ids == null ? null : ids.toArray(String[]::new), c.x(), c.tx(), c.t(),
        m >= 0 ? c.m() : null, null, Double.NaN);
  }

  private static int column(List<String> header, List<String> names) {
    for (String name : names) {
      for (int i = 0; i < header.size(); i++) {
        if (header.get(i).toLowerCase(Locale.ROOT).equals(name)) {
          return i;
        }
      }
    }
    return -1;
  }

  private static int required(DelimitedFile f, List<String> header, List<String> names) {
    int i = column(header, names);
    if (i < 0) {
      throw Errors.missingColumn(f.path(), names.get(0), header,
          "Name the columns frequency,recency,T[,monetary_value] (times in weeks) in the first line");
    }
    return i;
  }

  /** Growable primitive columns. */
  private static final class Columns {
    private int[] x = new int[1024];
    private double[] tx = new double[1024];
    private double[] t = new double[1024];
    private double[] m = new double[1024];
    private int n;

    void add(int freq, double rec, double age, double mon) {
      if (n == x.length) {
        int cap = n * 2;
        x = java.util.Arrays.copyOf(x, cap);
        tx = java.util.Arrays.copyOf(tx, cap);
        t = java.util.Arrays.copyOf(t, cap);
        m = java.util.Arrays.copyOf(m, cap);
      }
      x[n] = freq;
      tx[n] = rec;
      t[n] = age;
      m[n++] = mon;
    }

    int[] x() {
      return java.util.Arrays.copyOf(x, n);
    }

    double[] tx() {
      return java.util.Arrays.copyOf(tx, n);
    }

    double[] t() {
      return java.util.Arrays.copyOf(t, n);
    }

    double[] m() {
      return java.util.Arrays.copyOf(m, n);
    }
  }
}
