package io.touchpoint.jobs.alerts;

import static org.apache.spark.sql.functions.col;

import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.marts.MartsJob;
import io.touchpoint.jobs.spark.TableWriter;
import io.touchpoint.jobs.spark.Warehouse;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts stage: evaluates the rules against {@code gold.kpi} for the periods holding the run
 * date (to date) and writes one row per rule × channel that fired to {@code gold.alerts}
 * ({@code replaceWhere} on run_date, so a rerun leaves the same rows). Only the few KPI rows of
 * the current and previous periods reach the driver; the rules are judged in plain Java.
 */
public final class AlertsJob {
  private static final Logger LOG = LoggerFactory.getLogger(AlertsJob.class);
  public static final String TABLE = "alerts";

  static final StructType SCHEMA = new StructType()
      .add("run_date", DataTypes.DateType, false)
      .add("rule", DataTypes.StringType, false)
      .add("severity", DataTypes.StringType, false)
      .add("kpi", DataTypes.StringType, false)
      .add("channel", DataTypes.StringType, false)
      .add("period_type", DataTypes.StringType, false)
      .add("period_start", DataTypes.DateType, false)
      .add("period_end", DataTypes.DateType, false)
      .add("condition", DataTypes.StringType, false)
      .add("threshold", DataTypes.DoubleType, false)
      .add("value", DataTypes.DoubleType, false)
      .add("previous_period_start", DataTypes.DateType, true)
      .add("previous_value", DataTypes.DoubleType, true)
      .add("change", DataTypes.DoubleType, true)
      .add("message", DataTypes.StringType, false);

  /** One fired alert. */
  public record Alert(String rule, AlertRule.Severity severity, String kpi, String channel, String periodType,
      LocalDate periodStart, LocalDate periodEnd, AlertRule.Condition condition, double threshold, double value,
      LocalDate previousPeriodStart, Double previousValue, Double change, String message) {}

  /** What a run found: the rules evaluated and the alerts that fired. */
  public record Result(LocalDate runDate, int rules, List<Alert> alerts) {
    public List<String> criticalRules() {
      return alerts.stream().filter(a -> a.severity() == AlertRule.Severity.CRITICAL).map(Alert::rule).distinct().toList();
    }
  }

  /** A KPI row: value with its denominator (null for amounts). */
  record KpiValue(String kpi, String channel, String periodType, LocalDate periodStart, LocalDate periodEnd, double value,
      Double denominator) {}

  private final Warehouse warehouse;
  private final TableWriter writer;

  public AlertsJob(Warehouse warehouse, String runId) {
    this.warehouse = warehouse;
    this.writer = new TableWriter(warehouse, runId, "alerts");
  }

  public Result run(LocalDate runDate, List<AlertRule> rules) {
    warehouse.spark().sparkContext().setJobGroup("alerts", "alerts " + runDate, false);
    for (String t : List.of("kpi", "kpi_catalog")) {
      if (!warehouse.exists("gold", t)) {
        throw Errors.missingTable("evaluate the alerts for " + runDate, "gold." + t,
            "Run the marts first (touchpoint marts --run-date " + runDate + ")");
      }
    }
    Set<String> known = new HashSet<>();
    warehouse.read("gold", "kpi_catalog").select("kpi").collectAsList().forEach(r -> known.add(r.getString(0)));
    for (AlertRule r : rules) {
      if (!known.contains(r.kpi())) {
        throw Errors.badAlertRule("the rules file", r.name(), "kpi", "'" + r.kpi() + "' is not a kpi of gold.kpi_catalog",
            "Use one of " + new java.util.TreeSet<>(known));
      }
    }
    Set<String> periods = new LinkedHashSet<>();
    Set<String> kpis = new LinkedHashSet<>();
    for (AlertRule r : rules) {
      LocalDate start = MartsJob.periodStart(r.period(), runDate);
      periods.add("(period_type = '" + r.period() + "' AND period_start IN (DATE'" + start + "', DATE'"
          + previousStart(r.period(), start) + "'))");
      kpis.add("'" + r.kpi() + "'");
    }
    List<KpiValue> values = new ArrayList<>();
    if (!rules.isEmpty()) {
      for (Row r : warehouse.read("gold", "kpi").where("kpi IN (" + String.join(",", kpis) + ") AND ("
          + String.join(" OR ", periods) + ")").select("kpi", "channel", "period_type", "period_start", "period_end",
          "value", "denominator").collectAsList()) {
        values.add(new KpiValue(r.getString(0), r.getString(1), r.getString(2), (LocalDate) r.get(3), (LocalDate) r.get(4),
            r.getDouble(5), r.isNullAt(6) ? null : r.getDouble(6)));
      }
    }
    List<Alert> alerts = evaluate(runDate, rules, values);
    List<Row> rows = new ArrayList<>();
    for (Alert a : alerts) {
      rows.add(RowFactory.create(runDate, a.rule(), a.severity().label(), a.kpi(), a.channel(), a.periodType(),
          a.periodStart(), a.periodEnd(), a.condition().label(), a.threshold(), a.value(), a.previousPeriodStart(),
          a.previousValue(), a.change(), a.message()));
    }
    writer.replaceWhere(warehouse.spark().createDataFrame(rows, SCHEMA).coalesce(1), "gold", TABLE,
        "run_date = DATE'" + runDate + "'", List.of());
    warehouse.register();
    for (Alert a : alerts) {
      (a.severity() == AlertRule.Severity.CRITICAL ? LOG.atError() : LOG.atWarn()).log("alert {} ({}): {}", a.rule(),
          a.severity().label(), a.message());
    }
    return new Result(runDate, rules.size(), alerts);
  }

