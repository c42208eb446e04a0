package io.touchpoint.jobs.attribution;

import static io.touchpoint.jobs.attribution.AttributionModel.LAST;
import static io.touchpoint.jobs.attribution.AttributionModel.MARKOV;
import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.jobs.support.GeneratedWorld;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generated world without purchase-triggered touches (no navigational search before online
 * orders, no store-visit ping during store purchases, no post-purchase SMS or push; everything else,
 * seed included, as in {@link AttributionGeneratedDataTest}): every touch now comes before the
 * purchase decision. Seen with seed 23, window and lookback 30: TV distance to the true shares
 * Markov 0.425, last touch 0.515, first 0.533, linear 0.510, position 0.521, time decay 0.503
 * (lookback 7: Markov 0.454, last touch 0.508).
 *
 * <p>It ingests a second 40-day world (about 65 s through silver on a quiet 2-core machine), and runs
 * in CI: this is the world where the criterion, Markov closer to the truth than last touch,
 * is asserted.
 */
class AttributionWithoutTriggeredTouchesTest {
  private static final Logger LOG = LoggerFactory.getLogger(AttributionWithoutTriggeredTouchesTest.class);
  static TruthComparison c;

  @BeforeAll
  static void attribute() {
    c = new TruthComparison(GeneratedWorld.withoutPurchaseTriggeredTouches());
    LOG.info("world without purchase-triggered touches: true incremental purchases and credit shares:\n{}", c.table());
  }

  @Test
  void markovIsCloserToTheTruthThanLastTouch() {
    assertThat(c.distance(MARKOV)).as("TV distance, Markov vs last touch (%.3f)", c.distance(LAST))
        .isLessThan(c.distance(LAST) - 0.05);
    for (AttributionModel m : TruthComparison.MODELS) {
      if (m != MARKOV) {
        assertThat(c.distance(MARKOV)).as("TV distance, Markov vs %s (%.3f)", m.label(), c.distance(m))
            .isLessThan(c.distance(m));
      }
    }
  }
}
