package io.touchpoint.jobs.notebooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.touchpoint.attribution.AttributionJourneys;
import io.touchpoint.jobs.attribution.AttributionJob;
import io.touchpoint.jobs.attribution.AttributionModel;
import io.touchpoint.jobs.generate.ExportGenerator;
import io.touchpoint.jobs.generate.GeneratorConfig;
import io.touchpoint.jobs.pipeline.Pipeline;
import io.touchpoint.jobs.pipeline.Stage;
import io.touchpoint.jobs.spark.Sandbox;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every SQL statement of the analyst notebooks ({@code notebooks/*.ipynb}) run against a demo-like
 * warehouse: generated exports (250 customers × 10 days, the demo's generator) through every stage
 * in one backfill pass, as {@code touchpoint demo} does, plus an analyst's ad-hoc attribution run
 * (order 2, 7-day window) into {@code sandbox_nbtest}, which the attribution explorer compares
 * with production. Parameters are injected as papermill would (the run date of the data, the
 * sandbox and the ad-hoc run's settings). A statement fails the test when Spark rejects it or when
 * it returns no row, unless it is marked {@code -- may be empty:}; a few statements are also checked
 * against what the warehouse must hold. So a notebook breaks the build as soon as a table or column
 * it reads changes.
 */
class NotebookSqlTest {
  private static final Logger LOG = LoggerFactory.getLogger(NotebookSqlTest.class);
  static final LocalDate START = LocalDate.of(2026, 3, 22);
  static final int DAYS = 10;
  static final int CUSTOMERS = 250;
  static final LocalDate END = START.plusDays(DAYS - 1);
  static final String SANDBOX = "nbtest";
  static final int ADHOC_ORDER = 2;
  static final int ADHOC_WINDOW_DAYS = 7;

  @TempDir static Path tmp;
  static String root;
  static List<Notebook> notebooks;
  static final Map<String, Map<Notebook.Statement, List<Row>>> results = new LinkedHashMap<>();
  static final Map<Notebook.Statement, String> errors = new LinkedHashMap<>();

  @BeforeAll
  static void buildWarehouse() throws IOException {
    notebooks = Notebook.all();
    long t0 = System.nanoTime();
    Path exports = tmp.resolve("exports");
    ExportGenerator.generate(GeneratorConfig.of(exports, CUSTOMERS, DAYS, START, 11));
    root = tmp.resolve("warehouse").toString();
    SparkSession spark = SparkTestSupport.spark();
    new Pipeline(new Warehouse(spark, root), SparkTestSupport.config(tmp.resolve("warehouse"), exports))
        .run(Pipeline.range(START, END), EnumSet.allOf(Stage.class), "notebooks");
    AttributionJob.Options production = AttributionJob.Options.defaults(END);
    new AttributionJob(new Warehouse(spark, root, Optional.of(new Sandbox(SANDBOX))), "notebooks-adhoc")
        .run(new AttributionJob.Options(new AttributionJourneys.Period(END, ADHOC_WINDOW_DAYS,
            AttributionJob.Options.DEFAULT_LOOKBACK_DAYS), ADHOC_ORDER, EnumSet.allOf(AttributionModel.class), 50, 1L,
            production.level(), production.halfLifeDays(), production.experienceDays(), production.storeShare()));
    LOG.info("notebook warehouse: every stage + a sandbox attribution run in {} s",
        String.format("%.1f", (System.nanoTime() - t0) / 1e9));
    runAll();
  }

  /** The parameters a test run injects: the data's last date, the sandbox and the ad-hoc run's settings. */
  static Map<String, String> injected(Notebook nb) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("RUN_DATE", END.toString());
    if (nb.parameters.containsKey("SANDBOX")) {
      values.put("SANDBOX", new Sandbox(SANDBOX).schema());
      values.put("ADHOC_ORDER", String.valueOf(ADHOC_ORDER));
      values.put("ADHOC_WINDOW_DAYS", String.valueOf(ADHOC_WINDOW_DAYS));
    }
    return values;
  }

  /** The session's names pointed at this warehouse (the catalog is shared by the tests of the JVM). */
  static SparkSession session() {
    return Warehouse.open(SparkTestSupport.spark(), root).spark();
  }

  /**
   * Runs every statement of every notebook once (collected, as {@code toPandas()} does), keeping its
   * rows or, when Spark rejects it, the error, so that each test reads the results without
   * re-running the notebooks.
   */
  static void runAll() {
    SparkSession spark = session();
    int statements = 0;
    for (Notebook nb : notebooks) {
      Map<Notebook.Statement, List<Row>> rows = new LinkedHashMap<>();
      for (Notebook.Statement s : nb.statements(injected(nb))) {
        statements++;
        try {
          rows.put(s, spark.sql(s.sql()).collectAsList());
        } catch (RuntimeException e) {
          errors.put(s, e.getClass().getSimpleName() + " " + e.getMessage().lines().findFirst().orElse(""));
        }
      }
      results.put(nb.name, rows);
    }
    LOG.info("notebooks: {} SQL statements run, {} failed", statements, errors.size());
  }

  static Map<Notebook.Statement, List<Row>> results(String notebook) {
    return results.get(notebook);
  }

  static Map.Entry<Notebook.Statement, List<Row>> find(Map<Notebook.Statement, List<Row>> results, String text) {
    List<Map.Entry<Notebook.Statement, List<Row>>> hits = results.entrySet().stream()
        .filter(e -> e.getKey().sql().contains(text)).toList();
    assertThat(hits).as("statements containing '" + text + "'").hasSize(1);
    return hits.get(0);
  }

  @Test
  void theThreeNotebooksAreThereWithTheirParameters() {
    assertThat(notebooks).extracting(n -> n.name).containsExactly("attribution_explorer.ipynb",
        "channel_roi_and_kpis.ipynb", "customer_value_and_segments.ipynb");
    for (Notebook nb : notebooks) {
      assertThat(nb.parameters).as(nb.name + " parameters").containsKeys("SPARK_REMOTE", "RUN_DATE")
          .containsEntry("SPARK_REMOTE", "sc://localhost:15002").containsEntry("RUN_DATE", null);
      assertThat(nb.statements(injected(nb)).size()).as(nb.name + " statements").isGreaterThanOrEqualTo(8);
    }
  }

  @Test
  void everyStatementRunsAndReturnsRowsWhereDataMustExist() {
    List<String> failures = new ArrayList<>();
    errors.forEach((statement, error) -> failures.add(error + "\n  in " + statement));
    results.values().forEach(rows -> rows.forEach((statement, r) -> {
      if (r.isEmpty() && !statement.mayBeEmpty()) {
        failures.add("returned no row: " + statement);
      }
    }));
    assertThat(results.values().stream().mapToInt(Map::size).sum() + errors.size()).as("statements run")
        .isEqualTo(notebooks.stream().mapToInt(nb -> nb.statements(injected(nb)).size()).sum());
    assertThat(failures).as("notebook statements that failed or returned nothing").isEmpty();
  }

  /** Each notebook's "latest run" query finds the data's last date, the date the other statements were given. */
  @Test
  void theDefaultRunDateIsTheLatestRunInTheWarehouse() {
    for (Notebook nb : notebooks) {
      Map<Notebook.Statement, List<Row>> results = results(nb.name);
      List<Map.Entry<Notebook.Statement, List<Row>>> latest = results.entrySet().stream()
          .filter(e -> e.getKey().cellSource().contains("RUN_DATE = spark.sql(")).toList();
      assertThat(latest).as(nb.name + ": the cell resolving RUN_DATE = None").hasSize(1);
      assertThat(latest.get(0).getValue()).as(nb.name + " latest run date").hasSize(1);
      assertThat(latest.get(0).getValue().get(0).<LocalDate>getAs(0)).as(nb.name + " latest run date").isEqualTo(END);
    }
  }

  /**
   * Every model shares out the same purchase occasions (direct included), so the explorer's check
   * shows equal totals, the side-by-side pivot's columns add up to them, and the ad-hoc comparison
   * holds both runs' Markov shares (each summing to 1).
   */
  @Test
  void attributionExplorerModelsShareOutTheSameConversions() {
    Map<Notebook.Statement, List<Row>> results = results("attribution_explorer.ipynb");
    List<Row> totals = find(results, "count(*) AS channels").getValue();
    assertThat(totals).extracting(r -> r.getString(0))
        .containsExactlyInAnyOrder("markov", "first", "last", "linear", "time_decay", "position", "experience_split");
    double conversions = totals.get(0).getDouble(2);
    double revenue = totals.get(0).getDouble(3);
    assertThat(conversions).as("conversions of the window").isGreaterThan(10);
    for (Row r : totals) {
      assertThat(r.getDouble(2)).as(r.getString(0) + " conversions").isCloseTo(conversions, within(1e-5));
      assertThat(r.getDouble(3)).as(r.getString(0) + " revenue").isCloseTo(revenue, within(0.02));
    }

    List<Row> pivot = find(results, "PIVOT (\n  round(sum(conversions), 2)").getValue();
    for (int column = 1; column <= 6; column++) {
      double sum = 0;
      for (Row r : pivot) {
        sum += r.isNullAt(column) ? 0 : ((Number) r.get(column)).doubleValue();
      }
      assertThat(sum).as("column " + column + " of the side-by-side pivot (channels rounded to 0.01)")
          .isCloseTo(conversions, within(0.005 * pivot.size() + 1e-9));
    }

    List<Row> comparison = find(results, "FULL OUTER JOIN production").getValue();
    double production = 0;
    double adhoc = 0;
    for (Row r : comparison) {
      production += r.isNullAt(1) ? 0 : r.getDouble(1);
      adhoc += r.isNullAt(2) ? 0 : r.getDouble(2);
    }
    assertThat(production).as("production Markov shares (rounded to 1e-4)").isCloseTo(1.0, within(1e-4 * comparison.size()));
    assertThat(adhoc).as("ad-hoc Markov shares (rounded to 1e-4)").isCloseTo(1.0, within(1e-4 * comparison.size()));

    List<Row> chains = find(results, "count(DISTINCT from_state) AS states").getValue();
    assertThat(chains).extracting(r -> r.getString(0) + " order " + r.getInt(1))
        .containsExactly("production order 1", "ad hoc order " + ADHOC_ORDER);
    assertThat(chains.get(1).getLong(3)).as("a second-order chain has more states than the first-order one")
        .isGreaterThan(chains.get(0).getLong(3));
  }

  /**
   * The segment view covers the whole CLV snapshot: its customers add up to the rows of
   * restricted.customer_value for the run date, and so do the deciles of section 5.
   */
  @Test
  void customerValueSegmentsAndDecilesCoverTheSnapshot() {
    Map<Notebook.Statement, List<Row>> results = results("customer_value_and_segments.ipynb");
    long snapshot = session().sql("SELECT count(*) FROM restricted.customer_value WHERE run_date = DATE'" + END + "'")
        .first().getLong(0);
    assertThat(snapshot).as("customers of the CLV snapshot").isGreaterThan(50);
    long segments = 0;
    for (Row r : find(results, "ORDER BY CASE lifecycle_segment").getValue()) {
      segments += r.getLong(1);
    }
    assertThat(segments).as("customers over the lifecycle segments").isEqualTo(snapshot);
    List<Row> deciles = find(results, "ntile(10)").getValue();
    assertThat(deciles).extracting(r -> r.getInt(0)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    long inDeciles = 0;
    double share = 0;
    for (Row r : deciles) {
      inDeciles += r.getLong(1);
      share += r.getDouble(5);
    }
    assertThat(inDeciles).as("customers over the deciles").isEqualTo(snapshot);
    assertThat(share).as("CLV shares of the deciles (rounded to 1e-4)").isCloseTo(1.0, within(1e-3));
    assertThat(deciles.get(0).getDouble(4)).as("mean CLV of decile 1 ≥ decile 10")
        .isGreaterThanOrEqualTo(deciles.get(9).getDouble(4));
  }

  /** The revenue by sales channel adds up to the headline revenue of the same period. */
  @Test
  void roiNotebookRevenueBySalesChannelReconcilesWithTheHeadline() {
    Map<Notebook.Statement, List<Row>> results = results("channel_roi_and_kpis.ipynb");
    double headline = find(results, "JOIN gold.kpi_catalog c").getValue().stream()
        .filter(r -> r.getString(1).equals("revenue")).findFirst().orElseThrow().getDouble(6);
    double byChannel = 0;
    for (Row r : find(results, "'revenue' AS revenue_cny").getValue()) {
      byChannel += r.isNullAt(1) ? 0 : r.getDouble(1);
    }
    assertThat(headline).as("the month's net revenue").isGreaterThan(0);
    assertThat(byChannel).as("revenue over the sales channels (each rounded to 0.01)").isCloseTo(headline, within(0.1));
  }
}