  /** Judges every rule on the KPI values of the run date's periods and the periods before them. */
  static List<Alert> evaluate(LocalDate runDate, List<AlertRule> rules, List<KpiValue> values) {
    Map<String, KpiValue> byKey = new HashMap<>();
    for (KpiValue v : values) {
      byKey.put(v.kpi() + "|" + v.channel() + "|" + v.periodType() + "|" + v.periodStart(), v);
    }
    List<Alert> out = new ArrayList<>();
    for (AlertRule rule : rules) {
      LocalDate start = MartsJob.periodStart(rule.period(), runDate);
      LocalDate previousStart = previousStart(rule.period(), start);
      List<KpiValue> current = values.stream()
          .filter(v -> v.kpi().equals(rule.kpi()) && v.periodType().equals(rule.period()) && v.periodStart().equals(start)
              && rule.channels().includes(v.channel()))
          .sorted(Comparator.comparing(KpiValue::channel)).toList();
      for (KpiValue v : current) {
        KpiValue previous = byKey.get(rule.kpi() + "|" + v.channel() + "|" + rule.period() + "|" + previousStart);
        if (tooSmall(rule, v) || (rule.condition().isChange() && (previous == null || tooSmall(rule, previous)))) {
          continue;
        }
        Double prev = previous == null ? null : previous.value();
        if (rule.fires(v.value(), prev)) {
          Double change = rule.change(v.value(), prev);
          out.add(new Alert(rule.name(), rule.severity(), rule.kpi(), v.channel(), rule.period(), start, v.periodEnd(),
              rule.condition(), rule.threshold(), v.value(), rule.condition().isChange() ? previousStart : null,
              rule.condition().isChange() ? prev : null, change, message(rule, v, prev, change)));
        }
      }
    }
    return out;
  }

  private static boolean tooSmall(AlertRule rule, KpiValue v) {
    return rule.minDenominator() > 0 && (v.denominator() == null || v.denominator() < rule.minDenominator());
  }

  static LocalDate previousStart(String periodType, LocalDate start) {
    return switch (periodType) {
      case "day" -> start.minusDays(1);
      case "week" -> start.minusWeeks(1);
      case "month" -> start.minusMonths(1);
      case "quarter" -> start.minusMonths(3);
      default -> throw new IllegalArgumentException(periodType);
    };
  }

  private static String message(AlertRule rule, KpiValue v, Double previous, Double change) {
    String what = rule.kpi() + (v.channel().equals("all") ? "" : " of " + v.channel()) + " for the " + rule.period()
        + " from " + v.periodStart() + " (to " + v.periodEnd() + ")";
    String text = switch (rule.condition()) {
      case BELOW -> String.format(Locale.ROOT, "%s is %.4g, below %.4g", what, v.value(), rule.threshold());
      case ABOVE -> String.format(Locale.ROOT, "%s is %.4g, above %.4g", what, v.value(), rule.threshold());
      case DROP, RISE -> String.format(Locale.ROOT, "%s is %.4g, %s %.4g from %.4g the %s before (threshold %.4g)", what,
          v.value(), change < 0 ? "down" : "up", Math.abs(change), previous, rule.period(), rule.threshold());
      case DROP_RELATIVE, RISE_RELATIVE -> String.format(Locale.ROOT,
          "%s is %.4g, %s %.1f%% from %.4g the %s before (threshold %.1f%%)", what, v.value(), change < 0 ? "down" : "up",
          100 * Math.abs(change), previous, rule.period(), 100 * rule.threshold());
    };
    return rule.description().isBlank() ? text : text + " — " + rule.description();
  }

  /** The rows of one run date, e.g. for a summary. */
  public static List<Row> ofRunDate(Warehouse warehouse, LocalDate runDate) {
    return warehouse.exists("gold", TABLE)
        ? warehouse.read("gold", TABLE).where(col("run_date").equalTo(Date.valueOf(runDate))).collectAsList()
        : List.of();
  }
}
