package io.touchpoint.jobs.serve;

import java.util.Locale;

/**
 * Who a {@code touchpoint serve} endpoint serves. {@link #BI} sees the aggregated {@code gold}
 * schema only: the customer-level schemas ({@code bronze}, {@code silver}, {@code ops},
 * {@code restricted}) are neither named in its catalog nor readable by path. {@link #ANALYST}
 * sees every schema.
 */
public enum AccessRole {
  BI,
  ANALYST;

  /** The one schema of aggregates, the only one a {@link #BI} endpoint serves. */
  public static final String AGGREGATES = "gold";

  public boolean sees(String schema) {
    return this == ANALYST || AGGREGATES.equals(schema);
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static AccessRole parse(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT));
  }
}
