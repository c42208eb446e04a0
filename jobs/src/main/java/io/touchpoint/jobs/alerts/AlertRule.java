package io.touchpoint.jobs.alerts;

import java.util.List;
import java.util.Locale;

/**
 * One threshold rule of {@code conf/alerts.yaml}, checked against {@code gold.kpi}.
 *
 * @param name unique id (letters, digits, '-' and '_')
 * @param kpi a kpi of {@code gold.kpi_catalog}
 * @param period the period type evaluated: the period holding the run date (to date)
 * @param channels {@code all} (the KPI's all-channel row), {@code each} (every channel but {@code all}),
 *     or a list of channels
 * @param severity warning or critical (a critical alert makes {@code nightly} and {@code alerts} exit 6)
 * @param condition which bound: below / above (absolute), drop / rise (change against the previous
 *     period in the KPI's unit, e.g. 0.05 = 5 points of a share), drop_relative / rise_relative
 *     (change ÷ |previous value|, e.g. 0.20 = 20 %)
 * @param threshold the bound
 * @param minDenominator a ratio whose denominator (this period's, and for a change the previous
 *     period's) is below this is not judged, so a tiny sample does not fire; 0 = always judged
 * @param description free text shown with the alert
 */
public record AlertRule(String name, String kpi, String period, Channels channels, Severity severity,
    Condition condition, double threshold, double minDenominator, String description) {

  public enum Severity {
    WARNING, CRITICAL;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum Condition {
    BELOW(false), ABOVE(false), DROP(true), RISE(true), DROP_RELATIVE(true), RISE_RELATIVE(true);

    private final boolean change;

    Condition(boolean change) {
      this.change = change;
    }

    /** True for the rules that compare with the previous period. */
    public boolean isChange() {
      return change;
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Which channel rows of the KPI a rule looks at. */
  public record Channels(boolean all, boolean each, List<String> listed) {
    public static final Channels ALL = new Channels(true, false, List.of());
    public static final Channels EACH = new Channels(false, true, List.of());

    public boolean includes(String channel) {
      if (each) {
        return !channel.equals("all");
      }
      return all ? channel.equals("all") : listed.contains(channel);
    }
  }

  /**
   * Whether the rule fires for a value (and the previous period's value, for a change rule).
   * A change rule without a previous value does not fire.
   */
  public boolean fires(double value, Double previous) {
    return switch (condition) {
      case BELOW -> value < threshold;
      case ABOVE -> value > threshold;
      case DROP -> previous != null && previous - value > threshold;
      case RISE -> previous != null && value - previous > threshold;
      case DROP_RELATIVE -> previous != null && previous != 0 && (previous - value) / Math.abs(previous) > threshold;
      case RISE_RELATIVE -> previous != null && previous != 0 && (value - previous) / Math.abs(previous) > threshold;
    };
  }

  /** The change the rule measures: absolute difference, or relative to |previous|; null for absolute bounds. */
  public Double change(double value, Double previous) {
    if (!condition.isChange() || previous == null) {
      return null;
    }
    return switch (condition) {
      case DROP_RELATIVE, RISE_RELATIVE -> previous == 0 ? null : (value - previous) / Math.abs(previous);
      default -> value - previous;
    };
  }
}
