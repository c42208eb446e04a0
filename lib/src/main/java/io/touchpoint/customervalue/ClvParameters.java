package io.touchpoint.customervalue;

import io.touchpoint.clv.BgNbd;
import io.touchpoint.clv.ClvSettings;
import io.touchpoint.clv.GammaGamma;
import java.io.Serializable;

/** Fitted BG/NBD and Gamma-Gamma parameters and the CLV settings, small enough to broadcast. */
public record ClvParameters(double r, double alpha, double a, double b, double p, double q, double gamma,
    double margin, double monthlyDiscount, int horizonMonths) implements Serializable {

  public static ClvParameters of(BgNbd frequency, GammaGamma spend, ClvSettings settings) {
    return new ClvParameters(frequency.r(), frequency.alpha(), frequency.a(), frequency.b(),
        spend.p(), spend.q(), spend.gamma(), settings.margin(), settings.monthlyDiscount(), settings.horizonMonths());
  }

  public BgNbd frequencyModel() {
    return new BgNbd(r, alpha, a, b);
  }

  public GammaGamma spendModel() {
    return new GammaGamma(p, q, gamma);
  }

  public ClvSettings settings() {
    return new ClvSettings(margin, monthlyDiscount, horizonMonths);
  }
}
