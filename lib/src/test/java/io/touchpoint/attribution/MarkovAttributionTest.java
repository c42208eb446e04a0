package io.touchpoint.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.touchpoint.errors.TouchpointException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Small chains worked out by hand, and the edge cases. */
class MarkovAttributionTest {
  private static final double EXACT = 1e-12;

  private static Journey journey(String path, double conversions, double value, double nulls) {
    return Journey.of(path, ">", conversions, value, nulls);
  }

  /**
   * a>b>a (1 conv worth 6, 1 null), b (1 null), a>b (1 conv worth 2). Order 1, weights
   * start→a 3, start→b 1, a→b 3, b→a 2, a→conv 1, a→null 1, b→null 1, b→conv 1; out(a) 5, out(b) 4.
   * x_a = 3/5 x_b + 1/5, x_b = 1/2 x_a + 1/4 → x_a = x_b = 1/2, P = 3/4·1/2 + 1/4·1/2 = 1/2.
   * Without a: x_b = 1/4, P = 1/16, RE 7/8. Without b: x_a = 1/5, P = 3/20, RE 7/10.
   * Credits 2·(7/8)/(63/40) = 10/9 and 8/9. Value: mean 6 at a, 2 at b; y_a = 3/5 y_b + 6/5,
   * y_b = 1/2 y_a + 1/2 → y_a = 15/7, y_b = 11/7, P_v = 2; without a 1/8 (RE 15/16), without b
   * 9/10 (RE 11/20); credits 8·75/119 and 8·44/119.
   */
  @Test
  void orderOneChainWithACycle() {
    MarkovResult r = MarkovAttribution.fit(List.of(
        journey("a > b > a", 1, 6, 1), journey("b", 0, 0, 1), journey("a > b", 1, 2, 0)), 1);
    assertThat(r.conversionProbability()).as("P(conversion)").isCloseTo(0.5, within(EXACT));
    assertThat(r.expectedValue()).as("expected value per journey").isCloseTo(2, within(EXACT));
    assertThat(r.credit("a").removalEffectConversion()).as("RE a").isCloseTo(7.0 / 8, within(EXACT));
    assertThat(r.credit("b").removalEffectConversion()).as("RE b").isCloseTo(7.0 / 10, within(EXACT));
    assertThat(r.credit("a").attributedConversions()).as("credit a").isCloseTo(10.0 / 9, within(EXACT));
    assertThat(r.credit("b").attributedConversions()).as("credit b").isCloseTo(8.0 / 9, within(EXACT));
    assertThat(r.credit("a").removalEffectValue()).as("value RE a").isCloseTo(15.0 / 16, within(EXACT));
    assertThat(r.credit("b").removalEffectValue()).as("value RE b").isCloseTo(11.0 / 20, within(EXACT));
    assertThat(r.credit("a").attributedValue()).as("value a").isCloseTo(600.0 / 119, within(EXACT));
    assertThat(r.credit("b").attributedValue()).as("value b").isCloseTo(352.0 / 119, within(EXACT));
    assertThat(r.states()).as("states").containsExactly("start", "a", "b", "conversion", "null");
    assertThat(r.transitions()).as("transition matrix").containsExactly(
        new Transition("start", "a", 0.75, 3), new Transition("start", "b", 0.25, 1),
        new Transition("a", "b", 0.6, 3), new Transition("a", "conversion", 0.2, 1),
        new Transition("a", "null", 0.2, 1), new Transition("b", "a", 0.5, 2),
        new Transition("b", "conversion", 0.25, 1), new Transition("b", "null", 0.25, 1));
  }

