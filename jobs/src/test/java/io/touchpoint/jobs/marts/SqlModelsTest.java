package io.touchpoint.jobs.marts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.errors.Errors;
import io.touchpoint.errors.TouchpointException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Loading, header checks and ordering of the SQL models (no Spark). */
class SqlModelsTest {
  static final List<SqlModel> MODELS = SqlModels.load();

  static int position(List<SqlModel> ordered, String name) {
    for (int i = 0; i < ordered.size(); i++) {
      if (ordered.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new AssertionError(name + " not in " + ordered);
  }

  @Test
  void everyGoldTableOfTheIssueHasAModelOnTheClasspath() {
    assertThat(MODELS.stream().filter(m -> !m.isView()).map(SqlModel::name)).containsExactlyInAnyOrder("gold.kpi",
        "gold.kpi_catalog", "gold.repurchase_matrix", "gold.channel_overlap", "gold.channel_roi",
        "gold.channel_value_matrix", "gold.customer_segments", "gold.clv_distribution");
    assertThat(MODELS).allSatisfy(m -> assertThat(m.header()).as(m.resource())
        .containsKeys("grain", "sources", "owner", "params"));
  }

  @Test
  void theOrderFollowsTheTableReferencesInTheSql() {
    List<SqlModel> ordered = SqlModels.order(MODELS, MartsJob.sources());
    assertThat(ordered).hasSameSizeAs(MODELS);
    for (SqlModel m : ordered) {
      for (String ref : m.references()) {
        if (MODELS.stream().anyMatch(x -> x.name().equals(ref))) {
          assertThat(position(ordered, ref)).as(m.name() + " reads " + ref).isLessThan(position(ordered, m.name()));
        }
      }
    }
    // gold.kpi reads three other marts; the channel value matrix reads the ROI and overlap marts.
    assertThat(MODELS.stream().filter(m -> m.name().equals("gold.kpi")).findFirst().orElseThrow().references())
        .contains("gold.channel_roi", "gold.repurchase_matrix", "gold.channel_overlap", "stg_periods");
    assertThat(position(ordered, "gold.channel_roi")).isLessThan(position(ordered, "gold.channel_value_matrix"));
  }

  @Test
  void eachHeaderListsExactlyTheTablesItsSqlReads() {
    for (SqlModel m : MODELS) {
      String declared = m.header().get("sources");
      Set<String> listed = new TreeSet<>();
      if (!declared.startsWith("none")) {
        Arrays.stream(declared.split(",")).map(String::strip).forEach(listed::add);
      }
      assertThat(listed).as(m.resource() + " header sources").isEqualTo(m.references());
    }
  }

  @Test
  void referencesIgnoreCommentsStringsAndColumnsOfAliases() {
    String sql = "-- reads gold.not_this\nSELECT o.silver_x, 'gold.nor_this' AS s /* silver.nope */\n"
        + "FROM silver.orders AS o JOIN stg_periods p ON o.d = p.d JOIN gold.channel_roi r ON TRUE";
    assertThat(SqlModels.references(sql)).containsExactlyInAnyOrder("silver.orders", "stg_periods", "gold.channel_roi");
  }

  static SqlModel table(String name, String body) {
    return SqlModels.parse("sql/gold/" + name + ".sql", "-- table: gold." + name + "\n-- grain: x\n-- sources: x\n"
        + "-- owner: x\n-- params: none\n-- write: periods\n" + body);
  }

  @Test
  void anUnknownReferenceIsAConfigurationErrorNamingTheModelAndTheTable() {
    List<SqlModel> models = new ArrayList<>(List.of(table("a", "SELECT * FROM gold.nowhere")));
    assertThatThrownBy(() -> SqlModels.order(models, MartsJob.sources()))
        .isInstanceOf(TouchpointException.class)
        .hasMessageContaining("sql/gold/a.sql").hasMessageContaining("gold.nowhere")
        .hasMessageContaining("neither a model in sql/ nor a table an earlier stage writes")
        .satisfies(e -> assertThat(((TouchpointException) e).exitCode()).isEqualTo(Errors.EXIT_CONFIG));
  }

  @Test
  void aCycleIsAnErrorThatShowsIt() {
    List<SqlModel> models = List.of(table("a", "SELECT * FROM gold.b"), table("b", "SELECT * FROM gold.c"),
        table("c", "SELECT * FROM gold.a JOIN silver.orders"));
    assertThatThrownBy(() -> SqlModels.order(models, MartsJob.sources()))
        .isInstanceOf(TouchpointException.class)
        .hasMessageContaining("cycle: gold.a → gold.b → gold.c → gold.a");
  }

  @Test
  void aHeaderThatDoesNotNameItsFileOrSayHowToWriteIsRejected() {
    assertThatThrownBy(() -> SqlModels.parse("sql/gold/kpi.sql", "-- table: gold.other\nSELECT 1"))
        .hasMessageContaining("'table: gold.other', not 'gold.kpi'");
    assertThatThrownBy(() -> SqlModels.parse("sql/gold/kpi.sql",
        "-- table: gold.kpi\n-- grain: x\n-- sources: x\n-- owner: x\n-- params: none\nSELECT 1"))
        .hasMessageContaining("'-- write: periods'");
    assertThatThrownBy(() -> SqlModels.parse("sql/staging/periods.sql", "-- view: periods\nSELECT 1"))
        .hasMessageContaining("must start with stg_");
  }

  @Test
  void thePeriodScopeOfAWriteCoversTheRecomputedPeriods() {
    MartsJob.Options o = new MartsJob.Options(java.time.LocalDate.of(2026, 3, 31), java.time.LocalDate.of(2026, 3, 31), 90,
        0.3, "markov", 1, MartsJob.PERIOD_TYPES);
    SqlModel roi = MODELS.stream().filter(m -> m.name().equals("gold.channel_roi")).findFirst().orElseThrow();
    // 90 days before 2026-03-31 is 2025-12-31 (a Wednesday of the week from Monday 12-29; Q4 2025).
    assertThat(MartsJob.scope(o, roi, MartsJob.arguments(o))).isEqualTo(
        "((period_type = 'day' AND period_start BETWEEN DATE'2025-12-31' AND DATE'2026-03-31')"
            + " OR (period_type = 'week' AND period_start BETWEEN DATE'2025-12-29' AND DATE'2026-03-30')"
            + " OR (period_type = 'month' AND period_start BETWEEN DATE'2025-12-01' AND DATE'2026-03-01')"
            + " OR (period_type = 'quarter' AND period_start BETWEEN DATE'2025-10-01' AND DATE'2026-01-01'))"
            + " AND markov_order = 1");
  }
}
