package io.touchpoint.clv;

import java.util.List;

/**
 * How CLV is computed: over {@code horizonMonths} months of 52/12 weeks, month m's expected
 * repeat purchases E[Y(m months)] - E[Y(m-1 months)] are valued at the expected spend, multiplied by
 * the gross {@code margin} and discounted by (1 + {@code monthlyDiscount})^m. {@code frequencyModel}
 * names the purchase-count model the customer value stage fits: {@code bgnbd} (default) or
 * {@code mbgnbd}.
 */
public record ClvSettings(double margin, double monthlyDiscount, int horizonMonths, String frequencyModel)
    implements java.io.Serializable {
  public static final double WEEKS_PER_MONTH = 52.0 / 12.0;
  public static final List<String> FREQUENCY_MODELS = List.of("bgnbd", "mbgnbd");
  public static final ClvSettings DEFAULT = new ClvSettings(0.30, 0.01, 12);

  public ClvSettings {
    if (!(margin >= 0 && margin <= 1) || !(monthlyDiscount >= 0) || horizonMonths < 1) {
      throw new IllegalArgumentException("margin in [0, 1], discount >= 0 and horizon >= 1 month needed, got "
          + margin + ", " + monthlyDiscount + ", " + horizonMonths);
    }
    if (!FREQUENCY_MODELS.contains(frequencyModel)) {
      throw new IllegalArgumentException("frequency model " + frequencyModel + " is not one of " + FREQUENCY_MODELS);
    }
  }

  /** With the default frequency model, BG/NBD. */
  public ClvSettings(double margin, double monthlyDiscount, int horizonMonths) {
    this(margin, monthlyDiscount, horizonMonths, "bgnbd");
  }

  public ClvSettings withFrequencyModel(String model) {
    return new ClvSettings(margin, monthlyDiscount, horizonMonths, model);
  }

  /** The model of {@link #frequencyModel()} with these parameters (r, alpha, a, b). */
  public FrequencyModel frequencyModel(double r, double alpha, double a, double b) {
    return "mbgnbd".equals(frequencyModel) ? new ModifiedBgNbd(r, alpha, a, b) : new BgNbd(r, alpha, a, b);
  }
}
