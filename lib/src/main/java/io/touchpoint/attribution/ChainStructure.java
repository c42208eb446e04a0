package io.touchpoint.attribution;

import io.touchpoint.errors.Errors;
import java.util.Arrays;

/**
 * The shape of an order-k chain built from journeys: states (index 0 is {@code start}), the
 * transitions between them in CSR form (rows = from-state), and for each journey the CSR
 * positions of its steps and its last state. Counts are not part of it, so bootstrap
 * replicates reweight the same structure.
 *
 * <p>A state is the window of the last k channels, encoded as a long with one 16-bit slot per
 * channel (id + 1, oldest first), so states hold at most 4 channels of at most 65,534 ids.
 */
final class ChainStructure {
  static final int START = 0;
  static final int MAX_ORDER = 4;
  private static final int MAX_CHANNELS = 0xFFFE;

  final int order;
  final int channelCount;
  final int stateCount;
  final long[] stateKeys;
  final int[] rowStart;
  final int[] target;
  final int[] journeyOffsets;
  final int[] journeySteps;
  final int[] lastState;

  private ChainStructure(int order, int channelCount, long[] stateKeys, int[] rowStart, int[] target,
      int[] journeyOffsets, int[] journeySteps, int[] lastState) {
    this.order = order;
    this.channelCount = channelCount;
    this.stateCount = stateKeys.length;
    this.stateKeys = stateKeys;
    this.rowStart = rowStart;
    this.target = target;
    this.journeyOffsets = journeyOffsets;
    this.journeySteps = journeySteps;
    this.lastState = lastState;
  }

  static ChainStructure build(Journeys journeys, int order) {
    MarkovAttribution.checkOrder(order);
    if (journeys.channels().size() > MAX_CHANNELS) {
      throw Errors.badJourney("there are " + journeys.channels().size() + " channels, more than "
          + MAX_CHANNELS, "Group rare channels before fitting");
    }
    int n = journeys.size();
    int[] offsets = journeys.offsets();
    int[] touches = journeys.touches();
    LongIntMap states = new LongIntMap(1024);
    states.putIfAbsent(0L, START);
    long[] keys = new long[1024];
    int stateCount = 1;
    LongIntMap edges = new LongIntMap(4096);
    int[] edgeFrom = new int[4096];
    int[] edgeTo = new int[4096];
    int edgeCount = 0;
    int[] journeyOffsets = new int[n + 1];
    int[] steps = new int[Math.max(16, touches.length)];
    int stepCount = 0;
    int[] lastState = new int[n];

    for (int j = 0; j < n; j++) {
      int from = offsets[j];
      int to = offsets[j + 1];
      int first = Math.min(from + order - 1, to - 1);
      int prev = START;
      long prevKey = 0L;
      for (int i = first; i < to; i++) {
        long key = 0L;
        int lo = Math.max(from, i - order + 1);
        for (int t = lo, slot = 0; t <= i; t++, slot++) {
          key |= (long) (touches[t] + 1) << (16 * slot);
        }
        if (key == prevKey) {
          continue;
        }
        int s = states.putIfAbsent(key, stateCount);
        if (s == stateCount) {
          if (stateCount == keys.length) {
            keys = Arrays.copyOf(keys, stateCount * 2);
          }
          keys[stateCount++] = key;
        }
        int e = edges.putIfAbsent(((long) prev << 32) | s, edgeCount);
        if (e == edgeCount) {
          if (edgeCount == edgeFrom.length) {
            edgeFrom = Arrays.copyOf(edgeFrom, edgeCount * 2);
            edgeTo = Arrays.copyOf(edgeTo, edgeCount * 2);
          }
          edgeFrom[edgeCount] = prev;
          edgeTo[edgeCount++] = s;
        }
        if (stepCount == steps.length) {
          steps = Arrays.copyOf(steps, stepCount * 2);
        }
        steps[stepCount++] = e;
        prev = s;
        prevKey = key;
      }
      lastState[j] = prev;
      journeyOffsets[j + 1] = stepCount;
    }

    int[] rowStart = new int[stateCount + 1];
    for (int e = 0; e < edgeCount; e++) {
      rowStart[edgeFrom[e] + 1]++;
    }
    for (int s = 0; s < stateCount; s++) {
      rowStart[s + 1] += rowStart[s];
    }
    int[] cursor = Arrays.copyOf(rowStart, stateCount);
    int[] position = new int[edgeCount];
    int[] target = new int[edgeCount];
    for (int e = 0; e < edgeCount; e++) {
      int p = cursor[edgeFrom[e]]++;
      position[e] = p;
      target[p] = edgeTo[e];
    }
    for (int i = 0; i < stepCount; i++) {
      steps[i] = position[steps[i]];
    }
    keys[START] = 0L;
    return new ChainStructure(order, journeys.channels().size(), Arrays.copyOf(keys, stateCount), rowStart,
        target, journeyOffsets, steps, lastState);
  }

  int transitionCount() {
    return target.length;
  }

  /** The channel ids of a state, oldest first (empty for {@code start}). */
  int[] channelsOf(int state) {
    long key = stateKeys[state];
    int len = 0;
    while (len < MAX_ORDER && ((key >>> (16 * len)) & 0xFFFF) != 0) {
      len++;
    }
    int[] out = new int[len];
    for (int i = 0; i < len; i++) {
      out[i] = (int) ((key >>> (16 * i)) & 0xFFFF) - 1;
    }
    return out;
  }

  /** The states that hold {@code channel} anywhere in their window. */
  boolean[] statesWith(int channel) {
    boolean[] out = new boolean[stateCount];
    long slotValue = channel + 1;
    for (int s = 1; s < stateCount; s++) {
      long key = stateKeys[s];
      for (int i = 0; i < MAX_ORDER; i++) {
        if (((key >>> (16 * i)) & 0xFFFF) == slotValue) {
          out[s] = true;
          break;
        }
      }
    }
    return out;
  }

  /** Aggregates journey counts onto this structure. */
  ChainWeights weigh(Journeys journeys) {
    double[] conv = journeys.conversions();
    double[] value = journeys.values();
    double[] nul = journeys.nulls();
    double[] transition = new double[target.length];
    double[] convAt = new double[stateCount];
    double[] valueAt = new double[stateCount];
    double[] nullAt = new double[stateCount];
    for (int j = 0; j < lastState.length; j++) {
      double w = conv[j] + nul[j];
      if (w == 0) {
        continue;
      }
      for (int i = journeyOffsets[j], end = journeyOffsets[j + 1]; i < end; i++) {
        transition[journeySteps[i]] += w;
      }
      int s = lastState[j];
      convAt[s] += conv[j];
      valueAt[s] += value[j];
      nullAt[s] += nul[j];
    }
    return new ChainWeights(transition, convAt, valueAt, nullAt);
  }

  /** Summed weights: per CSR transition, and per state the conversions, value and nulls ending there. */
  record ChainWeights(double[] transition, double[] conversions, double[] values, double[] nulls) {}
}
