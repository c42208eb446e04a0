package io.touchpoint.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.touchpoint.jobs.marts.MartsJob;
import io.touchpoint.jobs.spark.Warehouse;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the report shows, read from the gold tables only (aggregates; never a restricted or silver
 * table): the period holding the run date and the period before it. Every read is filtered to one
 * period, one attribution run or one run date and collected to the driver: a few hundred rows.
 */
record ReportData(LocalDate runDate, String periodType, LocalDate periodStart, LocalDate periodEnd,
    LocalDate previousStart, LocalDate previousEnd, String attributionModel, int markovOrder,
    List<Kpi> kpis, List<Roi> roi, Attribution attribution, Matrix overlap, List<Row> groupOverlap,
    Matrix repurchase, List<Row> groupRepurchase, List<Segment> segments, LocalDate clvRunDate,
    List<ClvBucket> clvDistribution, List<Ltv> ltvByChannel, List<Alert> alerts) {

  /** The KPI tiles, in this order; a KPI the marts did not write for the period is left out. */
  static final List<String> TILES = List.of("revenue", "orders", "customers", "new_customers", "average_order_value",
      "repurchase_rate", "cross_channel_purchaser_share", "online_offline_overlap", "spend", "roas", "roi", "cac",
      "ltv_to_cac", "identification_rate", "data_accuracy");
  /** Attribution models side by side, in this order (experience_split credits sales channels, so it is not among them). */
  static final List<String> MODELS = List.of("markov", "first", "last", "linear", "position", "time_decay");

  record Kpi(String kpi, String label, String unit, Double value, Double previous) {}

  record Roi(String channel, Double spend, Double conversions, Double revenue, Double roas, Double roi,
      Double newCustomers, Double cac, Double ltvToCac) {}

  /** One attribution run: per model, per channel (in {@code channels} order) the conversions; Markov's interval. */
  record Attribution(LocalDate runDate, LocalDate start, LocalDate end, Double level, List<String> models,
      List<String> channels, Map<String, List<Double>> conversions, List<Double> ciLow, List<Double> ciHigh) {}

  /** A channel × channel matrix: value (share) and count per cell; absent cells are absent. */
  record Matrix(List<String> channels, List<Cell> cells) {}

  record Cell(String x, String y, double value, long count) {}

  record Segment(String segment, boolean highValue, boolean atRisk, long customers, long purchasing, double revenue,
      Double totalClv, Double meanClv, Double meanPAlive) {}

  /** One bucket of gold.clv_distribution, in bucket order: customers, of them high value and high value at risk. */
  record ClvBucket(String label, long customers, long highValue, long highValueAtRisk) {}

  record Ltv(String channel, long customers, Double meanClv, Double totalClv) {}

  record Alert(String severity, String rule, String kpi, String channel, String periodType, LocalDate periodStart,
      Double value, Double previous, String message) {}

  static ReportData read(Warehouse w, LocalDate runDate, String periodType, String attributionModel, int markovOrder) {
    LocalDate start = MartsJob.periodStart(periodType, runDate);
    LocalDate previousStart = MartsJob.periodStart(periodType, start.minusDays(1));
    Column period = col("period_type").equalTo(periodType).and(col("period_start").equalTo(lit(Date.valueOf(start))));
    Column previous = col("period_type").equalTo(periodType)
        .and(col("period_start").equalTo(lit(Date.valueOf(previousStart))));

    LocalDate periodEnd = runDate;
    List<Kpi> kpis = new ArrayList<>();
    Map<String, Row> catalog = new LinkedHashMap<>();
    for (Row r : rows(w, "kpi_catalog", lit(true), "kpi", "label", "unit")) {
      catalog.put(r.getString(0), r);
    }
    Map<String, Double> now = new LinkedHashMap<>();
    Map<String, Double> before = new LinkedHashMap<>();
    for (Row r : rows(w, "kpi", period.and(col("channel").equalTo("all")), "kpi", "value", "period_end")) {
      now.put(r.getString(0), dbl(r, 1));
      periodEnd = date(r.get(2));
    }
    LocalDate previousEnd = start.minusDays(1);
    for (Row r : rows(w, "kpi", previous.and(col("channel").equalTo("all")), "kpi", "value", "period_end")) {
      before.put(r.getString(0), dbl(r, 1));
      previousEnd = date(r.get(2));
    }
    for (String k : TILES) {
      if (now.containsKey(k)) {
        Row c = catalog.get(k);
        kpis.add(new Kpi(k, c == null ? k : c.getString(1), c == null ? "" : c.getString(2), now.get(k), before.get(k)));
      }
    }

    List<Roi> roi = new ArrayList<>();
    for (Row r : rows(w, "channel_roi", period.and(col("attribution_model").equalTo(attributionModel))
            .and(col("markov_order").equalTo(markovOrder)),
        "channel", "spend_cny", "attributed_conversions", "attributed_revenue_cny", "roas", "roi", "new_customers",
        "cac_cny", "ltv_to_cac")) {
      roi.add(new Roi(r.getString(0), dbl(r, 1), dbl(r, 2), dbl(r, 3), dbl(r, 4), dbl(r, 5), dbl(r, 6), dbl(r, 7),
          dbl(r, 8)));
    }
    roi.sort(Comparator.comparing((Roi r) -> r.spend() == null ? 0 : -r.spend())
        .thenComparing(r -> r.revenue() == null ? 0 : -r.revenue()).thenComparing(Roi::channel));

    List<Segment> segments = new ArrayList<>();
    LocalDate clvRunDate = null;
    for (Row r : rows(w, "customer_segments", period, "lifecycle_segment", "is_high_value", "is_high_value_at_risk",
        "customers", "purchasing_customers", "revenue_cny", "total_clv_cny", "mean_clv_cny", "mean_p_alive",
        "clv_run_date")) {
      segments.add(new Segment(r.getString(0), r.getBoolean(1), r.getBoolean(2), r.getLong(3), r.getLong(4),
          r.isNullAt(5) ? 0 : ((java.math.BigDecimal) r.get(5)).doubleValue(), dbl(r, 6), dbl(r, 7), dbl(r, 8)));
      clvRunDate = r.isNullAt(9) ? clvRunDate : date(r.get(9));
    }
    List<String> order = List.of("new", "active", "dormant", "lost");
    segments.sort(Comparator.comparing((Segment s) -> order.indexOf(s.segment()) < 0 ? 99 : order.indexOf(s.segment()))
        .thenComparing(Segment::segment).thenComparing(s -> s.highValue() ? 1 : 0).thenComparing(s -> s.atRisk() ? 1 : 0));

    List<ClvBucket> clvDistribution = rows(w, "clv_distribution", period, "bucket", "label", "customers",
            "high_value_customers", "high_value_at_risk_customers").stream()
        .sorted(Comparator.comparingInt((Row r) -> r.getInt(0)))
        .map(r -> new ClvBucket(r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4))).toList();

    List<Ltv> ltv = new ArrayList<>();
    LocalDate ltvRun = latestRunDate(w, "ltv_by_acquisition_channel", lit(true), runDate);
    if (ltvRun != null) {
      for (Row r : rows(w, "ltv_by_acquisition_channel", col("run_date").equalTo(lit(Date.valueOf(ltvRun))),
          "acquisition_channel", "customers", "mean_clv_cny", "total_clv_cny")) {
        ltv.add(new Ltv(r.getString(0), r.getLong(1), dbl(r, 2), dbl(r, 3)));
      }
      ltv.sort(Comparator.comparing((Ltv l) -> -l.customers()).thenComparing(Ltv::channel));
    }

    List<Alert> alerts = new ArrayList<>();
    for (Row r : rows(w, "alerts", col("run_date").equalTo(lit(Date.valueOf(runDate))), "severity", "rule", "kpi",
        "channel", "period_type", "period_start", "value", "previous_value", "message")) {
      alerts.add(new Alert(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
          r.isNullAt(5) ? null : date(r.get(5)), dbl(r, 6), dbl(r, 7), r.getString(8)));
    }
    alerts.sort(Comparator.comparing((Alert a) -> "critical".equals(a.severity()) ? 0 : 1).thenComparing(Alert::rule)
        .thenComparing(a -> String.valueOf(a.channel())));

    return new ReportData(runDate, periodType, start, periodEnd, previousStart, previousEnd, attributionModel,
        markovOrder, kpis, roi, attribution(w, runDate, markovOrder),
        matrix(w, "channel_overlap", period, "channel_a", "channel_b", "jaccard", "customers_both", true),
        rows(w, "channel_overlap", period.and(col("level").equalTo("group")), "channel_a", "channel_b", "jaccard",
            "customers_both", "customers_either"),
        matrix(w, "repurchase_matrix", period, "from_channel", "to_channel", "share_of_from_channel", "repeat_occasions",
            false),
        rows(w, "repurchase_matrix", period.and(col("level").equalTo("group")), "from_channel", "to_channel",
            "share_of_from_channel", "repeat_occasions"),
        segments, clvRunDate, clvDistribution, ltv, alerts);
  }

  /**
   * The latest attribution run on or before the run date at the order: each model's conversions per
   * channel, Markov's bootstrap interval. When that run date has several windows, the longest.
   */
  private static Attribution attribution(Warehouse w, LocalDate runDate, int markovOrder) {
    Column order = col("markov_order").equalTo(markovOrder).and(col("model").isin(MODELS.toArray()));
    LocalDate run = latestRunDate(w, "attribution_by_channel", order, runDate);
    if (run == null) {
      return null;
    }
    Column ofRun = order.and(col("run_date").equalTo(lit(Date.valueOf(run))));
    Row window = rows(w, "attribution_by_channel", ofRun, "period_start", "period_end").stream()
        .min(Comparator.comparing((Row r) -> date(r.get(0)))).orElseThrow();
    List<Row> rs = rows(w, "attribution_by_channel", ofRun.and(col("period_start").equalTo(window.get(0))), "model",
        "channel", "conversions", "ci_low", "ci_high", "ci_level");
    Set<String> models = new LinkedHashSet<>();
    MODELS.stream().filter(m -> rs.stream().anyMatch(r -> r.getString(0).equals(m))).forEach(models::add);
    Map<String, Double> markov = new LinkedHashMap<>();
    rs.stream().filter(r -> r.getString(0).equals("markov")).forEach(r -> markov.put(r.getString(1), r.getDouble(2)));
    List<String> channels = rs.stream().map(r -> r.getString(1)).distinct()
        .sorted(Comparator.comparing((String c) -> c.equals("direct") ? 1 : 0)
            .thenComparing(c -> -markov.getOrDefault(c, 0.0)).thenComparing(c -> c))
        .toList();
    Map<String, List<Double>> conversions = new LinkedHashMap<>();
    List<Double> low = new ArrayList<>();
    List<Double> high = new ArrayList<>();
    Double level = null;
    for (String m : models) {
      List<Double> values = new ArrayList<>();
      for (String c : channels) {
        Row r = rs.stream().filter(x -> x.getString(0).equals(m) && x.getString(1).equals(c)).findFirst().orElse(null);
        values.add(r == null ? null : r.getDouble(2));
        if (m.equals("markov")) {
          low.add(r == null ? null : dbl(r, 3));
          high.add(r == null ? null : dbl(r, 4));
          level = r == null || r.isNullAt(5) ? level : Double.valueOf(r.getDouble(5));
        }
      }
      conversions.put(m, values);
    }
    return new Attribution(run, date(window.get(0)), date(window.get(1)), level,
        List.copyOf(models), channels, conversions, low, high);
  }

  /**
   * A channel-level matrix of one period. {@code symmetric}: pairs are stored once (a &lt; b), so
   * each is mirrored; the diagonal is a channel with itself (Jaccard 1, its purchasers).
   */
  private static Matrix matrix(Warehouse w, String table, Column period, String x, String y, String value, String count,
      boolean symmetric) {
    List<Row> rs = rows(w, table, period.and(col("level").equalTo("channel")), x, y, value, count,
        symmetric ? "customers_a" : value, symmetric ? "customers_b" : value);
    Map<String, Long> size = new LinkedHashMap<>();
    List<Cell> cells = new ArrayList<>();
    for (Row r : rs) {
      String a = r.getString(0);
      String b = r.getString(1);
      double v = r.isNullAt(2) ? 0 : r.getDouble(2);
      long n = r.getLong(3);
      cells.add(new Cell(a, b, v, n));
      if (symmetric) {
        cells.add(new Cell(b, a, v, n));
        size.put(a, r.getLong(4));
        size.put(b, r.getLong(5));
      } else {
        size.merge(a, n, Long::sum);
        size.merge(b, 0L, Long::sum);
      }
    }
    if (symmetric) {
      size.forEach((c, n) -> cells.add(new Cell(c, c, 1.0, n)));
    }
    List<String> channels = size.keySet().stream()
        .sorted(Comparator.comparing((String c) -> -size.get(c)).thenComparing(c -> c)).toList();
    return new Matrix(channels, cells);
  }

  private static LocalDate latestRunDate(Warehouse w, String table, Column filter, LocalDate runDate) {
    if (!w.exists("gold", table)) {
      return null;
    }
    Row r = w.read("gold", table).where(filter.and(col("run_date").leq(lit(Date.valueOf(runDate)))))
        .agg(org.apache.spark.sql.functions.max("run_date")).first();
    return r.isNullAt(0) ? null : date(r.get(0));
  }

  /** The rows of a gold table matching the filter (none when the table does not exist yet). */
  private static List<Row> rows(Warehouse w, String table, Column filter, String... columns) {
    if (!w.exists("gold", table)) {
      return List.of();
    }
    Dataset<Row> df = w.read("gold", table).where(filter);
    return df.select(java.util.Arrays.stream(columns).map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .collectAsList();
  }

  /** A DATE value: java.time.LocalDate when the session has spark.sql.datetime.java8API.enabled, else java.sql.Date. */
  private static LocalDate date(Object v) {
    return v == null ? null : v instanceof LocalDate d ? d : ((Date) v).toLocalDate();
  }

  private static Double dbl(Row r, int i) {
    return r.isNullAt(i) ? null : ((Number) r.get(i)).doubleValue();
  }
}
