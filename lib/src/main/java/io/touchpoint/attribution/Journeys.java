package io.touchpoint.attribution;

import io.touchpoint.errors.Errors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Journeys in columnar form: channel names interned to ids (in order of first appearance),
 * touches as one int array with per-journey offsets, and the counts as double arrays. This is
 * what the models run on; {@link #of(List)} builds it from {@link Journey} records and
 * {@link PathsCsv} builds it straight from bytes.
 */
public final class Journeys {
  private final List<String> channels;
  private final int[] offsets;
  private final int[] touches;
  private final double[] conversions;
  private final double[] values;
  private final double[] nulls;

  private Journeys(List<String> channels, int[] offsets, int[] touches, double[] conversions,
      double[] values, double[] nulls) {
    this.channels = channels;
    this.offsets = offsets;
    this.touches = touches;
    this.conversions = conversions;
    this.values = values;
    this.nulls = nulls;
  }

  public static Journeys of(List<Journey> journeys) {
    Builder b = new Builder();
    int[] ids = new int[16];
    for (Journey j : journeys) {
      List<String> cs = j.channels();
      if (ids.length < cs.size()) {
        ids = new int[cs.size()];
      }
      for (int i = 0; i < cs.size(); i++) {
        ids[i] = b.channel(cs.get(i));
      }
      b.add(ids, cs.size(), j.conversions(), j.conversionValue(), j.nulls());
    }
    return b.build();
  }

  public int size() {
    return conversions.length;
  }

  public List<String> channels() {
    return channels;
  }

  public double totalConversions() {
    return sum(conversions);
  }

  public double totalValue() {
    return sum(values);
  }

  public double totalNulls() {
    return sum(nulls);
  }

  /** The same paths with other counts (bootstrap replicates, scaled data). */
  Journeys withCounts(double[] conversions, double[] values, double[] nulls) {
    return new Journeys(channels, offsets, touches, conversions, values, nulls);
  }

  int[] offsets() {
    return offsets;
  }

  int[] touches() {
    return touches;
  }

  double[] conversions() {
    return conversions;
  }

  double[] values() {
    return values;
  }

  double[] nulls() {
    return nulls;
  }

  private static double sum(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v;
    }
    return s;
  }

  /** Accumulates journeys; channel ids come from {@link #channel(String)}. */
  public static final class Builder {
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private int n;
    private int touchCount;
    private int[] offsets;
    private int[] touches;
    private double[] conversions;
    private double[] values;
    private double[] nulls;

    public Builder() {
      this(1024);
    }

    /** A builder sized for about {@code expectedJourneys} journeys (it grows past them). */
    public Builder(int expectedJourneys) {
      int cap = Math.max(16, expectedJourneys + 1);
      offsets = new int[cap];
      touches = new int[cap * 4];
      conversions = new double[cap];
      values = new double[cap];
      nulls = new double[cap];
    }

    /** The id of a channel, assigning the next one on first sight. */
    public int channel(String name) {
      Integer id = ids.get(name);
      if (id == null) {
        id = names.size();
        ids.put(name, id);
        names.add(name);
      }
      return id;
    }

    /** Adds a journey whose touches are {@code channelIds[0..length)}. */
    public Builder add(int[] channelIds, int length, double conversions, double value, double nulls) {
      if (length == 0) {
        throw Errors.badJourney("the path has no channel", "Drop empty paths or give them at least one touch");
      }
      Journey.checkCount("conversions", conversions);
      Journey.checkCount("conversion value", value);
      Journey.checkCount("nulls", nulls);
      if (n + 1 >= offsets.length) {
        int cap = offsets.length * 2;
        offsets = Arrays.copyOf(offsets, cap);
        this.conversions = Arrays.copyOf(this.conversions, cap);
        this.values = Arrays.copyOf(this.values, cap);
        this.nulls = Arrays.copyOf(this.nulls, cap);
      }
      if (touchCount + length > touches.length) {
        touches = Arrays.copyOf(touches, Math.max(touches.length * 2, touchCount + length));
      }
      for (int i = 0; i < length; i++) {
        int id = channelIds[i];
        if (id < 0 || id >= names.size()) {
          throw new IllegalArgumentException("channel id " + id + " was not assigned by this builder");
        }
        touches[touchCount++] = id;
      }
      this.conversions[n] = conversions;
      this.values[n] = value;
      this.nulls[n] = nulls;
      n++;
      offsets[n] = touchCount;
      return this;
    }

    public Journeys build() {
      return new Journeys(Collections.unmodifiableList(new ArrayList<>(names)), Arrays.copyOf(offsets, n + 1),
          Arrays.copyOf(touches, touchCount), Arrays.copyOf(conversions, n), Arrays.copyOf(values, n),
          Arrays.copyOf(nulls, n));
    }
  }
}
