package io.touchpoint.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransactionSummaryTest {

  private static Transaction tx(String id, String date, double value) {
    return new Transaction(id, LocalDate.parse(date), value);
  }

  @Test
  void sameDayPurchasesAreOneOccasionWithSummedValue() {
    List<Transaction> log = List.of(
        tx("c1", "2024-01-01", 10), tx("c1", "2024-01-01", 5),
        tx("c1", "2024-01-15", 20), tx("c1", "2024-01-15", 4),
        tx("c1", "2024-01-29", 30),
        tx("c1", "2024-02-05", 99));
    Customers c = TransactionSummary.summarize(log, LocalDate.parse("2024-01-31"), LocalDate.parse("2024-02-29"));
    assertThat(c.frequency()[0]).as("x: two repeat days").isEqualTo(2);
    assertThat(c.recency()[0]).as("t_x = 28 days").isCloseTo(4.0, within(1e-12));
    assertThat(c.age()[0]).as("T = 30 days").isCloseTo(30 / 7.0, within(1e-12));
    assertThat(c.monetary()[0]).as("mean of repeat days, first excluded").isCloseTo((24 + 30) / 2.0, within(1e-12));
    assertThat(c.holdoutFrequency()[0]).as("holdout repeats").isEqualTo(1);
    assertThat(c.holdoutWeeks()).as("holdout weeks").isCloseTo(29 / 7.0, within(1e-12));
  }

  @Test
  void oneTimeBuyersHaveZeroRecencyAndNoMonetary() {
    Customers c = TransactionSummary.summarize(List.of(tx("c9", "2024-01-10", 12), tx("c9", "2024-01-10", 3)),
        LocalDate.parse("2024-01-31"), null);
    assertThat(c.frequency()[0]).as("x").isZero();
    assertThat(c.recency()[0]).as("t_x").isZero();
    assertThat(c.monetary()[0]).as("monetary").isNaN();
    assertThat(c.holdoutFrequency()).as("no holdout").isNull();
  }

  @Test
  void customersAcquiredAfterCalibrationAreLeftOut() {
    Customers c = TransactionSummary.summarize(List.of(tx("late", "2024-02-10", 12), tx("early", "2024-01-02", 3)),
        LocalDate.parse("2024-01-31"), LocalDate.parse("2024-03-31"));
    assertThat(c.ids()).as("ids").containsExactly("early");
  }

  @Test
  void cdnowSampleMatchesThePublishedSummaries() throws IOException {
    Customers c = Cdnow.sample();
    assertThat(c.size()).as("customers").isEqualTo(2357);
    assertThat(c.repeaters()).as("customers with x >= 1").isEqualTo(946);
    assertThat(c.totalHoldoutRepeats()).as("holdout repeat transactions").isEqualTo(1882);
    assertThat(c.holdoutWeeks()).as("holdout weeks").isCloseTo(39, within(1e-12));

    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < c.size(); i++) {
      index.put(c.ids()[i], i);
    }
    List<String> summary = Files.readAllLines(Cdnow.file("cdnow_customers_summary.csv"));
    assertThat(summary).as("summary rows").hasSize(2358);
    for (String line : summary.subList(1, summary.size())) {
      String[] f = line.split(",");
      int i = index.get(String.format("%04d", Integer.parseInt(f[0])));
      assertThat(c.frequency()[i]).as("frequency of %s", f[0]).isEqualTo(Integer.parseInt(f[1]));
      assertThat(c.recency()[i]).as("recency of %s", f[0]).isCloseTo(Double.parseDouble(f[2]), within(0.005 + 1e-9));
      assertThat(c.age()[i]).as("T of %s", f[0]).isCloseTo(Double.parseDouble(f[3]), within(0.005 + 1e-9));
    }
    List<String> withValues = Files.readAllLines(Cdnow.file("cdnow_customers_summary_with_transactions.csv"));
    for (String line : withValues.subList(1, withValues.size())) {
      String[] f = line.split(",");
      int i = index.get(String.format("%04d", Integer.parseInt(f[0])));
      double zbar = c.frequency()[i] == 0 ? 0 : c.monetary()[i];
      assertThat(zbar).as("zbar of %s", f[0]).isCloseTo(Double.parseDouble(f[4]), within(0.005 + 1e-9));
    }
  }

  @Test
  void weightedRowsConserveCustomers() {
    WeightedRows rows = Cdnow.sample().weighted();
    assertThat(rows.customers()).as("sum of weights").isEqualTo(2357);
    assertThat(rows.size()).as("unique rows").isLessThan(2357);
    int[] rowOf = rows.rowOfCustomer();
    Customers c = Cdnow.sample();
    for (int i = 0; i < c.size(); i++) {
      assertThat(rows.frequency()[rowOf[i]]).as("x of customer row").isEqualTo(c.frequency()[i]);
      assertThat(rows.recency()[rowOf[i]]).as("t_x of customer row").isEqualTo(c.recency()[i]);
    }
  }
}
