package io.touchpoint.jobs.report;

import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.spark.Warehouse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code touchpoint report}: one static HTML file over the gold tables of a run date, for people who
 * would rather look than read. Sections: KPI tiles with the change against the previous period, ROI
 * and ROAS per marketing channel, attribution by model side by side (Markov with its bootstrap
 * interval), the channel overlap heat map, the repurchase from → to matrix, CLV by segment and
 * acquisition channel, and the alerts that fired.
 *
 * <p>The charts are Chart.js 4.4.1 (the WebJar on the classpath), inlined with the page script, so
 * the file opens offline. Tables and tiles are rendered here with every value HTML-escaped; the
 * charts read their numbers and labels from a JSON data block ({@link Html#json}) and draw them on
 * canvas. A Content-Security-Policy admits only the page's own three scripts (by hash) and no
 * network at all. A script that fails shows a red banner at the top of the page.
 */
public final class ReportJob {
  static final String CHART_JS = "META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js";
  static final String RESOURCES = "io/touchpoint/report/";
  /** Section ids, in page order: the test checks each is shown. */
  public static final List<String> SECTIONS = List.of("kpis", "roi", "attribution", "overlap", "repurchase", "clv",
      "alerts");
  public static final Set<String> PERIOD_TYPES = Set.of("day", "week", "month", "quarter");

  public record Options(LocalDate runDate, String periodType, String attributionModel, int markovOrder) {
    public Options {
      if (!PERIOD_TYPES.contains(periodType)) {
        throw Errors.usage("write the report", "--period " + periodType + " is not a period type",
            "Use one of day, week, month, quarter");
      }
      if (markovOrder < 1) {
        throw Errors.usage("write the report", "--markov-order " + markovOrder + " is below 1", "Use 1 (default) or more");
      }
    }
  }

  /** The file written, and how many charts and fired alerts it holds. */
  public record Result(Path file, int charts, int alerts, int kpis) {}

  private final Warehouse warehouse;

  public ReportJob(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  public Result write(Options o, Path outDir) {
    if (!warehouse.exists("gold", "kpi")) {
      throw Errors.missingTable("write the report for " + o.runDate(), "gold.kpi (" + warehouse.path("gold", "kpi") + ")",
          "Run the marts first: touchpoint marts --run-date " + o.runDate() + " (or nightly / backfill / demo)");
    }
    ReportData data = ReportData.read(warehouse, o.runDate(), o.periodType(), o.attributionModel(), o.markovOrder());
    if (data.kpis().isEmpty()) {
      throw Errors.input("write the report for " + o.runDate(),
          "gold.kpi has no row for the " + o.periodType() + " starting " + data.periodStart(),
          "Run the marts for that date (touchpoint marts --run-date " + o.runDate() + "), or pick a run date they covered");
    }
    Rendered page = render(data);
    Path file = outDir.resolve("touchpoint-report-" + o.runDate() + ".html");
    try {
      Files.createDirectories(outDir);
      Files.writeString(file, page.html(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw Errors.input("write the report", "cannot write " + file + ": " + e.getMessage(),
          "Check that --out names a writable folder", e);
    }
    return new Result(file, page.charts(), data.alerts().size(), data.kpis().size());
  }

  record Rendered(String html, int charts) {}

  static Rendered render(ReportData d) {
    Map<String, Object> json = chartData(d);
    int charts = (int) json.get("chartCount");
    String errors = resource("errors.js");
    String chartJs = resource(CHART_JS).replaceAll("//# sourceMappingURL=\\S*\\s*$", "");
    String page = resource("report.js");
    String csp = "default-src 'none'; script-src " + Html.scriptHash(errors) + " " + Html.scriptHash(chartJs) + " "
        + Html.scriptHash(page) + "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
    StringBuilder h = new StringBuilder(chartJs.length() + 64_000);
    String title = "Touchpoint evaluation report " + d.runDate();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(Html.text(csp)).append("\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(Html.text(title)).append("</title>\n")
        .append("<style>").append(resource("report.css")).append("</style>\n")
        .append("<script>").append(errors).append("</script>\n")
        .append("</head>\n<body data-status=\"loading\">\n")
        .append("<div id=\"report-errors\" class=\"errors\" hidden></div>\n<header>\n<h1>")
        .append(Html.text(title)).append("</h1>\n<p class=\"sub\">")
        .append(Html.text(periodName(d.periodType(), d.periodStart(), d.periodEnd()))).append(" compared with ")
        .append(Html.text(periodName(d.periodType(), d.previousStart(), d.previousEnd())))
        .append(". Attribution model for ROI: ").append(Html.text(d.attributionModel())).append(", order ")
        .append(d.markovOrder()).append(". Source: the gold tables (aggregates only).</p>\n</header>\n<main>\n");
    kpis(h, d);
    roi(h, d);
    attribution(h, d);
    overlap(h, d);
    repurchase(h, d);
    clv(h, d);
    alerts(h, d);
    h.append("</main>\n<footer>Touchpoint · generated from ").append(Html.text(d.periodType()))
        .append(" marts · charts: Chart.js 4.4.1 (MIT), embedded · definitions: METRICS.md, docs/TABLES.md</footer>\n")
        .append("<script type=\"application/json\" id=\"report-data\">").append(Html.json(json)).append("</script>\n")
        .append("<script>").append(chartJs).append("</script>\n")
        .append("<script>").append(page).append("</script>\n</body>\n</html>\n");
    return new Rendered(h.toString(), charts);
  }

  // ---- sections -------------------------------------------------------------------------------

  private static void open(StringBuilder h, String id, String title, String lead) {
    h.append("<section id=\"").append(id).append("\" data-section=\"").append(id).append("\">\n<h2>")
        .append(Html.text(title)).append("</h2>\n<p class=\"lead\">").append(Html.text(lead)).append("</p>\n");
  }

  private static void canvas(StringBuilder h, String id, String label, int height) {
    h.append("<div class=\"chart\" style=\"height:").append(height).append("px\"><canvas id=\"").append(id)
        .append("\" role=\"img\" aria-label=\"").append(Html.text(label)).append("\"></canvas></div>\n");
  }

  private static void empty(StringBuilder h, String what) {
    h.append("<p class=\"empty\">").append(Html.text(what)).append("</p>\n");
  }

  private static void kpis(StringBuilder h, ReportData d) {
    open(h, "kpis", "Key figures", "All channels, " + periodName(d.periodType(), d.periodStart(), d.periodEnd())
        + "; the change is against the whole previous " + d.periodType() + " (a running period is to date).");
    h.append("<div class=\"tiles\">\n");
    for (ReportData.Kpi k : d.kpis()) {
      h.append("<div class=\"tile\" data-kpi=\"").append(Html.text(k.kpi())).append("\"><div class=\"label\">")
          .append(Html.text(k.label())).append("</div><div class=\"value\">").append(Html.text(format(k.value(), k.unit())))
          .append("</div>");
      String change = change(k);
      boolean lowerIsBetter = k.kpi().equals("cac") || k.kpi().equals("marketing_expense_ratio");
      double delta = k.previous() == null || k.value() == null ? 0 : k.value() - k.previous();
      String cls = delta == 0 ? "flat" : (delta > 0) != lowerIsBetter ? "up" : "down";
      h.append("<div class=\"change ").append(change == null ? "flat" : cls).append("\">")
          .append(Html.text(change == null ? "no previous value" : change)).append("</div>");
      h.append("<div class=\"prev\">").append(Html.text(k.previous() == null ? "" : "before: " + format(k.previous(), k.unit())))
          .append("</div></div>\n");
    }
    h.append("</div>\n</section>\n");
  }

  private static void roi(StringBuilder h, ReportData d) {
    open(h, "roi", "ROI and ROAS per marketing channel",
        "gold.channel_roi, " + d.attributionModel() + " attribution (order " + d.markovOrder() + "). ROAS = attributed "
            + "revenue ÷ spend; ROI = (attributed revenue × margin − spend) ÷ spend. Channels without spend have neither. "
            + "The chart shows ROAS on a log scale; the dashed line is break-even (ROAS = 1 ÷ margin, ROI 0): bars above "
            + "it earn more than they cost.");
    if (d.roi().stream().noneMatch(r -> r.roas() != null)) {
      empty(h, "No channel with spend in gold.channel_roi for this period.");
    } else {
      canvas(h, "chart-roi", "ROI and ROAS per marketing channel", 320);
    }
    if (!d.roi().isEmpty()) {
      table(h, List.of("channel", "spend", "conversions", "attributed revenue", "ROAS", "ROI", "new customers", "CAC",
          "LTV:CAC"), d.roi().stream().map(r -> List.of(r.channel(), format(r.spend(), "CNY"),
          format(r.conversions(), "count1"), format(r.revenue(), "CNY"), format(r.roas(), "ratio"),
          format(r.roi(), "ratio"), format(r.newCustomers(), "count1"), format(r.cac(), "CNY"),
          format(r.ltvToCac(), "ratio"))).toList());
    }
    h.append("</section>\n");
  }

  private static void attribution(StringBuilder h, ReportData d) {
    ReportData.Attribution a = d.attribution();
    open(h, "attribution", "Attribution by model",
        a == null ? "gold.attribution_by_channel" : "gold.attribution_by_channel, attribution run " + a.runDate()
            + " (conversions dated " + a.start() + " .. " + a.end() + ", order " + d.markovOrder() + "): purchase occasions"
            + " credited to each channel. The whiskers on the Markov bars are its "
            + (a.level() == null ? "" : Math.round(a.level() * 100) + " % ") + "bootstrap interval.");
    if (a == null || a.channels().isEmpty()) {
      empty(h, "No attribution run on or before " + d.runDate() + " in gold.attribution_by_channel.");
    } else {
      canvas(h, "chart-attribution", "Attributed conversions per channel and model", 360);
      List<String> head = new ArrayList<>(List.of("channel"));
      a.models().forEach(m -> head.add(m.equals("markov") ? "markov (interval)" : m));
      List<List<String>> rows = new ArrayList<>();
      for (int i = 0; i < a.channels().size(); i++) {
        List<String> row = new ArrayList<>(List.of(a.channels().get(i)));
        for (String m : a.models()) {
          String v = format(a.conversions().get(m).get(i), "count1");
          if (m.equals("markov") && a.ciLow().get(i) != null) {
            v += " (" + format(a.ciLow().get(i), "count1") + " – " + format(a.ciHigh().get(i), "count1") + ")";
          }
          row.add(v);
        }
        rows.add(row);
      }
      table(h, head, rows);
    }
    h.append("</section>\n");
  }

  private static void overlap(StringBuilder h, ReportData d) {
    String group = d.groupOverlap().stream().map(r -> r.getString(0) + " × " + r.getString(1) + ": Jaccard "
        + format(r.isNullAt(2) ? null : r.getDouble(2), "share") + " (" + r.getLong(3) + " of " + r.getLong(4)
        + " purchasers bought in both)").collect(Collectors.joining("; "));
    open(h, "overlap", "Channel overlap", "gold.channel_overlap: purchasers of both channels ÷ purchasers of either "
        + "(Jaccard), per pair of sales channels." + (group.isEmpty() ? "" : " " + group + "."));
    if (d.overlap().cells().isEmpty()) {
      empty(h, "No purchasers in gold.channel_overlap for this period.");
    } else {
      canvas(h, "chart-overlap", "Channel overlap heat map (Jaccard)", heatHeight(d.overlap()));
    }
    h.append("</section>\n");
  }

  private static void repurchase(StringBuilder h, ReportData d) {
    String group = d.groupRepurchase().stream().map(r -> r.getString(0) + " → " + r.getString(1) + " "
        + format(r.isNullAt(2) ? null : r.getDouble(2), "share") + " (" + r.getLong(3) + ")")
        .collect(Collectors.joining(", "));
    open(h, "repurchase", "Repurchase from → to", "gold.repurchase_matrix: where the repeat purchase occasions of the "
        + "period went, by the sales channel of the customer's previous occasion (row) and of the repeat (column); "
        + "each cell is the share of its row, with the count." + (group.isEmpty() ? "" : " Online ↔ offline: " + group + "."));
    if (d.repurchase().cells().isEmpty()) {
      empty(h, "No repeat purchase occasion in gold.repurchase_matrix for this period.");
    } else {
      canvas(h, "chart-repurchase", "Repurchase from-to matrix (share of the from channel's repeats)",
          heatHeight(d.repurchase()));
    }
    h.append("</section>\n");
  }

  private static void clv(StringBuilder h, ReportData d) {
    double total = d.segments().stream().mapToDouble(s -> s.totalClv() == null ? 0 : s.totalClv()).sum();
    double high = d.segments().stream().filter(ReportData.Segment::highValue)
        .mapToDouble(s -> s.totalClv() == null ? 0 : s.totalClv()).sum();
    long customers = d.segments().stream().mapToLong(ReportData.Segment::customers).sum();
    long highCustomers = d.segments().stream().filter(ReportData.Segment::highValue)
        .mapToLong(ReportData.Segment::customers).sum();
    String lead = "gold.clv_distribution, gold.customer_segments (CLV snapshot "
        + (d.clvRunDate() == null ? "none" : d.clvRunDate()) + ") and gold.ltv_by_acquisition_channel: how customers "
        + "and their 12-month CLV spread over CLV buckets, lifecycle segments and value tiers.";
    if (customers > 0 && total > 0) {
      lead += String.format(Locale.ROOT, " The high-value tier is %s of the customers and holds %s of the CLV.",
          format((double) highCustomers / customers, "share"), format(high / total, "share"));
    }
    open(h, "clv", "Customer value: CLV distribution and segments", lead);
    if (d.segments().isEmpty()) {
      empty(h, "No CLV snapshot in gold.customer_segments for this period (the CLV stage has not run yet).");
    } else {
      if (!d.clvDistribution().isEmpty()) {
        canvas(h, "chart-clv-distribution", "Customers per 12-month CLV bucket (CNY), by value tier", 280);
      }
      h.append("<div class=\"pair\">\n");
      canvas(h, "chart-segments-customers", "Customers per lifecycle segment and value tier", 300);
      canvas(h, "chart-segments-clv", "12-month CLV per lifecycle segment and value tier", 300);
      h.append("</div>\n");
      table(h, List.of("segment", "high value", "at risk", "customers", "purchasing", "revenue", "total CLV",
          "mean CLV", "mean P(alive)"), d.segments().stream().map(s -> List.of(s.segment(), s.highValue() ? "yes" : "no",
          s.atRisk() ? "yes" : "no", format((double) s.customers(), "count"), format((double) s.purchasing(), "count"),
          format(s.revenue(), "CNY"), format(s.totalClv(), "CNY"), format(s.meanClv(), "CNY"),
          format(s.meanPAlive(), "share"))).toList());
    }
    if (!d.ltvByChannel().isEmpty()) {
      canvas(h, "chart-ltv", "Mean 12-month CLV per acquisition channel", 280);
    }
    h.append("</section>\n");
  }

  private static void alerts(StringBuilder h, ReportData d) {
    open(h, "alerts", "Alerts", "gold.alerts for " + d.runDate() + ": the rules of conf/alerts.yaml that fired.");
    if (d.alerts().isEmpty()) {
      empty(h, "No alert fired for " + d.runDate() + ".");
    } else {
      h.append("<table class=\"alerts\"><thead><tr>");
      for (String c : List.of("severity", "rule", "KPI", "channel", "period", "value", "before", "message")) {
        h.append("<th>").append(Html.text(c)).append("</th>");
      }
      h.append("</tr></thead><tbody>\n");
      for (ReportData.Alert a : d.alerts()) {
        h.append("<tr class=\"").append("critical".equals(a.severity()) ? "critical" : "warning").append("\">");
        for (String c : List.of(a.severity(), a.rule(), a.kpi(), String.valueOf(a.channel()),
            a.periodType() + " " + a.periodStart(), format(a.value(), "num"), format(a.previous(), "num"),
            String.valueOf(a.message()))) {
          h.append("<td>").append(Html.text(c)).append("</td>");
        }
        h.append("</tr>\n");
      }
      h.append("</tbody></table>\n");
    }
    h.append("</section>\n");
  }

  private static void table(StringBuilder h, List<String> head, List<List<String>> rows) {
    h.append("<table><thead><tr>");
    head.forEach(c -> h.append("<th>").append(Html.text(c)).append("</th>"));
    h.append("</tr></thead><tbody>\n");
    for (List<String> r : rows) {
      h.append("<tr>");
      r.forEach(c -> h.append("<td>").append(Html.text(c)).append("</td>"));
      h.append("</tr>\n");
    }
    h.append("</tbody></table>\n");
  }

  private static int heatHeight(ReportData.Matrix m) {
    return Math.max(260, Math.min(640, 90 + 48 * m.channels().size()));
  }

  // ---- the charts' data -----------------------------------------------------------------------

  /** What report.js draws: one entry per canvas that {@link #render} placed, under the canvas id. */
  static Map<String, Object> chartData(ReportData d) {
    Map<String, Object> charts = new LinkedHashMap<>();
    List<ReportData.Roi> paid = d.roi().stream().filter(r -> r.roas() != null).toList();
    if (!paid.isEmpty()) {
      // ROAS on a log axis with the break-even line (ROAS = 1 / margin, i.e. ROI 0): owned channels with
      // almost no spend reach ROAS in the thousands and, on a linear axis, flattened every paid channel.
      // The margin is read back from any channel with revenue: ROI = ROAS × margin − 1.
      Double breakEven = paid.stream().filter(r -> r.roas() > 0 && r.roi() != null).findFirst()
          .map(r -> r.roas() / (r.roi() + 1)).orElse(null);
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("kind", "roi");
      c.put("channels", paid.stream().map(ReportData.Roi::channel).toList());
      c.put("roas", paid.stream().map(ReportData.Roi::roas).toList());
      c.put("roi", paid.stream().map(ReportData.Roi::roi).toList());
      c.put("breakEvenRoas", breakEven);
      charts.put("chart-roi", c);
    }
    ReportData.Attribution a = d.attribution();
    if (a != null && !a.channels().isEmpty()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", "attribution");
      m.put("channels", a.channels());
      m.put("models", a.models());
      m.put("conversions", a.conversions());
      m.put("ciLow", a.ciLow());
      m.put("ciHigh", a.ciHigh());
      m.put("level", a.level());
      charts.put("chart-attribution", m);
    }
    if (!d.overlap().cells().isEmpty()) {
      charts.put("chart-overlap", heat(d.overlap(), "jaccard", "purchasers in both"));
    }
    if (!d.repurchase().cells().isEmpty()) {
      charts.put("chart-repurchase", heat(d.repurchase(), "share of the row", "repeat occasions"));
    }
    if (!d.segments().isEmpty()) {
      List<String> segments = d.segments().stream().map(ReportData.Segment::segment).distinct().toList();
      List<String> tiers = List.of("high value at risk", "high value", "other");
      Map<String, List<Double>> customers = new LinkedHashMap<>();
      Map<String, List<Double>> clv = new LinkedHashMap<>();
      for (String t : tiers) {
        List<Double> c = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        for (String s : segments) {
          c.add(d.segments().stream().filter(x -> x.segment().equals(s) && tier(x).equals(t))
              .mapToDouble(ReportData.Segment::customers).sum());
          v.add(d.segments().stream().filter(x -> x.segment().equals(s) && tier(x).equals(t))
              .mapToDouble(x -> x.totalClv() == null ? 0 : x.totalClv()).sum());
        }
        customers.put(t, c);
        clv.put(t, v);
      }
      charts.put("chart-segments-customers", Map.of("kind", "stacked", "labels", segments, "series", customers,
          "axis", "customers"));
      charts.put("chart-segments-clv", Map.of("kind", "stacked", "labels", segments, "series", clv,
          "axis", "12-month CLV, CNY"));
    }
    if (!d.segments().isEmpty() && !d.clvDistribution().isEmpty()) {
      Map<String, List<Double>> tiers = new LinkedHashMap<>();
      tiers.put("high value at risk", d.clvDistribution().stream().map(b -> (double) b.highValueAtRisk()).toList());
      tiers.put("high value", d.clvDistribution().stream().map(b -> (double) (b.highValue() - b.highValueAtRisk())).toList());
      tiers.put("other", d.clvDistribution().stream().map(b -> (double) (b.customers() - b.highValue())).toList());
      charts.put("chart-clv-distribution", Map.of("kind", "stacked", "labels",
          d.clvDistribution().stream().map(ReportData.ClvBucket::label).toList(), "series", tiers, "axis", "customers"));
    }
    if (!d.ltvByChannel().isEmpty()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", "ltv");
      m.put("channels", d.ltvByChannel().stream().map(ReportData.Ltv::channel).toList());
      m.put("meanClv", d.ltvByChannel().stream().map(ReportData.Ltv::meanClv).toList());
      m.put("customers", d.ltvByChannel().stream().map(ReportData.Ltv::customers).toList());
      charts.put("chart-ltv", m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("charts", charts);
    out.put("chartCount", charts.size());
    return out;
  }

  private static String tier(ReportData.Segment s) {
    return s.atRisk() ? "high value at risk" : s.highValue() ? "high value" : "other";
  }

  private static Map<String, Object> heat(ReportData.Matrix m, String valueName, String countName) {
    List<Map<String, Object>> cells = new ArrayList<>();
    for (ReportData.Cell c : m.cells()) {
      cells.add(Map.of("x", c.y(), "y", c.x(), "v", c.value(), "n", c.count()));
    }
    return Map.of("kind", "heat", "channels", m.channels(), "cells", cells, "valueName", valueName,
        "countName", countName);
  }

  // ---- formatting -----------------------------------------------------------------------------

  static String periodName(String type, LocalDate start, LocalDate end) {
    return switch (type) {
      case "day" -> "day " + start;
      case "month" -> "month " + start.toString().substring(0, 7) + " (" + start + " .. " + end + ")";
      case "quarter" -> "quarter " + start.getYear() + "-Q" + ((start.getMonthValue() - 1) / 3 + 1) + " (" + start + " .. "
          + end + ")";
      default -> type + " " + start + " .. " + end;
    };
  }

  /** A value in its unit of gold.kpi_catalog: CNY, count, share, ratio (and count1: one decimal). */
  static String format(Double v, String unit) {
    if (v == null || v.isNaN()) {
      return "–";
    }
    return switch (unit) {
      case "CNY" -> String.format(Locale.ROOT, Math.abs(v) >= 100 ? "¥%,.0f" : "¥%,.2f", v);
      case "count" -> String.format(Locale.ROOT, "%,.0f", v);
      case "count1" -> String.format(Locale.ROOT, "%,.1f", v);
      case "share" -> String.format(Locale.ROOT, "%.1f %%", 100 * v);
      case "ratio" -> String.format(Locale.ROOT, "%.2f", v);
      default -> String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.0f" : "%.3g", v);
    };
  }

  /** Shares change in points; everything else relative to the previous value. Null without a previous value. */
  static String change(ReportData.Kpi k) {
    if (k.previous() == null || k.value() == null) {
      return null;
    }
    double delta = k.value() - k.previous();
    if (k.unit().equals("share")) {
      return String.format(Locale.ROOT, "%+.1f pts", 100 * delta);
    }
    if (k.previous() == 0) {
      return delta == 0 ? "±0" : "new (was 0)";
    }
    return String.format(Locale.ROOT, "%+.1f %%", 100 * delta / Math.abs(k.previous()));
  }

  static String resource(String name) {
    String path = name.startsWith("META-INF/") ? name : RESOURCES + name;
    try (InputStream in = ReportJob.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("the report resource " + path + " is not on the classpath (a broken build:"
            + " rebuild with mvn package)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
