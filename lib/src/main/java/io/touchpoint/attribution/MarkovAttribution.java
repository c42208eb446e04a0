package io.touchpoint.attribution;

import io.touchpoint.attribution.ChainStructure.ChainWeights;
import io.touchpoint.errors.Errors;
import java.util.ArrayList;
import java.util.List;

/**
 * Markov-chain multi-touch attribution of order 1 to 4, solved exactly (METRICS.md,
 * "Attribution"). A state is the window of the last k channels (a shorter journey is one state
 * holding all of it), consecutive identical states are merged, each step is weighted by the
 * journey's conversions + nulls, and the last state goes to {@code conversion} and {@code null}
 * with the journey's conversions and nulls. Removal effect of c = 1 − P(conversion | states with c
 * sent to null) / P(conversion); value uses the same chain with the mean value per conversion of
 * the journeys ending in a state earned on converting from it.
 *
 * <p>Empty input and input where nothing converts (P(conversion) = 0) are errors. Input without
 * nulls is fine: P(conversion) = 1 and removal still diverts paths to {@code null}. Removal
 * effects are clamped at 0 against rounding (mathematically they are never negative).
 * Semantics, solver and edge cases: docs/ATTRIBUTION.md.
 */
public final class MarkovAttribution {
  private static final String ACTION = "fit the Markov attribution model";

  private MarkovAttribution() {}

  /** Rejects an order outside 1..4 with a user-facing error. */
  public static void checkOrder(int order) {
    if (order < 1 || order > ChainStructure.MAX_ORDER) {
      throw Errors.badAttributionOption("Markov order " + order, "the order must be 1 to " + ChainStructure.MAX_ORDER,
          "Pass --order 1, 2, 3 or 4");
    }
  }

  public static MarkovResult fit(List<Journey> journeys, int order) {
    return fit(Journeys.of(journeys), order);
  }

  public static MarkovResult fit(Journeys journeys, int order) {
    if (journeys.size() == 0) {
      throw Errors.noJourneys(ACTION);
    }
    ChainStructure chain = ChainStructure.build(journeys, order);
    ChainWeights weights = chain.weigh(journeys);
    RemovalEffects effects = RemovalEffects.compute(chain, weights);
    if (effects == null) {
      throw Errors.noConversions(ACTION);
    }
    double[] conversions = RemovalEffects.share(journeys.totalConversions(), effects.conversion());
    double[] values = RemovalEffects.share(journeys.totalValue(), effects.value());
    List<ChannelCredit> credits = new ArrayList<>(journeys.channels().size());
    for (int c = 0; c < journeys.channels().size(); c++) {
      credits.add(new ChannelCredit(journeys.channels().get(c), effects.conversion()[c], effects.value()[c],
          conversions[c], values[c]));
    }
    return new MarkovResult(journeys.channels(), chain, weights, effects, List.copyOf(credits));
  }
}