  /**
   * Order 2: a>b>c (1 conv) → (a,b),(b,c); a>a>b (1 null) → (a,a),(a,b); c (1 conv, 1 null) → (c);
   * a>b (1 null) → (a,b). x(b,c) = 1, x(a,b) = 1/3, x(a,a) = 1/3, x(c) = 1/2;
   * P = 2/5·1/3 + 1/5·1/3 + 2/5·1/2 = 2/5. Without a: 2/5·1/2 = 1/5 (RE 1/2); without b: 1/5
   * (RE 1/2); without c: 0 (RE 1). Credits 2·(1/2)/2 = 1/2, 1/2, 1.
   */
  @Test
  void orderTwoWindowsAndShortJourneys() {
    MarkovResult r = MarkovAttribution.fit(List.of(
        journey("a>b>c", 1, 0, 0), journey("a>a>b", 0, 0, 1), journey("c", 1, 0, 1), journey("a>b", 0, 0, 1)), 2);
    assertThat(r.states()).as("states").containsExactly("start", "a > b", "b > c", "a > a", "c", "conversion", "null");
    assertThat(r.conversionProbability()).as("P(conversion)").isCloseTo(0.4, within(EXACT));
    assertThat(r.credit("a").removalEffectConversion()).as("RE a").isCloseTo(0.5, within(EXACT));
    assertThat(r.credit("b").removalEffectConversion()).as("RE b").isCloseTo(0.5, within(EXACT));
    assertThat(r.credit("c").removalEffectConversion()).as("RE c").isCloseTo(1, within(EXACT));
    assertThat(r.credit("a").attributedConversions()).as("credit a").isCloseTo(0.5, within(EXACT));
    assertThat(r.credit("c").attributedConversions()).as("credit c").isCloseTo(1, within(EXACT));
    assertThat(r.credit("c").attributedValue()).as("no value to attribute").isZero();
  }

  /**
   * Order 3: a>b>a>b (1 conv worth 9) → (a,b,a),(b,a,b); a>b (1 null) → (a,b);
   * b>b>b>b (1 conv worth 3, 1 null) → (b,b,b) twice, merged; a>b>a (2 nulls) → (a,b,a).
   * start→aba 3, start→ab 1, start→bbb 2; aba→bab 1, aba→null 2; x(aba) = 1/3, x(bbb) = 1/2;
   * P = 3/6·1/3 + 2/6·1/2 = 1/3. Without a: 1/6 (RE 1/2); without b: 0 (RE 1); credits 2/3, 4/3.
   * Value: P_v = 3/6·1/3·9 + 2/6·1/2·3 = 2; without a 1/2 (RE 3/4); credits 12·3/7, 12·4/7.
   */
  @Test
  void orderThreeMergesRepeatedWindows() {
    MarkovResult r = MarkovAttribution.fit(List.of(
        journey("a>b>a>b", 1, 9, 0), journey("a>b", 0, 0, 1), journey("b>b>b>b", 1, 3, 1),
        journey("a>b>a", 0, 0, 2)), 3);
    assertThat(r.states()).as("states").containsExactly(
        "start", "a > b > a", "b > a > b", "a > b", "b > b > b", "conversion", "null");
    assertThat(r.conversionProbability()).as("P(conversion)").isCloseTo(1.0 / 3, within(EXACT));
    assertThat(r.credit("a").removalEffectConversion()).as("RE a").isCloseTo(0.5, within(EXACT));
    assertThat(r.credit("b").removalEffectConversion()).as("RE b").isCloseTo(1, within(EXACT));
    assertThat(r.credit("a").attributedConversions()).as("credit a").isCloseTo(2.0 / 3, within(EXACT));
    assertThat(r.credit("b").attributedConversions()).as("credit b").isCloseTo(4.0 / 3, within(EXACT));
    assertThat(r.expectedValue()).as("P_value").isCloseTo(2, within(EXACT));
    assertThat(r.credit("a").removalEffectValue()).as("value RE a").isCloseTo(0.75, within(EXACT));
    assertThat(r.credit("a").attributedValue()).as("value a").isCloseTo(36.0 / 7, within(EXACT));
    assertThat(r.credit("b").attributedValue()).as("value b").isCloseTo(48.0 / 7, within(EXACT));
  }

  @Test
  void orderOneMergesRepeats() {
    MarkovResult merged = MarkovAttribution.fit(List.of(journey("a>a>b", 1, 1, 1), journey("b", 0, 0, 1)), 1);
    MarkovResult plain = MarkovAttribution.fit(List.of(journey("a>b", 1, 1, 1), journey("b", 0, 0, 1)), 1);
    assertThat(merged.transitions()).as("a>a>b is a>b at order 1").isEqualTo(plain.transitions());
  }

