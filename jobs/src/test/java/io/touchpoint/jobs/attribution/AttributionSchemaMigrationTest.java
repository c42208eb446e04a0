package io.touchpoint.jobs.attribution;

import static io.touchpoint.jobs.attribution.AttributionFixtures.RUN_DATE;
import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.attribution.AttributionJourneys;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import java.nio.file.Path;
import java.sql.Date;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gold.attribution_by_channel written before the revenue interval columns existed gains them on the next run. */
class AttributionSchemaMigrationTest {
  @TempDir Path tmp;

  @Test
  void anOlderTableGainsTheRevenueIntervalColumns() {
    Warehouse warehouse = new Warehouse(SparkTestSupport.spark(), tmp.resolve("warehouse").toString());
    AttributionFixtures.touches().write().format("delta").save(warehouse.path("silver", "touchpoints"));
    AttributionFixtures.orders().write().format("delta").save(warehouse.path("silver", "orders"));
    List<String> added = List.of("revenue_ci_low_cny", "revenue_ci_high_cny", "ci_level");
    StructType old = new StructType(Arrays.stream(AttributionJob.BY_CHANNEL_SCHEMA.fields())
        .filter(f -> !added.contains(f.name())).toArray(StructField[]::new));
    Date before = Date.valueOf(RUN_DATE.minusDays(1));
    Row oldRow = RowFactory.create(before, Date.valueOf(RUN_DATE.minusDays(30)), before, "markov", 1, "display", 2.0, 90.0,
        0.5, 0.4, 1.0, 3.0);
    SparkTestSupport.spark().createDataFrame(List.of(oldRow), old).write().format("delta").partitionBy("run_date")
        .save(warehouse.path("gold", AttributionJob.BY_CHANNEL));

    new AttributionJob(warehouse, "after-upgrade").run(new AttributionJob.Options(
        new AttributionJourneys.Period(RUN_DATE, 30, 30), 1, EnumSet.of(AttributionModel.MARKOV), 5, 1L, 0.9, 7, 14, 0.3));

    var table = warehouse.read("gold", AttributionJob.BY_CHANNEL);
    assertThat(table.columns()).as("columns after the run").contains(added.toArray(String[]::new));
    Row kept = table.where("run_date = DATE'" + before.toLocalDate() + "'").first();
    assertThat(kept.<Double>getAs("conversions")).as("the older row is kept").isEqualTo(2.0);
    assertThat((Object) kept.getAs("ci_level")).as("and reads the new columns as null").isNull();
    assertThat((Object) kept.getAs("revenue_ci_low_cny")).isNull();
    List<Row> fresh = table.where("run_date = DATE'" + RUN_DATE + "' AND channel <> 'direct'").collectAsList();
    assertThat(fresh).as("Markov rows of the run").isNotEmpty()
        .allSatisfy(r -> assertThat(r.<Double>getAs("ci_level")).isEqualTo(0.9))
        .allSatisfy(r -> assertThat(r.<Double>getAs("revenue_ci_high_cny")).isNotNull());
  }
}
