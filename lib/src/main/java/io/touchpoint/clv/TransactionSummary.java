package io.touchpoint.clv;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds {@link Customers} from a transaction log, following the CDNOW conventions of Fader, Hardie
 * &amp; Lee (2005) and the BTYD package:
 *
 * <ul>
 *   <li>a customer's transactions on the same day are one occasion, values summed;
 *   <li>only customers whose first occasion is on or before the calibration end are kept;
 *   <li>x = occasions in calibration minus one; t_x = days from first to last calibration
 *       occasion / 7; T = days from first occasion to calibration end / 7;
 *   <li>monetary = mean value of the repeat calibration occasions (first excluded), NaN if x = 0;
 *   <li>holdout repeats = occasions in (calibration end, holdout end].
 * </ul>
 */
public final class TransactionSummary {
  private static final double DAYS_PER_WEEK = 7.0;

  private TransactionSummary() {}

  public static Customers summarize(List<Transaction> transactions, LocalDate calibrationEnd, LocalDate holdoutEnd) {
    if (holdoutEnd != null && !holdoutEnd.isAfter(calibrationEnd)) {
      throw new IllegalArgumentException("holdout end " + holdoutEnd + " must be after calibration end " + calibrationEnd);
    }
    List<Transaction> sorted = new ArrayList<>(transactions);
    sorted.sort(Comparator.comparing(Transaction::customerId).thenComparing(Transaction::date));
    long calEnd = calibrationEnd.toEpochDay();
    long end = holdoutEnd == null ? calEnd : holdoutEnd.toEpochDay();

    List<String> ids = new ArrayList<>();
    IntBuilder freq = new IntBuilder();
    IntBuilder hold = new IntBuilder();
    DoubleBuilder rec = new DoubleBuilder();
    DoubleBuilder age = new DoubleBuilder();
    DoubleBuilder mon = new DoubleBuilder();

    int i = 0;
    while (i < sorted.size()) {
      String id = sorted.get(i).customerId();
      long first = sorted.get(i).date().toEpochDay();
      Occasions o = new Occasions(calEnd, end);
      for (; i < sorted.size() && sorted.get(i).customerId().equals(id); i++) {
        o.add(sorted.get(i).date().toEpochDay(), sorted.get(i).value());
      }
      o.close();
      if (first > calEnd) {
        continue;
      }
      int x = o.calibration - 1;
      ids.add(id);
      freq.add(x);
      hold.add(o.holdout);
      rec.add((o.last - first) / DAYS_PER_WEEK);
      age.add((calEnd - first) / DAYS_PER_WEEK);
      mon.add(x > 0 ? o.repeatValue / x : Double.NaN);
    }
    return new Customers(
        ids.toArray(String[]::new), freq.array(), rec.array(), age.array(), mon.array(),
        holdoutEnd == null ? null : hold.array(),
        holdoutEnd == null ? Double.NaN : (end - calEnd) / DAYS_PER_WEEK);
  }

  /** One customer's days in date order; same-day values are summed before counting. */
  private static final class Occasions {
    private final long calEnd;
    private final long end;
    private long day = Long.MIN_VALUE;
    private double dayValue;
    int calibration;
    int holdout;
    long last;
    double repeatValue;

    Occasions(long calEnd, long end) {
      this.calEnd = calEnd;
      this.end = end;
    }

    void add(long d, double value) {
      if (d != day) {
        close();
        day = d;
        dayValue = 0;
      }
      dayValue += value;
    }

    void close() {
      if (day == Long.MIN_VALUE) {
        return;
      }
      if (day <= calEnd) {
        calibration++;
        last = day;
        if (calibration > 1) {
          repeatValue += dayValue;
        }
      } else if (day <= end) {
        holdout++;
      }
      day = Long.MIN_VALUE;
    }
  }

  static final class IntBuilder {
    private int[] a = new int[16];
    private int n;

    void add(int v) {
      if (n == a.length) {
        a = java.util.Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    int[] array() {
      return java.util.Arrays.copyOf(a, n);
    }
  }

  static final class DoubleBuilder {
    private double[] a = new double[16];
    private int n;

    void add(double v) {
      if (n == a.length) {
        a = java.util.Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    double[] array() {
      return java.util.Arrays.copyOf(a, n);
    }
  }
}
