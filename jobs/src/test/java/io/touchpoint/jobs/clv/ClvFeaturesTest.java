package io.touchpoint.jobs.clv;

import static io.touchpoint.jobs.clv.ClvOrders.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.touchpoint.customervalue.ClvFeatures;
import io.touchpoint.customervalue.ClvScoring;
import io.touchpoint.jobs.support.SparkTestSupport;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** {@link ClvFeatures} and the lifecycle segments on hand-made orders. */
class ClvFeaturesTest {
  static final LocalDate RUN = LocalDate.of(2026, 3, 1);
  static final LocalDate JAN1 = LocalDate.of(2026, 1, 1);

  /**
   * c1: two orders on Jan 1 (store 100 at 02:00 UTC, tmall 50 at 05:00) = one occasion of 150;
   *     then 30 on Jan 15 and 60 on Jan 29; an order on Mar 5 is after the run date.
   *     x = 2, t_x = 28 / 7 = 4.0, T = 59 / 7 = 8.428571 (Jan 1 → Mar 1), monetary = (30 + 60) / 2 = 45
   *     (the first occasion excluded), acquisition channel store.
   * c2: 80 on Feb 1 (webshop), Feb 10 fully refunded (net 0: not an occasion).
   *     x = 0, t_x = 0, T = 28 / 7 = 4.0, monetary null.
   * c5: a zero-value order that was not refunded (fully discounted) on Feb 20 is a purchase:
   *     x = 0, T = 9 / 7.
   * c3: only a fully refunded order → not scored. c4: first order after the run date → not scored.
   * null customer (unidentified) → not scored.
   */
  static List<Row> orders() {
    return List.of(
        order("o1", "c1", "tmall", JAN1, 5, "50.00"),
        order("o2", "c1", "store", JAN1, 2, "100.00"),
        order("o3", "c1", "store", JAN1.plusDays(14), 3, "30.00"),
        order("o4", "c1", "jd", JAN1.plusDays(28), 3, "60.00"),
        order("o5", "c1", "jd", LocalDate.of(2026, 3, 5), 3, "999.00"),
        order("o6", "c2", "webshop", LocalDate.of(2026, 2, 1), 3, "80.00"),
        order("o7", "c2", "webshop", LocalDate.of(2026, 2, 10), 3, "0.00"),
        order("o8", "c3", "store", LocalDate.of(2026, 2, 10), 3, "0.00"),
        order("o9", "c4", "store", LocalDate.of(2026, 3, 2), 3, "10.00"),
        ClvOrders.sale("o11", "c5", "webshop", LocalDate.of(2026, 2, 20), 3, "0.00"),
        order("o10", null, "store", LocalDate.of(2026, 2, 10), 3, "70.00"));
  }

