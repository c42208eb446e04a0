package io.touchpoint.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValuationTest {
  private static final BgNbd MODEL = SyntheticCustomers.CDNOW_BGNBD;
  private static final GammaGamma SPEND = SyntheticCustomers.CDNOW_SPEND;

  @Test
  void clvIsTheDiscountedMarginOfMonthlyIncrements() {
    int x = 2;
    double tx = 30.43;
    double age = 38.86;
    double m = 22.35;
    double w = 52.0 / 12;
    double byHand = 0;
    for (int k = 1; k <= 12; k++) {
      byHand += (MODEL.expected(x, tx, age, k * w) - MODEL.expected(x, tx, age, (k - 1) * w)) / Math.pow(1.01, k);
    }
    byHand *= 0.30 * SPEND.expectedSpend(x, m);
    assertThat(Valuation.clv(MODEL, SPEND, x, tx, age, m, ClvSettings.DEFAULT)).as("CLV of customer 1")
        .isCloseTo(byHand, within(1e-9));
    assertThat(byHand).as("CLV of customer 1, USD").isCloseTo(
        0.30 * SPEND.expectedSpend(x, m) * MODEL.expected(x, tx, age, 52) / 1.065, within(0.5));
  }

  @Test
  void batchPredictionsEqualOneByOne() {
    Customers c = Cdnow.sample();
    Predictions p = Valuation.predict(MODEL, SPEND, c, 39, ClvSettings.DEFAULT);
    assertThat(p.size()).as("one prediction per customer").isEqualTo(c.size());
    for (int i : new int[] {0, 1, 2, 100, 2356}) {
      int x = c.frequency()[i];
      assertThat(p.expectedPurchases()[i]).as("E[Y(39)] of %d", i)
          .isCloseTo(MODEL.expected(x, c.recency()[i], c.age()[i], 39), within(1e-12));
      assertThat(p.probabilityAlive()[i]).as("P(alive) of %d", i)
          .isCloseTo(MODEL.probabilityAlive(x, c.recency()[i], c.age()[i]), within(1e-15));
      assertThat(p.clv()[i]).as("CLV of %d", i).isCloseTo(
          Valuation.clv(MODEL, SPEND, x, c.recency()[i], c.age()[i], c.monetary()[i], ClvSettings.DEFAULT), within(1e-9));
    }
  }

  @Test
  void calibrationTableReconcilesWithTheHoldout() {
    Customers c = Cdnow.sample();
    Fit<BgNbd> fit = BgNbd.fit(c.weighted());
    Predictions p = Valuation.predict(fit.model(), null, c, c.holdoutWeeks(), ClvSettings.DEFAULT);
    List<CalibrationTable.Row> rows = CalibrationTable.of(c, p);
    assertThat(rows).as("classes 0..7+").hasSize(8);
    double actual = 0;
    double expected = 0;
    long customers = 0;
    for (CalibrationTable.Row r : rows) {
      actual += r.actualMean() * r.customers();
      expected += r.expectedMean() * r.customers();
      customers += r.customers();
    }
    assertThat(customers).as("customers").isEqualTo(2357);
    assertThat(actual).as("actual holdout repeats").isCloseTo(1882, within(1e-6));
    // Sum of conditional expectations at the fitted CDNOW estimates: 1,653.4, 12% below the actual 1,882.
    assertThat(expected).as("expected holdout repeats").isCloseTo(1653.4, within(0.1));
    assertThat(rows.get(0).frequency()).as("first class").isEqualTo("0");
    assertThat(rows.get(7).frequency()).as("last class").isEqualTo("7+");
    assertThat(p.clv()[0]).as("no spend model, no CLV").isNaN();
  }
}
