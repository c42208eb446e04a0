package io.touchpoint.jobs.marts;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Spark SQL model of {@code sql/}: a gold table ({@code sql/gold/<table>.sql}) or a session
 * view the tables build on ({@code sql/staging/stg_<name>.sql}, like a dbt ephemeral model).
 *
 * @param name {@code gold.<table>} or {@code stg_<name>}
 * @param resource where it was read from, for messages ({@code sql/gold/kpi.sql})
 * @param header the leading {@code -- key: value} comment lines (table/view, grain, sources, owner, params, write)
 * @param sql the whole file (Spark ignores the comments)
 * @param references the tables and views the SQL reads, found in its text (comments and string literals left out)
 * @param scope for a table written per period: extra columns scoped to the run's parameter of the same name
 */
public record SqlModel(String name, String resource, Map<String, String> header, String sql, Set<String> references,
    Write write, List<String> scope) {

  /** How a table is written. */
  public enum Write {
    /** A session view, not written. */
    VIEW,
    /** replaceWhere on the periods the run recomputes (plus {@link #scope()} columns). */
    PERIODS,
    /** The whole table replaced (small tables that do not depend on the run date). */
    OVERWRITE
  }

  public boolean isView() {
    return write == Write.VIEW;
  }

  /** The table name within its schema: {@code kpi} for {@code gold.kpi}. */
  public String table() {
    return name.substring(name.indexOf('.') + 1);
  }

  public String schema() {
    return name.substring(0, name.indexOf('.'));
  }
}
