package io.touchpoint.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.touchpoint.errors.TouchpointException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeuristicAttributionTest {
  private static final Instant T = Instant.parse("2026-01-15T12:00:00Z");

  /** a>b>c>a (2 conv, 10): 40/10/10/40; b>a (1 conv, 4): 50/50; c (1 conv, 2): 100; d (nulls only): 0. */
  @Test
  void positionBasedSplitsFortyTwentyForty() {
    Journeys js = Journeys.of(List.of(Journey.of("a>b>c>a", ">", 2, 10, 1), Journey.of("b>a", ">", 1, 4, 0),
        Journey.of("c", ">", 1, 2, 3), Journey.of("d", ">", 0, 0, 5)));
    Map<HeuristicModel, List<Credit>> credits = HeuristicAttribution.compute(js);
    List<Credit> position = credits.get(HeuristicModel.POSITION_BASED);
    // a: 0.8·2 + 0.5·1 = 2.1 conv, 0.8·10 + 0.5·4 = 10; b: 0.1·2 + 0.5 = 0.7, 1 + 2 = 3; c: 0.2 + 1 = 1.2, 1 + 2 = 3.
    assertThat(position).as("position-based").containsExactly(new Credit("a", 2.1, 10), new Credit("b", 0.7, 3),
        new Credit("c", 1.2, 3), new Credit("d", 0, 0));
    // linear: a 2·2/4 + 1/2 = 1.5, b 0.5 + 0.5 = 1, c 0.5 + 1 = 1.5.
    assertThat(credits.get(HeuristicModel.LINEAR)).as("linear counts repeats")
        .containsExactly(new Credit("a", 1.5, 7), new Credit("b", 1, 4.5), new Credit("c", 1.5, 4.5),
            new Credit("d", 0, 0));
    assertThat(credits.get(HeuristicModel.FIRST_TOUCH)).as("first touch")
        .containsExactly(new Credit("a", 2, 10), new Credit("b", 1, 4), new Credit("c", 1, 2), new Credit("d", 0, 0));
    assertThat(credits.get(HeuristicModel.LAST_TOUCH)).as("last touch")
        .containsExactly(new Credit("a", 3, 14), new Credit("b", 0, 0), new Credit("c", 1, 2), new Credit("d", 0, 0));
  }

  /**
   * Half-life 7 days: touches 14, 7 and 0 days before the conversion weigh 1/4, 1/2, 1 (sum 7/4),
   * so shares 1/7, 2/7, 4/7 of 7 conversions worth 70.
   */
  @Test
  void timeDecayHalvesPerHalfLife() {
    TimedJourney j = new TimedJourney(List.of("search", "email", "search"),
        List.of(T.minus(Duration.ofDays(14)), T.minus(Duration.ofDays(7)), T), T, 7, 70);
    List<Credit> credits = HeuristicAttribution.timeDecay(List.of(j), HeuristicAttribution.DEFAULT_HALF_LIFE);
    assertThat(credits).as("time decay").hasSize(2);
    assertThat(credits.get(0).channel()).isEqualTo("search");
    assertThat(credits.get(0).conversions()).as("search: 1/7 + 4/7 of 7").isCloseTo(5, within(1e-12));
    assertThat(credits.get(0).value()).as("search value").isCloseTo(50, within(1e-12));
    assertThat(credits.get(1).conversions()).as("email: 2/7 of 7").isCloseTo(2, within(1e-12));
  }

  @Test
  void timeDecayRejectsTouchesAfterTheConversion() {
    assertThatThrownBy(() -> new TimedJourney(List.of("a"), List.of(T.plusSeconds(1)), T, 1, 1))
        .isInstanceOf(TouchpointException.class)
        .hasMessageContaining("is after the conversion");
  }
}