  @Test
  void removalEffectsDoNotDependOnRowOrder() {
    List<Journey> rows = new ArrayList<>();
    Random random = new Random(7);
    String[] channels = {"search", "social", "email", "store", "sms"};
    for (int i = 0; i < 400; i++) {
      StringBuilder path = new StringBuilder(channels[random.nextInt(5)]);
      for (int k = random.nextInt(6); k > 0; k--) {
        path.append('>').append(channels[random.nextInt(5)]);
      }
      rows.add(journey(path.toString(), random.nextInt(4), random.nextInt(100), random.nextInt(9)));
    }
    for (int order = 1; order <= 3; order++) {
      MarkovResult forward = MarkovAttribution.fit(rows, order);
      List<Journey> shuffled = new ArrayList<>(rows);
      Collections.shuffle(shuffled, new Random(11));
      MarkovResult other = MarkovAttribution.fit(shuffled, order);
      for (ChannelCredit c : forward.credits()) {
        ChannelCredit d = other.credit(c.channel());
        assertThat(d.removalEffectConversion()).as("RE %s order %d after shuffling", c.channel(), order)
            .isCloseTo(c.removalEffectConversion(), within(1e-13));
        assertThat(d.attributedValue()).as("value %s order %d after shuffling", c.channel(), order)
            .isCloseTo(c.attributedValue(), within(1e-9));
      }
    }
  }

  @Test
  void oneTouchJourneysCreditTheirChannelAlone() {
    MarkovResult r = MarkovAttribution.fit(List.of(journey("a", 3, 30, 1), journey("b", 1, 5, 3)), 1);
    assertThat(r.credit("a").removalEffectConversion()).as("RE a = its share of P").isCloseTo(0.75, within(EXACT));
    assertThat(r.credit("a").attributedConversions()).as("a keeps its own conversions").isCloseTo(3, within(EXACT));
    assertThat(r.credit("b").attributedValue()).as("b keeps its own value").isCloseTo(5, within(EXACT));
  }

  @Test
  void aChannelThatNeverLeadsToConversionGetsNothing() {
    MarkovResult r = MarkovAttribution.fit(List.of(journey("a>x", 0, 0, 4), journey("a", 2, 8, 2)), 1);
    assertThat(r.credit("x").removalEffectConversion()).as("RE x").isZero();
    assertThat(r.credit("x").attributedConversions()).as("credit x").isZero();
    assertThat(r.credit("a").attributedConversions()).as("credit a").isCloseTo(2, within(EXACT));
  }

  /** x is only on null paths, but at order 1 it leads into a, which converts. */
  @Test
  void aChannelOnlyInNullJourneysCanStillLeadToConversion() {
    // start→x 2, start→a 2; x→a 2 (out 2); a→conv 1, a→null 3 (out 4). P = 1/4 (both routes reach a).
    // Without x: P = 2/4·1/4 = 1/8, RE 1/2; without a: 0, RE 1. Credits 1·(1/2)/(3/2) = 1/3, 2/3.
    MarkovResult r = MarkovAttribution.fit(List.of(journey("x>a", 0, 0, 2), journey("a", 1, 4, 1)), 1);
    assertThat(r.credit("x").removalEffectConversion()).as("RE x").isCloseTo(0.5, within(EXACT));
    assertThat(r.credit("x").attributedConversions()).as("credit x").isCloseTo(1.0 / 3, within(EXACT));
  }

  /** No null paths: P(conversion) = 1 and removal still lowers it, so the model is defined. */
  @Test
  void allConvertingDataIsDefined() {
    // start→a 2, start→b 1; a→b 1, a→conv 1; b→conv 2. P = 1. Without a: 1/3 (RE 2/3); without b:
    // 2/3·1/2 = 1/3 (RE 2/3). Equal credits 1.5 each.
    MarkovResult r = MarkovAttribution.fit(List.of(journey("a>b", 1, 1, 0), journey("a", 1, 1, 0),
        journey("b", 1, 1, 0)), 1);
    assertThat(r.conversionProbability()).as("P(conversion)").isCloseTo(1, within(EXACT));
    assertThat(r.credit("a").removalEffectConversion()).as("RE a").isCloseTo(2.0 / 3, within(EXACT));
    assertThat(r.credit("b").attributedConversions()).as("credit b").isCloseTo(1.5, within(EXACT));
  }

