package io.touchpoint.clv;

/**
 * How CLV is discounted: over {@code horizonMonths} months of 52/12 weeks, month m's expected
 * repeat purchases E[Y(m months)] - E[Y(m-1 months)] are valued at the expected spend, multiplied by
 * the gross {@code margin} and discounted by (1 + {@code monthlyDiscount})^m.
 */
public record ClvSettings(double margin, double monthlyDiscount, int horizonMonths) implements java.io.Serializable {
  public static final double WEEKS_PER_MONTH = 52.0 / 12.0;
  public static final ClvSettings DEFAULT = new ClvSettings(0.30, 0.01, 12);

  public ClvSettings {
    if (!(margin >= 0 && margin <= 1) || !(monthlyDiscount >= 0) || horizonMonths < 1) {
      throw new IllegalArgumentException("margin in [0, 1], discount >= 0 and horizon >= 1 month needed, got "
          + margin + ", " + monthlyDiscount + ", " + horizonMonths);
    }
  }
}
