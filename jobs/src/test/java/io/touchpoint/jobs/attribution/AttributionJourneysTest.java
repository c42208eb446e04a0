package io.touchpoint.jobs.attribution;

import static io.touchpoint.jobs.attribution.AttributionFixtures.RUN_DATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.touchpoint.attribution.AttributionJourneys;
import io.touchpoint.errors.TouchpointException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AttributionJourneysTest {
  static final AttributionJourneys.Period PERIOD = new AttributionJourneys.Period(RUN_DATE, 30, 30);
  /** customer → "path|converted|orders|value" for every journey of the period, in time order. */
  static Map<String, List<String>> journeys;

  @BeforeAll
  static void build() {
    journeys = new TreeMap<>();
    for (Row r : AttributionJourneys.build(AttributionFixtures.touches(), AttributionFixtures.orders(), PERIOD)
        .orderBy("customer_id", "journey_number").collectAsList()) {
      journeys.computeIfAbsent(r.getAs("customer_id"), k -> new java.util.ArrayList<>())
          .add(r.getAs("path") + "|" + r.getAs("is_converted") + "|" + r.getAs("orders") + "|"
              + r.<Double>getAs("conversion_value_cny"));
    }
  }

  @Test
  void touchesOlderThanTheLookbackBeforeTheConversionAreDropped() {
    assertThat(journeys.get("lookback_drop")).as("search_ads 38 days before the order is dropped")
        .containsExactly("display|true|1|80.0");
  }

  @Test
  void aConversionEndsTheJourneyAndTheNextStartsAfterIt() {
    assertThat(journeys.get("reset")).as("two conversions, each with its own touches")
        .containsExactly("email|true|1|100.0", "sms|true|1|50.0");
  }

  @Test
  void aJourneyWithoutConversionIsANullJourney() {
    assertThat(journeys.get("null_journey")).as("open at the run date, last touch in the window")
        .containsExactly("social_ads > display|false|0|0.0");
  }

  @Test
  void ordersOfOneDayAreOnePurchaseOccasion() {
    assertThat(journeys.get("same_day")).as("the push between the two orders belongs to the occasion")
        .containsExactly("search_ads > app_push|true|2|50.0");
  }

  @Test
  void ordersWithoutATouchInTheLookbackAreDirect() {
    assertThat(journeys.get("direct")).as("no touch at all").containsExactly("|true|1|60.0");
    assertThat(journeys.get("stale_touch")).as("the only touch is 33 days old; its null journey ended before the period")
        .containsExactly("|true|1|40.0");
  }

  @Test
  void dataAfterTheRunDateAndUnidentifiedRowsAreIgnored() {
    assertThat(journeys).as("customers with a journey in the period").containsOnlyKeys(
        "lookback_drop", "reset", "null_journey", "same_day", "stale_touch", "direct", "store_then_web");
  }

  @Test
  void identicalJourneysAggregateByPath() {
    Map<String, String> paths = new TreeMap<>();
    for (Row r : AttributionJourneys.paths(AttributionJourneys.build(AttributionFixtures.touches(),
        AttributionFixtures.orders(), PERIOD)).collectAsList()) {
      paths.put(r.getString(0), r.getDouble(1) + "/" + r.getDouble(2) + "/" + r.getDouble(3));
    }
    assertThat(paths).as("path → conversions/value/nulls").containsExactlyInAnyOrderEntriesOf(Map.of(
        "", "2.0/100.0/0.0",
        "display", "1.0/80.0/0.0",
        "email", "1.0/100.0/0.0",
        "sms", "1.0/50.0/0.0",
        "social_ads > display", "0.0/0.0/1.0",
        "search_ads > app_push", "1.0/50.0/0.0",
        "store_visit", "1.0/200.0/0.0"));
  }

  @Test
  void timeDecayHalvesTheWeightPerHalfLife() {
    Map<String, Double> credit = new TreeMap<>();
    for (Row r : AttributionJourneys.timeDecay(AttributionJourneys.build(AttributionFixtures.touches(),
        AttributionFixtures.orders(), PERIOD), 7).collectAsList()) {
      credit.put(r.getString(0), r.getDouble(1));
    }
    // same_day: search_ads 03-14 04:00 is 25 h before the occasion (03-15 05:00), app_push 2 h before.
    double searchWeight = Math.pow(2, -25.0 / (7 * 24));
    double pushWeight = Math.pow(2, -2.0 / (7 * 24));
    assertThat(credit.get("search_ads")).as("search_ads").isCloseTo(searchWeight / (searchWeight + pushWeight), within(1e-9));
    assertThat(credit.get("app_push")).as("app_push").isCloseTo(pushWeight / (searchWeight + pushWeight), within(1e-9));
    assertThat(credit.values().stream().mapToDouble(Double::doubleValue).sum()).as("touched conversions")
        .isCloseTo(5.0, within(1e-9));
  }

  @Test
  void experienceSplitGivesTheStoreThreeTenthsOfOnlineOrdersAfterAVisit() {
    Map<String, String> split = new TreeMap<>();
    for (Row r : AttributionJourneys.experienceSplit(AttributionFixtures.touches(), AttributionFixtures.orders(), PERIOD,
        14, 0.3).collectAsList()) {
      split.put(r.getString(0), String.format(java.util.Locale.ROOT, "%.2f/%.2f", r.getDouble(1), r.getDouble(2)));
    }
    // store: orders o2 (100) and o6 (40) + 0.3 × o8 (200); tmall 0.7 × o8; webshop o1 + the same-day pair (½ + ½).
    assertThat(split).as("channel → conversions/revenue").containsExactlyInAnyOrderEntriesOf(Map.of(
        "store", "2.30/200.00", "tmall", "0.70/140.00", "webshop", "2.00/130.00", "app", "1.00/50.00",
        "jd", "1.00/60.00"));
  }

  @Test
  void aWindowOfNoDaysIsRejected() {
    assertThatThrownBy(() -> new AttributionJourneys.Period(RUN_DATE, 0, 30)).isInstanceOf(TouchpointException.class)
        .hasMessageContaining("--window-days 0").hasMessageContaining("Pass e.g. --window-days 30");
  }
}
