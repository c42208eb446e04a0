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
 * {@link PathsCsv} builds it straight from bytes. The arrays may be longer than {@link #size()}
 * (builders hand theirs over without trimming copies).
 */
public final class Journeys {
  private final List<String> channels;
  private final int[] offsets;
  private final int[] touches;
  private final double[] conversions;
  private final double[] values;
  private final double[] nulls;
  private final int size;

  private Journeys(List<String> channels, int[] offsets, int[] touches, double[] conversions,
      double[] values, double[] nulls, int size) {
    this.size = size;
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

  /**
   * Concatenates parts whose channel ids are local to each part; ids follow first appearance
   * overall. When the first part's arrays have room for everything, the others are appended to
   * them in place (no copy of the first part).
   */
  static Journeys concat(List<Journeys> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    Journeys first = parts.get(0);
    int n = 0;
    int touchCount = 0;
    for (Journeys p : parts) {
      n += p.size();
      touchCount += p.offsets[p.size()];
    }
    boolean inPlace = first.offsets.length > n && first.touches.length >= touchCount && first.conversions.length >= n
        && first.values.length >= n && first.nulls.length >= n;
    int[] offsets = inPlace ? first.offsets : new int[n + 1];
    int[] touches = inPlace ? first.touches : new int[touchCount];
    double[] conversions = inPlace ? first.conversions : new double[n];
    double[] values = inPlace ? first.values : new double[n];
    double[] nulls = inPlace ? first.nulls : new double[n];
    Map<String, Integer> ids = new HashMap<>();
    List<String> names = new ArrayList<>();
    int j = 0;
    int t = 0;
    for (Journeys p : parts) {
      int[] remap = new int[p.channels.size()];
      for (int c = 0; c < remap.length; c++) {
        remap[c] = ids.computeIfAbsent(p.channels.get(c), name -> {
          names.add(name);
          return names.size() - 1;
        });
      }
      if (!(inPlace && p == first)) {
        for (int i = 0, end = p.offsets[p.size()]; i < end; i++) {
          touches[t + i] = remap[p.touches[i]];
        }
        for (int i = 0; i < p.size(); i++) {
          offsets[j + i + 1] = t + p.offsets[i + 1];
        }
        System.arraycopy(p.conversions, 0, conversions, j, p.size());
        System.arraycopy(p.values, 0, values, j, p.size());
        System.arraycopy(p.nulls, 0, nulls, j, p.size());
      }
      j += p.size();
      t += p.offsets[p.size()];
    }
    return new Journeys(Collections.unmodifiableList(names), offsets, touches, conversions, values, nulls, n);
  }

  public int size() {
    return size;
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
    return new Journeys(channels, offsets, touches, conversions, values, nulls, size);
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

  private double sum(double[] a) {
    double s = 0;
    for (int i = 0; i < size; i++) {
      s += a[i];
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
      this(expectedJourneys, 4 * expectedJourneys);
    }

    /** A builder sized for about this many journeys and touches (it grows past them). */
    public Builder(int expectedJourneys, int expectedTouches) {
      int cap = Math.max(16, expectedJourneys + 1);
      offsets = new int[cap];
      touches = new int[Math.max(16, expectedTouches)];
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

    /** Hands the arrays over without copying: add nothing after this. */
    public Journeys build() {
      return new Journeys(Collections.unmodifiableList(new ArrayList<>(names)), offsets, touches, conversions, values,
          nulls, n);
    }
  }
}
