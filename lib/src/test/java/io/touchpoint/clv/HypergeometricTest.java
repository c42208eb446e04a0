package io.touchpoint.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Reference values from mpmath.hyp2f1 at 30 digits. */
class HypergeometricTest {

  @Test
  void matchesMpmath() {
    assertThat(Hypergeometric.log(0.5, 1.5, 2.5, 0.3)).as("moderate z").isCloseTo(0.1026130407541255, within(1e-13));
    assertThat(Hypergeometric.log(200.24, 202.43, 402.22, 0.6)).as("x = 200 sized parameters (Euler branch)")
        .isCloseTo(81.905596386230015, within(1e-11));
    assertThat(Hypergeometric.log(1.4, 1.6, 2.4, 0.99)).as("z near 1").isCloseTo(3.5183806151016237, within(1e-11));
    assertThat(Hypergeometric.log(0.8, 2.4, 2.2, 0.95)).as("c < b").isCloseTo(2.7689846619999068, within(1e-11));
  }

  @Test
  void isOneAtZero() {
    assertThat(Hypergeometric.value(3, 4, 5, 0)).as("2F1(a, b; c; 0)").isEqualTo(1.0);
  }

  @Test
  void rejectsArgumentsOutsideTheUnitInterval() {
    assertThatThrownBy(() -> Hypergeometric.log(1, 1, 2, 1.0)).hasMessageContaining("0 <= z < 1");
    assertThatThrownBy(() -> Hypergeometric.log(1, 1, 2, -0.5)).hasMessageContaining("0 <= z < 1");
  }
}
