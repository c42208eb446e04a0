package io.touchpoint.jobs.clv;

import io.touchpoint.clv.Customers;
import io.touchpoint.errors.Errors;
import java.nio.file.Path;
import java.util.Arrays;
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

  private static final int PARTS = 8;

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
    Layout layout = new Layout(id, x, header.get(x), tx, header.get(tx), t, header.get(t), m,
        m >= 0 ? header.get(m) : null);
    List<Columns> parts = f.rest(PARTS).parallelStream().map(layout::read).toList();
    Columns c = Columns.concat(parts);
    if (c.n == 0) {
      throw Errors.emptyInput(path, "customer rows below the header");
    }
    return new Customers(id < 0 ? null : c.ids, c.x, c.tx, c.t, m >= 0 ? c.m : null, null, Double.NaN);
  }

  /** Where the columns are; reads the rows of one part of the file. */
  private record Layout(int id, int x, String xName, int tx, String txName, int t, String tName, int m, String mName) {
    Columns read(DelimitedFile f) {
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
          mon = f.number(m, mName);
          if (!(mon >= 0) || !Double.isFinite(mon)) {
            throw f.invalid(mName, m, "a mean spend of 0 or more");
          }
        }
        c.add(id >= 0 ? f.text(id) : null, freq, rec, age, mon);
      }
      return c;
    }
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

  /** Growable columns of one part of the file. */
  private static final class Columns {
    private String[] ids = new String[1024];
    private int[] x = new int[1024];
    private double[] tx = new double[1024];
    private double[] t = new double[1024];
    private double[] m = new double[1024];
    private int n;

    void add(String id, int freq, double rec, double age, double mon) {
      if (n == x.length) {
        int cap = n * 2;
        ids = Arrays.copyOf(ids, cap);
        x = Arrays.copyOf(x, cap);
        tx = Arrays.copyOf(tx, cap);
        t = Arrays.copyOf(t, cap);
        m = Arrays.copyOf(m, cap);
      }
      ids[n] = id;
      x[n] = freq;
      tx[n] = rec;
      t[n] = age;
      m[n++] = mon;
    }

    static Columns concat(List<Columns> parts) {
      Columns all = new Columns();
      all.n = parts.stream().mapToInt(p -> p.n).sum();
      all.ids = new String[all.n];
      all.x = new int[all.n];
      all.tx = new double[all.n];
      all.t = new double[all.n];
      all.m = new double[all.n];
      int at = 0;
      for (Columns p : parts) {
        System.arraycopy(p.ids, 0, all.ids, at, p.n);
        System.arraycopy(p.x, 0, all.x, at, p.n);
        System.arraycopy(p.tx, 0, all.tx, at, p.n);
        System.arraycopy(p.t, 0, all.t, at, p.n);
        System.arraycopy(p.m, 0, all.m, at, p.n);
        at += p.n;
      }
      return all;
    }
  }
}