  @Test
  void sameDayOrdersAreOneOccasionAndTheFirstIsLeftOutOfMonetary() {
    Map<String, Row> byCustomer = ClvFeatures.customers(ClvOrders.frame(orders()), RUN).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("customer_id"), r -> r));
    assertThat(byCustomer.keySet()).as("customers with a kept purchase up to the run date").containsExactlyInAnyOrder("c1", "c2", "c5");

    Row c1 = byCustomer.get("c1");
    assertThat(c1.<Integer>getAs("frequency")).as("c1 x: 3 occasions - 1").isEqualTo(2);
    assertThat(c1.<Double>getAs("recency_weeks")).as("c1 t_x = 28 days / 7").isCloseTo(4.0, within(1e-12));
    assertThat(c1.<Double>getAs("t_weeks")).as("c1 T = 59 days / 7").isCloseTo(59 / 7.0, within(1e-12));
    assertThat(c1.<Double>getAs("monetary_cny")).as("c1 monetary = (30 + 60) / 2").isCloseTo(45.0, within(1e-12));
    assertThat(c1.<String>getAs("acquisition_channel")).as("c1 first order of the first day").isEqualTo("store");
    assertThat(c1.<LocalDate>getAs("first_purchase_date")).isEqualTo(JAN1);
    assertThat(c1.<LocalDate>getAs("last_purchase_date")).as("orders after the run date ignored")
        .isEqualTo(JAN1.plusDays(28));

    Row c2 = byCustomer.get("c2");
    assertThat(c2.<Integer>getAs("frequency")).as("c2: refunded day is not an occasion").isZero();
    assertThat(c2.<Double>getAs("recency_weeks")).isZero();
    assertThat(c2.<Double>getAs("t_weeks")).as("c2 T = 28 days / 7").isCloseTo(4.0, within(1e-12));
    assertThat(c2.<Double>getAs("monetary_cny")).as("c2 monetary without repeats").isNull();

    Row c5 = byCustomer.get("c5");
    assertThat(c5.<Integer>getAs("frequency")).as("c5: a zero-value sale is a purchase").isZero();
    assertThat(c5.<Double>getAs("t_weeks")).as("c5 T = 9 days / 7").isCloseTo(9 / 7.0, within(1e-12));
  }

  @Test
  void occasionsSumTheDaysNetValue() {
    List<String> occasions = ClvFeatures.occasions(ClvOrders.frame(orders()), RUN)
        .orderBy("customer_id", "order_date").collectAsList().stream()
        .map(r -> r.getAs("customer_id") + " " + r.getAs("order_date") + " " + r.getAs("value_cny")).toList();
    assertThat(occasions).as("one row per customer-day with a purchase").containsExactly(
        "c1 2026-01-01 150.00", "c1 2026-01-15 30.00", "c1 2026-01-29 60.00", "c2 2026-02-01 80.00",
        "c5 2026-02-20 0.00");
  }

  @Test
  void identicalCustomersCollapseIntoOneWeightedStatistic() {
    // c1 and c1b have the same days (x = 1, t_x = 1 week, T = 2 weeks) and the same repeat value.
    LocalDate first = RUN.minusDays(14);
    List<Row> rows = List.of(
        order("a", "c1", "store", first, 3, "10.00"), order("b", "c1", "store", first.plusDays(7), 3, "20.00"),
        order("c", "c1b", "store", first, 3, "15.00"), order("d", "c1b", "store", first.plusDays(7), 3, "20.00"));
    List<String> stats = ClvFeatures.statistics(ClvFeatures.customers(ClvOrders.frame(rows), RUN)).collectAsList()
        .stream().map(Row::toString).toList();
    assertThat(stats).as("(x, t_x, T) and (x, monetary) counted once each, weight 2").containsExactly(
        "[frequency,1,1.0,2.0,null,2]", "[spend,1,null,null,20.0,2]");
  }

  @Test
  void lifecycleSegmentsSwitchAfter30And90And365Days() {
    LocalDate run = LocalDate.of(2026, 12, 31);
    StructType schema = new StructType().add("case", DataTypes.StringType)
        .add("first", DataTypes.DateType).add("last", DataTypes.DateType);
    List<Row> cases = List.of(
        row("first 30 days ago", run.minusDays(30), run.minusDays(30)),
        row("first 31 days ago, last today", run.minusDays(31), run),
        row("last 90 days ago", run.minusDays(400), run.minusDays(90)),
        row("last 91 days ago", run.minusDays(400), run.minusDays(91)),
        row("last 365 days ago", run.minusDays(400), run.minusDays(365)),
        row("last 366 days ago", run.minusDays(400), run.minusDays(366)));
    List<String> segments = SparkTestSupport.spark().createDataFrame(cases, schema)
        .select(org.apache.spark.sql.functions.col("case"),
            ClvScoring.lifecycleSegment(org.apache.spark.sql.functions.col("first"), org.apache.spark.sql.functions.col("last"), run))
        .collectAsList().stream().map(r -> r.getString(0) + ": " + r.getString(1)).toList();
    assertThat(segments).as("segment boundaries at the run date").containsExactly(
        "first 30 days ago: new",
        "first 31 days ago, last today: active",
        "last 90 days ago: active",
        "last 91 days ago: dormant",
        "last 365 days ago: dormant",
        "last 366 days ago: lost");
  }

  @Test
  void highValueIsFloorOfTwentyPercent() {
    assertThat(ClvScoring.highValueCount(2357)).as("CDNOW: floor(471.4)").isEqualTo(471);
    assertThat(ClvScoring.highValueCount(10)).isEqualTo(2);
    assertThat(ClvScoring.highValueCount(4)).as("never more than 20%").isZero();
  }

  private static Row row(String name, LocalDate first, LocalDate last) {
    return RowFactory.create(name, Date.valueOf(first), Date.valueOf(last));
  }
}
