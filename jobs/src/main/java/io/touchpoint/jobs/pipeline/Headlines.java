package io.touchpoint.jobs.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.touchpoint.jobs.alerts.AlertsJob;
import io.touchpoint.jobs.marts.MartsJob;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * The headline KPIs of a run, read back from the marts for the longest period holding the run
 * date (quarter to date when computed): repurchase rate, cross-channel purchaser share,
 * online/offline overlap, ROI per marketing channel and the top channels by Markov credit.
 *
 * @param periodType the period the figures are for
 * @param kpis headline KPI → value (all channels)
 * @param roi marketing channel → ROI (Markov, order 1), by spend, largest first
 * @param markovCredit marketing channel → attributed conversions (Markov, order 1), largest first
 */
public record Headlines(String periodType, LocalDate periodStart, LocalDate periodEnd, Map<String, Double> kpis,
    Map<String, Double> roi, Map<String, Double> markovCredit) {
  static final List<String> KPIS = List.of("revenue", "customers", "repurchase_rate", "cross_channel_purchaser_share",
      "cross_channel_repurchase_rate", "online_offline_overlap", "identification_rate", "roi");
  static final int TOP = 5;

  public static Headlines of(Warehouse warehouse, LocalDate runDate) {
    if (!warehouse.exists("gold", "kpi")) {
      return null;
    }
    for (String type : List.of("quarter", "month", "week", "day")) {
      LocalDate start = MartsJob.periodStart(type, runDate);
      List<Row> rows = warehouse.read("gold", "kpi")
          .where(col("period_type").equalTo(type).and(col("period_start").equalTo(lit(start))).and(col("channel").equalTo("all")))
          .select("kpi", "value", "period_end").collectAsList();
      if (rows.isEmpty()) {
        continue;
      }
      Map<String, Double> kpis = new LinkedHashMap<>();
      for (String k : KPIS) {
        rows.stream().filter(r -> r.getString(0).equals(k)).findFirst().ifPresent(r -> kpis.put(k, r.getDouble(1)));
      }
      Map<String, Double> roi = new LinkedHashMap<>();
      Map<String, Double> credit = new LinkedHashMap<>();
      if (warehouse.exists("gold", "channel_roi")) {
        var marketing = warehouse.read("gold", "channel_roi").where(col("period_type").equalTo(type)
            .and(col("period_start").equalTo(lit(start))).and(col("attribution_model").equalTo("markov"))
            .and(col("markov_order").equalTo(1)));
        for (Row r : marketing.where("roi IS NOT NULL").orderBy(col("spend_cny").desc(), col("channel"))
            .select("channel", "roi").collectAsList()) {
          roi.put(r.getString(0), r.getDouble(1));
        }
        for (Row r : marketing.where("channel <> 'direct' AND attributed_conversions > 0")
            .orderBy(col("attributed_conversions").desc(), col("channel")).limit(TOP)
            .select("channel", "attributed_conversions").collectAsList()) {
          credit.put(r.getString(0), r.getDouble(1));
        }
      }
      return new Headlines(type, start, (LocalDate) rows.get(0).get(2), kpis, roi, credit);
    }
    return null;
  }

  public void print(PrintWriter out) {
    out.printf("  headline KPIs (%s %s..%s, gold.kpi):%n", periodType, periodStart, periodEnd);
    kpis.forEach((k, v) -> out.printf("    %-32s %s%n", k, k.equals("revenue") ? String.format("%,.0f CNY", v)
        : k.equals("customers") ? String.format("%,.0f", v) : k.equals("roi") ? String.format("%.2f", v)
        : String.format("%.1f%%", 100 * v)));
    List<String> r = new ArrayList<>();
    roi.forEach((c, v) -> r.add(String.format("%s %.2f", c, v)));
    out.printf("    %-32s %s%n", "ROI per channel (markov)", r.isEmpty() ? "n/a" : String.join(", ", r));
    double total = markovCredit.values().stream().mapToDouble(Double::doubleValue).sum();
    List<String> m = new ArrayList<>();
    markovCredit.forEach((c, v) -> m.add(String.format("%s %.0f", c, v)));
    out.printf("    %-32s %s%n", "top channels by Markov credit", total == 0 ? "n/a" : String.join(", ", m));
  }

  /** One line per fired alert (or "none"). */
  public static void printAlerts(PrintWriter out, AlertsJob.Result alerts) {
    out.printf("  alerts for %s (%d rules, gold.alerts):%s%n", alerts.runDate(), alerts.rules(),
        alerts.alerts().isEmpty() ? " none fired" : "");
    for (AlertsJob.Alert a : alerts.alerts()) {
      out.printf("    %-8s %-28s %s%n", a.severity().label(), a.rule(), a.message());
    }
  }
}
