package io.touchpoint.jobs.attribution;

import static io.touchpoint.jobs.attribution.AttributionModel.FIRST;
import static io.touchpoint.jobs.attribution.AttributionModel.LAST;
import static io.touchpoint.jobs.attribution.AttributionModel.LINEAR;
import static io.touchpoint.jobs.attribution.AttributionModel.MARKOV;
import static io.touchpoint.jobs.attribution.AttributionModel.POSITION;
import static io.touchpoint.jobs.attribution.AttributionModel.TIME_DECAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.touchpoint.jobs.support.GeneratedWorld;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attribution judged against the true incremental purchases of each marketing channel in the default
 * generated world ({@link GeneratedWorld}: 2,000 persons × 40 days through ingest, identity and silver;
 * the generator simulates the world once more without each channel, with the same random numbers per
 * person-day, and counts the purchases lost). See {@link TruthComparison} for the measures.
 *
 * <p>Seen with seed 23 (deterministic: seeded generator, exact Markov solve), window and lookback 30:
 * <pre>
 *                          markov   last  first  linear  position  time_decay
 *   TV distance             0.445  0.416  0.597   0.536     0.515       0.521
 *   Spearman                0.428  0.418  0.175   0.228     0.228       0.228
 * </pre>
 * (lookback 7: markov 0.457, last 0.407.) Markov is the closest of the multi-touch models, but in
 * this world last touch is closer still. The cause is in the world, not in the chain: 20 % of online
 * orders are preceded by a navigational search_ads touch a few minutes before, and 25 % of store
 * purchases by a store_visit ping during the visit. The purchase causes those touches (the
 * counterfactual truth does not count them as causes of it), yet they are the last touch, and they sit
 * on the two channels with the largest true effect (search_ads 0.9, store_visit 1.1), so last touch
 * is right on them by accident. The same world without purchase-triggered touches
 * ({@link AttributionWithoutTriggeredTouchesTest}) gives Markov 0.425 against last touch 0.515. Both
 * models overcredit display (true share 0.025: reach 1.4 touches a week, effect 0.05): a channel on
 * most paths is credited for the purchases that would have happened anyway, which no path model can
 * undo.
 */
class AttributionGeneratedDataTest {
  private static final Logger LOG = LoggerFactory.getLogger(AttributionGeneratedDataTest.class);
  static TruthComparison c;
  static Map<String, Double> justBefore;

  @BeforeAll
  static void attribute() {
    c = new TruthComparison(GeneratedWorld.get());
    justBefore = c.lastTouchesJustBeforeTheConversion(1800);
    LOG.info("default generated world: true incremental purchases and credit shares per channel:\n{}\n"
        + "share of last touches at most 30 min before the conversion: {}", c.table(), justBefore);
  }

  @Test
  void theTruthIsACountOfLostPurchases() {
    assertThat(c.incremental.keySet()).as("one truth per marketing channel").hasSize(12);
    double lost = c.incremental.values().stream().mapToDouble(Double::doubleValue).sum();
    assertThat(lost).as("purchases lost over all removals").isPositive().isLessThan(c.purchases);
    // Configured effects: store_visit 1.1 and search_ads 0.9 against email 0.05 and display 0.05.
    assertThat(c.incremental.get("store_visit")).as("store_visit vs email").isGreaterThan(5 * c.incremental.get("email"));
    assertThat(c.incremental.get("search_ads")).as("search_ads vs display").isGreaterThan(5 * c.incremental.get("display"));
  }

  @Test
  void everyTouchedChannelIsAttributedAndConversionsReconcile() {
    assertThat(c.credit.get("markov").keySet()).as("channels with Markov credit").isSubsetOf(c.incremental.keySet())
        .hasSizeGreaterThan(8);
    assertThat(c.markovTotal).as("Markov conversions incl. direct = converting journeys").isCloseTo(c.conversions, within(1e-3));
  }

  @Test
  void markovIsTheClosestMultiTouchModelToTheTruth() {
    for (AttributionModel m : List.of(FIRST, LINEAR, POSITION, TIME_DECAY)) {
      assertThat(c.distance(MARKOV)).as("TV distance, Markov vs %s (%.3f)", m.label(), c.distance(m))
          .isLessThan(c.distance(m) - 0.05);
      assertThat(c.rankCorrelation(MARKOV)).as("Spearman, Markov vs %s (%.3f)", m.label(), c.rankCorrelation(m))
          .isGreaterThan(c.rankCorrelation(m) + 0.1);
    }
    // Measured: 0.378 (last touch 0.385). It was 0.428 before the generator was calibrated to the
    // client's after-integration identification (80 % members instead of 55 %, member codes and
    // phones on most store tickets, marketplace accounts bound): more identified members put more
    // member-only touches (app push, SMS, e-mail, WeChat) into every journey, and Markov credits
    // such always-present channels beyond their effect (docs/ATTRIBUTION.md).
    assertThat(c.rankCorrelation(MARKOV)).as("channels with larger true incrementality get larger Markov credit")
        .isGreaterThan(0.35);
  }

  @Test
  void lastTouchIsCloserHereBecauseThePurchaseCausesTheLastTouchOnTheHighEffectChannels() {
    // Known limit, kept visible (see the class comment): not closer than last touch in this world.
    assertThat(c.distance(LAST)).as("TV distance, last touch (Markov %.3f)", c.distance(MARKOV)).isLessThan(c.distance(MARKOV));
    // Why: most search_ads and store_visit last touches come minutes before the purchase (triggered by it) ...
    assertThat(justBefore.get("search_ads")).as("search_ads last touches <= 30 min before the conversion").isGreaterThan(0.5);
    assertThat(justBefore.get("store_visit")).as("store_visit last touches <= 30 min before the conversion").isGreaterThan(0.5);
    // ... against few for a channel whose touches do not follow the purchase.
    assertThat(justBefore.get("display")).as("display last touches <= 30 min before the conversion").isLessThan(0.1);
  }
}
