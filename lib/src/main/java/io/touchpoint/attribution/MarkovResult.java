package io.touchpoint.attribution;

import io.touchpoint.attribution.ChainStructure.ChainWeights;
import java.util.ArrayList;
import java.util.List;

/** A fitted order-k Markov attribution: credits per channel and the chain they come from. */
public final class MarkovResult {
  public static final String START = "start";
  public static final String CONVERSION = "conversion";
  public static final String NULL = "null";

  private final List<String> channels;
  private final ChainStructure chain;
  private final ChainWeights weights;
  private final RemovalEffects effects;
  private final List<ChannelCredit> credits;

  MarkovResult(List<String> channels, ChainStructure chain, ChainWeights weights, RemovalEffects effects,
      List<ChannelCredit> credits) {
    this.channels = channels;
    this.chain = chain;
    this.weights = weights;
    this.effects = effects;
    this.credits = credits;
  }

  public int order() {
    return chain.order;
  }

  /** One credit per channel, in order of the channel's first appearance in the input. */
  public List<ChannelCredit> credits() {
    return credits;
  }

  public ChannelCredit credit(String channel) {
    int i = channels.indexOf(channel);
    if (i < 0) {
      throw new IllegalArgumentException("no channel '" + channel + "' in " + channels);
    }
    return credits.get(i);
  }

  /** P(conversion) from {@code start}. */
  public double conversionProbability() {
    return effects.conversionProbability();
  }

  /** Expected conversion value per journey. */
  public double expectedValue() {
    return effects.expectedValue();
  }

  /** Channel states (without start, conversion and null). */
  public int stateCount() {
    return chain.stateCount - 1;
  }

  public int transitionCount() {
    return chain.transitionCount();
  }

  /** Every state: start, the channel states in order of first appearance, conversion, null. */
  public List<String> states() {
    List<String> out = new ArrayList<>(chain.stateCount + 2);
    for (int s = 0; s < chain.stateCount; s++) {
      out.add(name(s));
    }
    out.add(CONVERSION);
    out.add(NULL);
    return out;
  }

  /** The transition matrix, row by row (from-state in {@link #states()} order), zero weights left out. */
  public List<Transition> transitions() {
    List<Transition> out = new ArrayList<>();
    for (int s = 0; s < chain.stateCount; s++) {
      double total = weights.conversions()[s] + weights.nulls()[s];
      for (int p = chain.rowStart[s]; p < chain.rowStart[s + 1]; p++) {
        total += weights.transition()[p];
      }
      if (total == 0) {
        continue;
      }
      String from = name(s);
      for (int p = chain.rowStart[s]; p < chain.rowStart[s + 1]; p++) {
        double w = weights.transition()[p];
        if (w > 0) {
          out.add(new Transition(from, name(chain.target[p]), w / total, w));
        }
      }
      if (weights.conversions()[s] > 0) {
        out.add(new Transition(from, CONVERSION, weights.conversions()[s] / total, weights.conversions()[s]));
      }
      if (weights.nulls()[s] > 0) {
        out.add(new Transition(from, NULL, weights.nulls()[s] / total, weights.nulls()[s]));
      }
    }
    return out;
  }

  private String name(int state) {
    if (state == ChainStructure.START) {
      return START;
    }
    StringBuilder b = new StringBuilder();
    for (int c : chain.channelsOf(state)) {
      if (b.length() > 0) {
        b.append(" > ");
      }
      b.append(channels.get(c));
    }
    return b.toString();
  }
}
