package io.touchpoint.attribution;

import io.touchpoint.errors.Errors;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** First touch, last touch, linear, position-based and time-decay attribution of conversions and value. */
public final class HeuristicAttribution {
  public static final Duration DEFAULT_HALF_LIFE = Duration.ofDays(7);

  private HeuristicAttribution() {}

  /** Credits per model, one per channel in order of first appearance. */
  public static Map<HeuristicModel, List<Credit>> compute(Journeys journeys) {
    int channels = journeys.channels().size();
    HeuristicModel[] models = HeuristicModel.values();
    double[][] conv = new double[models.length][channels];
    double[][] value = new double[models.length][channels];
    int[] offsets = journeys.offsets();
    int[] touches = journeys.touches();
    double[] c = journeys.conversions();
    double[] v = journeys.values();
    for (int j = 0; j < journeys.size(); j++) {
      if (c[j] == 0 && v[j] == 0) {
        continue;
      }
      int from = offsets[j];
      int len = offsets[j + 1] - from;
      add(conv, value, HeuristicModel.FIRST_TOUCH, touches[from], 1, c[j], v[j]);
      add(conv, value, HeuristicModel.LAST_TOUCH, touches[from + len - 1], 1, c[j], v[j]);
      for (int i = 0; i < len; i++) {
        add(conv, value, HeuristicModel.LINEAR, touches[from + i], 1.0 / len, c[j], v[j]);
        add(conv, value, HeuristicModel.POSITION_BASED, touches[from + i], positionShare(i, len), c[j], v[j]);
      }
    }
    Map<HeuristicModel, List<Credit>> out = new EnumMap<>(HeuristicModel.class);
    for (HeuristicModel m : models) {
      out.put(m, credits(journeys.channels(), conv[m.ordinal()], value[m.ordinal()]));
    }
    return out;
  }

  /**
   * Time decay: a touch Δt before the conversion weighs 2^(−Δt / halfLife); weights are
   * normalised per journey. Credits in order of first appearance.
   */
  public static List<Credit> timeDecay(List<TimedJourney> journeys, Duration halfLife) {
    if (halfLife.isNegative() || halfLife.isZero()) {
      throw Errors.badAttributionOption("half-life " + halfLife, "it must be positive",
          "Pass a positive duration, e.g. 7 days");
    }
    double halfLifeSeconds = halfLife.toNanos() / 1e9;
    Journeys.Builder names = new Journeys.Builder();
    double[] convSum = new double[16];
    double[] valueSum = new double[16];
    for (TimedJourney j : journeys) {
      int len = j.channels().size();
      double[] w = new double[len];
      double total = 0;
      for (int i = 0; i < len; i++) {
        Instant t = j.touchedAt().get(i);
        double dt = Duration.between(t, j.convertedAt()).toNanos() / 1e9;
        w[i] = Math.pow(2, -dt / halfLifeSeconds);
        total += w[i];
      }
      for (int i = 0; i < len; i++) {
        int id = names.channel(j.channels().get(i));
        if (id >= convSum.length) {
          convSum = Arrays.copyOf(convSum, 2 * id);
          valueSum = Arrays.copyOf(valueSum, 2 * id);
        }
        double share = w[i] / total;
        convSum[id] += j.conversions() * share;
        valueSum[id] += j.conversionValue() * share;
      }
    }
    List<String> channels = names.build().channels();
    return credits(channels, Arrays.copyOf(convSum, channels.size()),
        Arrays.copyOf(valueSum, channels.size()));
  }

  static double positionShare(int index, int length) {
    if (length == 1) {
      return 1;
    }
    if (length == 2) {
      return 0.5;
    }
    return index == 0 || index == length - 1 ? 0.4 : 0.2 / (length - 2);
  }

  private static void add(double[][] conv, double[][] value, HeuristicModel m, int channel, double share,
      double c, double v) {
    conv[m.ordinal()][channel] += c * share;
    value[m.ordinal()][channel] += v * share;
  }

  private static List<Credit> credits(List<String> channels, double[] conv, double[] value) {
    List<Credit> out = new ArrayList<>(channels.size());
    for (int i = 0; i < channels.size(); i++) {
      out.add(new Credit(channels.get(i), conv[i], value[i]));
    }
    return List.copyOf(out);
  }
}
