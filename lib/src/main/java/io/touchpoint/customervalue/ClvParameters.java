package io.touchpoint.customervalue;

import io.touchpoint.clv.BgNbd;
import io.touchpoint.clv.ClvSettings;
import io.touchpoint.clv.FrequencyModel;
import io.touchpoint.clv.GammaGamma;
import io.touchpoint.clv.ModifiedBgNbd;
import java.io.Serializable;

/**
 * Fitted frequency-model (BG/NBD or MBG/NBD, named by {@code settings.frequencyModel()}) and
 * Gamma-Gamma parameters and the CLV settings, small enough to broadcast.
 */
public record ClvParameters(double r, double alpha, double a, double b, double p, double q, double gamma,
    ClvSettings settings) implements Serializable {

  public static ClvParameters of(FrequencyModel frequency, GammaGamma spend, ClvSettings settings) {
    double[] f;
    if (frequency instanceof BgNbd m) {
      f = new double[] {m.r(), m.alpha(), m.a(), m.b()};
    } else if (frequency instanceof ModifiedBgNbd m) {
      f = new double[] {m.r(), m.alpha(), m.a(), m.b()};
    } else {
      throw new IllegalArgumentException("the customer value stage scores BG/NBD or MBG/NBD, not " + frequency.name());
    }
    ClvSettings s = settings.withFrequencyModel(frequency.name());
    return new ClvParameters(f[0], f[1], f[2], f[3], spend.p(), spend.q(), spend.gamma(), s);
  }

  public FrequencyModel frequencyModel() {
    return settings.frequencyModel(r, alpha, a, b);
  }

  public GammaGamma spendModel() {
    return new GammaGamma(p, q, gamma);
  }
}
