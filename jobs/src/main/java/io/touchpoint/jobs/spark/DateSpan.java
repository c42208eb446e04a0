package io.touchpoint.jobs.spark;

import java.time.LocalDate;
import java.util.List;

/**
 * How a run names its dates in log lines, dry-run plans, run locks and the Spark job groups of its
 * stages: {@code D} for one day, {@code D..E} for several (the dates in run order).
 */
public final class DateSpan {
  private DateSpan() {}

  public static String of(List<LocalDate> dates) {
    return dates.get(0) + (dates.size() > 1 ? ".." + dates.get(dates.size() - 1) : "");
  }
}