  @Test
  void allNullDataIsRejected() {
    assertThatThrownBy(() -> MarkovAttribution.fit(List.of(journey("a>b", 0, 0, 5)), 1))
        .isInstanceOf(TouchpointException.class)
        .hasMessageContaining("Cannot fit the Markov attribution model: no journey converts");
  }

  @Test
  void emptyInputIsRejected() {
    assertThatThrownBy(() -> MarkovAttribution.fit(List.of(), 1))
        .isInstanceOf(TouchpointException.class)
        .hasMessage("Cannot fit the Markov attribution model: there are no journeys. Pass at least one journey"
            + " (one path with its counts).");
  }

  @Test
  void orderOutsideOneToFourIsRejected() {
    assertThatThrownBy(() -> MarkovAttribution.fit(List.of(journey("a", 1, 1, 1)), 5))
        .isInstanceOf(TouchpointException.class)
        .hasMessageContaining("the order must be 1 to 4");
  }

  @Test
  void separatorSpacingDoesNotMatter() {
    assertThat(Journey.of("a>b", ">", 1, 0, 0).channels()).as("a>b").containsExactly("a", "b");
    assertThat(Journey.of("a > b", ">", 1, 0, 0).channels()).as("a > b").containsExactly("a", "b");
    assertThat(Journey.of(" a >b ", ">", 1, 0, 0).channels()).as("' a >b '").containsExactly("a", "b");
    assertThatThrownBy(() -> Journey.of("a >> b", ">", 1, 0, 0)).isInstanceOf(TouchpointException.class)
        .hasMessageContaining("empty channel name");
  }

  @Test
  void negativeOrNonFiniteCountsAreRejected() {
    assertThatThrownBy(() -> journey("a", -1, 0, 0)).isInstanceOf(TouchpointException.class)
        .hasMessageContaining("conversions is -1.0");
    assertThatThrownBy(() -> journey("a", 1, Double.NaN, 0)).isInstanceOf(TouchpointException.class)
        .hasMessageContaining("conversion value is NaN");
  }

  /** Counts of 1e12 scale every weight alike: the same credits, scaled, with no overflow. */
  @Test
  void hugeCountsKeepFullPrecision() {
    List<Journey> small = List.of(journey("a > b > a", 1, 6, 1), journey("b", 0, 0, 1), journey("a > b", 1, 2, 0));
    List<Journey> huge = small.stream().map(j -> new Journey(j.channels(), j.conversions() * 1e12,
        j.conversionValue() * 1e12, j.nulls() * 1e12)).toList();
    MarkovResult r = MarkovAttribution.fit(huge, 1);
    assertThat(r.credit("a").attributedConversions()).as("credit a ×1e12")
        .isCloseTo(10.0 / 9 * 1e12, within(1e-3));
    assertThat(r.credit("b").attributedValue()).as("value b ×1e12").isCloseTo(352.0 / 119 * 1e12, within(1e-2));
    assertThat(r.credit("a").removalEffectConversion()).as("RE a unchanged").isCloseTo(7.0 / 8, within(EXACT));
  }

  @Test
  void denseAndGaussSeidelSolvesAgree() {
    Journeys paths = Reference.pathdata();
    ChainStructure chain = ChainStructure.build(paths, 2);
    ChainStructure.ChainWeights w = chain.weigh(paths);
    RemovalEffects effects = RemovalEffects.compute(chain, w);
    int n = chain.stateCount;
    AbsorbingChainSolver solver = RemovalEffects.system(chain, w);
    boolean[] alpha = chain.statesWith(paths.channels().indexOf("alpha"));
    double[][] dense = {new double[n], new double[n]};
    double[][] iterative = {new double[n], new double[n]};
    solver.dense(alpha, dense[0], dense[1]);
    solver.gaussSeidel(alpha, iterative[0], iterative[1]);
    for (int s = 0; s < n; s++) {
      assertThat(iterative[0][s]).as("conversion probability of state %d", s).isCloseTo(dense[0][s], within(1e-13));
      assertThat(iterative[1][s]).as("value of state %d", s).isCloseTo(dense[1][s], within(1e-12));
    }
    assertThat(1 - dense[0][0] / effects.conversionProbability()).as("RE alpha from the dense solve")
        .isCloseTo(0.5478032820635091, within(1e-13));
  }
}
