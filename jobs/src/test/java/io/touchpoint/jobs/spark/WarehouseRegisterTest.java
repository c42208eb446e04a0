package io.touchpoint.jobs.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.jobs.support.SparkTestSupport;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables by name: every session names the warehouse's Delta folders {@code <schema>.<table>}.
 * Two warehouses side by side in one JVM (the in-memory catalog is shared by the JVM's sessions):
 * A holds gold.kpi = {1}, B holds gold.kpi = {2, 3} and silver.orders.
 */
class WarehouseRegisterTest {
  @TempDir static Path tmp;
  static Warehouse a;
  static Warehouse b;

  @BeforeAll
  static void twoWarehouses() {
    SparkSession spark = SparkTestSupport.spark();
    a = new Warehouse(spark, tmp.resolve("a").toString());
    b = new Warehouse(spark, tmp.resolve("b").toString());
    spark.sql("SELECT 1 AS value").write().format("delta").save(a.path("gold", "kpi"));
    spark.sql("SELECT 2 AS value UNION ALL SELECT 3").write().format("delta").save(b.path("gold", "kpi"));
    spark.sql("SELECT 'o1' AS order_id").write().format("delta").save(b.path("silver", "orders"));
  }

  static long sum(String table) {
    return SparkTestSupport.spark().sql("SELECT sum(value) FROM " + table).first().getLong(0);
  }

  static boolean named(String table) {
    return SparkTestSupport.spark().catalog().tableExists(table);
  }

  @Test
  void eachSessionReadsTheWarehouseItOpenedByName() {
    assertThat(Warehouse.open(a.spark(), a.root()).tables()).containsExactly("gold.kpi");
    assertThat(sum("gold.kpi")).as("A's gold.kpi").isEqualTo(1);
    assertThat(named("silver.orders")).as("A has no silver.orders").isFalse();

    assertThat(b.register()).containsExactly("gold.kpi", "silver.orders");
    assertThat(sum("gold.kpi")).as("B's gold.kpi replaces A's name").isEqualTo(5);
    assertThat(SparkTestSupport.spark().sql("SELECT order_id FROM silver.orders").first().getString(0)).isEqualTo("o1");

    assertThat(a.register()).containsExactly("gold.kpi");
    assertThat(named("silver.orders")).as("B's silver.orders is no longer named once A is registered").isFalse();
    assertThat(sum("gold.kpi")).isEqualTo(1);
  }

  @Test
  void registeringAgainChangesNothingAndNamesOnlyTheVisibleSchemas() {
    List<String> first = b.register();
    long t0 = System.nanoTime();
    List<String> second = b.register();
    long micros = (System.nanoTime() - t0) / 1000;
    assertThat(second).isEqualTo(first);
    assertThat(sum("gold.kpi")).isEqualTo(5);
    System.out.printf("re-registering %d tables took %d µs%n", second.size(), micros);

    assertThat(b.register(schema -> schema.equals("gold"))).containsExactly("gold.kpi");
    assertThat(named("gold.kpi")).isTrue();
    assertThat(named("silver.orders")).as("a gold-only session names no silver table").isFalse();
  }

  @Test
  void aTableIsNamedAsSoonAsTheWriterCreatesIt() {
    // A third warehouse, so that the other tests' listings stay as the fixture says.
    Warehouse c = Warehouse.open(SparkTestSupport.spark(), tmp.resolve("c").toString());
    new TableWriter(c, "run-1", "test").overwrite(SparkTestSupport.spark().sql("SELECT 7 AS value"), "gold", "created_in_run");
    assertThat(sum("gold.created_in_run")).as("named without a register() call").isEqualTo(7);
  }
}
