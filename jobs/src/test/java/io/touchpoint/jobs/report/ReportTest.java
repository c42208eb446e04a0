package io.touchpoint.jobs.report;

import static io.touchpoint.jobs.marts.MartsFixtures.RUN_DATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.touchpoint.errors.Errors;
import io.touchpoint.errors.TouchpointException;
import io.touchpoint.jobs.alerts.AlertRules;
import io.touchpoint.jobs.alerts.AlertsJob;
import io.touchpoint.jobs.marts.MartsFixtures;
import io.touchpoint.jobs.marts.MartsJob;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report over the marts' hand-computed fixture warehouse ({@link MartsFixtures}: March 2026,
 * run date 03-31), plus an attribution run, CLV per acquisition channel and two fired alerts. One
 * channel is named like an attack ({@link #EVIL}) to prove every value is escaped. The page is
 * loaded in real headless Chromium.
 */
class ReportTest {
  /** A channel name that would run script if it reached the HTML unescaped or ended the JSON block. */
  static final String EVIL = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"></script>"
      + "<script>document.body.setAttribute('data-pwned','2')</script>&amp;";

  @TempDir static Path tmp;
  static Warehouse warehouse;
  static ReportJob.Result result;
  static String html;

  @BeforeAll
  static void buildAndRender() throws Exception {
    warehouse = new Warehouse(SparkTestSupport.spark(), tmp.resolve("warehouse").toString());
    MartsFixtures.write(warehouse, true);
    new MartsJob(warehouse, "report-test").run(MartsJob.Options.defaults(RUN_DATE, RUN_DATE));
    attributionRuns().coalesce(1).write().format("delta").save(warehouse.path("gold", "attribution_by_channel"));
    ltvByChannel().coalesce(1).write().format("delta").save(warehouse.path("gold", "ltv_by_acquisition_channel"));
    new AlertsJob(warehouse, "report-test").run(RUN_DATE, AlertRules.parse("""
        rules:
          - name: data-accuracy
            kpi: data_accuracy
            period: day
            channels: each
            severity: critical
            below: 0.98
          - name: revenue-rise
            description: "<b>not bold</b> & co"
            kpi: revenue
            period: month
            severity: warning
            rise_relative: 0.5
        """, "test rules"));
    result = new ReportJob(warehouse).write(new ReportJob.Options(RUN_DATE, "month", "markov", 1), tmp.resolve("out"));
    html = Files.readString(result.file(), StandardCharsets.UTF_8);
  }

  /**
   * Run 03-31 (window 03-02..03-31, order 1): Markov with intervals and four heuristics; the EVIL
   * channel has half a conversion. Decoys the report must skip: an older run (03-01), the same run
   * at order 2, and experience_split (which credits sales channels).
   */
  static org.apache.spark.sql.Dataset<Row> attributionRuns() {
    List<Row> rows = new ArrayList<>();
    LocalDate run = RUN_DATE;
    LocalDate start = RUN_DATE.minusDays(29);
    rows.add(ab(run, start, "markov", 1, "search_ads", 2.5, 1.8, 3.1));
    rows.add(ab(run, start, "markov", 1, "social_ads", 2.0, 1.2, 2.6));
    rows.add(ab(run, start, "markov", 1, EVIL, 0.5, 0.1, 0.9));
    rows.add(ab(run, start, "markov", 1, "direct", 3.0, null, null));
    for (String m : List.of("first", "last", "linear", "position")) {
      rows.add(ab(run, start, m, 1, "search_ads", m.equals("first") ? 3.0 : 2.0, null, null));
      rows.add(ab(run, start, m, 1, "social_ads", 2.0, null, null));
      rows.add(ab(run, start, m, 1, EVIL, m.equals("first") ? 0.0 : 1.0, null, null));
      rows.add(ab(run, start, m, 1, "direct", 3.0, null, null));
    }
    rows.add(ab(run, start, "experience_split", 1, "store", 4.0, null, null));
    rows.add(ab(run, start, "markov", 2, "search_ads", 77.0, 70.0, 80.0));
    rows.add(ab(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 1, 31), "markov", 1, "search_ads", 99.0, 90.0, 100.0));
    return SparkTestSupport.spark().createDataFrame(rows, StructType.fromDDL("run_date DATE, period_start DATE,"
        + " period_end DATE, model STRING, markov_order INT, channel STRING, conversions DOUBLE, revenue_cny DOUBLE,"
        + " removal_effect DOUBLE, share DOUBLE, ci_low DOUBLE, ci_high DOUBLE, revenue_ci_low_cny DOUBLE,"
        + " revenue_ci_high_cny DOUBLE, ci_level DOUBLE"));
  }

  static Row ab(LocalDate run, LocalDate start, String model, int order, String channel, double conversions, Double low,
      Double high) {
    return RowFactory.create(run, start, run, model, order, channel, conversions, 100 * conversions, null, null, low,
        high, null, null, low == null ? null : 0.95);
  }

  /** 03-31: store 3 customers (mean 200), EVIL 1 (mean 50); an older run (02-28) the report must skip. */
  static org.apache.spark.sql.Dataset<Row> ltvByChannel() {
    return SparkTestSupport.spark().createDataFrame(List.of(
        RowFactory.create(RUN_DATE, "store", 3L, 200.0, 600.0),
        RowFactory.create(RUN_DATE, EVIL, 1L, 50.0, 50.0),
        RowFactory.create(LocalDate.of(2026, 2, 28), "store", 10L, 1.0, 10.0)),
        StructType.fromDDL("run_date DATE, acquisition_channel STRING, customers BIGINT, mean_clv_cny DOUBLE,"
            + " total_clv_cny DOUBLE"));
  }

  static ReportData data() {
    return ReportData.read(warehouse, RUN_DATE, "month", "markov", 1);
  }

  @Test
  void tilesCompareMarchWithFebruary() {
    ReportData d = data();
    assertThat(d.periodStart()).isEqualTo(LocalDate.of(2026, 3, 1));
    assertThat(d.previousStart()).isEqualTo(LocalDate.of(2026, 2, 1));
    assertThat(d.previousEnd()).isEqualTo(LocalDate.of(2026, 2, 28));
    Map<String, ReportData.Kpi> k = d.kpis().stream().collect(Collectors.toMap(ReportData.Kpi::kpi, x -> x));
    // March: revenue 800 (MartsFixtures); February: only b1, 80 → +900 %.
    assertThat(k.get("revenue").value()).isEqualTo(800.0);
    assertThat(k.get("revenue").previous()).isEqualTo(80.0);
    assertThat(ReportJob.change(k.get("revenue"))).isEqualTo("+900.0 %");
    // Purchasers A B C F G (5) against B (1): +400 %.
    assertThat(ReportJob.change(k.get("customers"))).isEqualTo("+400.0 %");
    // Repurchase rate 2/5 in March; February's one purchaser bought once: 0 → +40 points.
    assertThat(k.get("repurchase_rate").value()).isEqualTo(0.4);
    assertThat(ReportJob.change(k.get("repurchase_rate"))).isEqualTo("+40.0 pts");
    assertThat(html).contains("data-kpi=\"revenue\"><div class=\"label\">Net revenue</div><div class=\"value\">¥800</div>"
        + "<div class=\"change up\">+900.0 %</div><div class=\"prev\">before: ¥80.00</div>");
    // The tiles follow ReportData.TILES, leaving out what the marts did not write.
    assertThat(d.kpis().stream().map(ReportData.Kpi::kpi).toList())
        .isEqualTo(ReportData.TILES.stream().filter(k::containsKey).toList()).contains("roi", "data_accuracy");
  }

  @Test
  void roiChannelsByDescendingSpendWithTheMartsFigures() {
    List<ReportData.Roi> roi = data().roi();
    assertThat(roi.stream().map(ReportData.Roi::channel)).containsExactly("search_ads", "social_ads", "email", "direct");
    // search_ads: 325 CNY credited on 200 spend: ROAS 1.625, ROI (325 × 0.3 − 200) / 200 = −0.5125 (MartsJobTest).
    assertThat(roi.get(0).roas()).isEqualTo(1.625);
    assertThat(roi.get(0).roi()).isCloseTo(-0.5125, within(1e-9));
    assertThat(roi.get(3).roas()).as("direct has no spend").isNull();
    assertThat(html).contains("<td>search_ads</td><td>¥200</td><td>2.5</td><td>¥325</td><td>1.63</td><td>-0.51</td>");
    // The chart: ROAS of the paid channels against break-even 1 / margin = 1 / 0.3.
    @SuppressWarnings("unchecked")
    Map<String, Object> chart = ((Map<String, Map<String, Object>>) ReportJob.chartData(data()).get("charts")).get("chart-roi");
    assertThat(chart.get("channels")).isEqualTo(List.of("search_ads", "social_ads", "email"));
    assertThat((Double) chart.get("breakEvenRoas")).isCloseTo(1 / 0.3, within(1e-6));
  }

  @Test
  void attributionShowsTheLatestRunOfTheOrderWithMarkovIntervals() {
    ReportData.Attribution a = data().attribution();
    assertThat(a.runDate()).isEqualTo(RUN_DATE);
    assertThat(a.models()).containsExactly("markov", "first", "last", "linear", "position");
    // Ordered by Markov credit, direct last; not the order-2 run's 77 nor the 03-01 run's 99.
    assertThat(a.channels()).containsExactly("search_ads", "social_ads", EVIL, "direct");
    assertThat(a.conversions().get("markov")).containsExactly(2.5, 2.0, 0.5, 3.0);
    assertThat(a.conversions().get("first")).containsExactly(3.0, 2.0, 0.0, 3.0);
    assertThat(a.ciLow()).containsExactly(1.8, 1.2, 0.1, null);
    assertThat(a.ciHigh()).containsExactly(3.1, 2.6, 0.9, null);
    assertThat(a.level()).isEqualTo(0.95);
    assertThat(html).contains("<td>search_ads</td><td>2.5 (1.8 – 3.1)</td><td>3.0</td>");
  }

  @Test
  void overlapAndRepurchaseMatricesOfMarch() {
    ReportData d = data();
    // Purchasers: store {A B C F}, app {A}, jd {F}, webshop {G}: store–app 1 of 4.
    assertThat(d.overlap().channels()).containsExactly("store", "app", "jd", "webshop");
    assertThat(d.overlap().cells()).contains(new ReportData.Cell("store", "app", 0.25, 1),
        new ReportData.Cell("app", "store", 0.25, 1), new ReportData.Cell("store", "store", 1.0, 4));
    assertThat(d.overlap().cells()).hasSize(6 * 2 + 4);
    // Repeats: store→app, store→store, app→app, webshop→store; the store row splits ½ ½.
    assertThat(d.repurchase().cells()).containsExactlyInAnyOrder(new ReportData.Cell("store", "app", 0.5, 1),
        new ReportData.Cell("store", "store", 0.5, 1), new ReportData.Cell("app", "app", 1.0, 1),
        new ReportData.Cell("webshop", "store", 1.0, 1));
    assertThat(html).contains("offline × online: Jaccard 40.0 % (2 of 5 purchasers bought in both)");
  }

  @Test
  void clvSegmentsAndAcquisitionChannels() {
    ReportData d = data();
    assertThat(d.clvRunDate()).isEqualTo(RUN_DATE);
    assertThat(d.segments().stream().map(s -> s.segment() + "/" + s.highValue() + "/" + s.atRisk()))
        .containsExactly("new/false/false", "new/true/false", "new/true/true", "active/false/false");
    // High value: A 300 and F 500 of 1,150 CLV (A B C F G: 300 200 100 500 50), 2 of 5 customers.
    assertThat(html).contains("The high-value tier is 40.0 % of the customers and holds 69.6 % of the CLV.");
    // The CLV histogram: 13 buckets in order; G 50, C 100, B 200, A 300 (high value), F 500 (at risk).
    assertThat(d.clvDistribution()).hasSize(13);
    assertThat(d.clvDistribution().subList(0, 7)).containsExactly(new ReportData.ClvBucket("< 50", 0, 0, 0),
        new ReportData.ClvBucket("50–100", 1, 0, 0), new ReportData.ClvBucket("100–200", 1, 0, 0),
        new ReportData.ClvBucket("200–300", 1, 0, 0), new ReportData.ClvBucket("300–500", 1, 1, 0),
        new ReportData.ClvBucket("500–750", 1, 1, 1), new ReportData.ClvBucket("750–1,000", 0, 0, 0));
    assertThat(d.ltvByChannel().stream().map(ReportData.Ltv::channel)).containsExactly("store", EVIL);
    assertThat(d.ltvByChannel().get(0).meanClv()).as("the 03-31 snapshot, not 02-28's").isEqualTo(200.0);
  }

  @Test
  void alertsOfTheRunDateCriticalFirst() {
    List<ReportData.Alert> alerts = data().alerts();
    // pos accepted 970 of 1,000 rows on 03-31 (< 98 %); March revenue 800 rose 900 % on February's 80.
    assertThat(alerts.stream().map(ReportData.Alert::rule)).containsExactly("data-accuracy", "revenue-rise");
    assertThat(alerts.get(0).severity()).isEqualTo("critical");
    assertThat(result.alerts()).isEqualTo(2);
    assertThat(html).contains("&lt;b&gt;not bold&lt;/b&gt; &amp; co").doesNotContain("<b>not bold</b>");
  }

  @Test
  void everyValueIsEscapedAndNothingLoadsFromTheNetwork() {
    // In HTML text: character references; in the JSON block: \\u003c escapes, so no </script> can end it.
    assertThat(html).contains("<td>&lt;img src=x onerror=&quot;document.body.setAttribute(&#39;data-pwned&#39;,&#39;1&#39;)"
        + "&quot;&gt;&lt;/script&gt;&lt;script&gt;");
    assertThat(html).doesNotContain(EVIL).doesNotContain("<img");
    String json = html.substring(html.indexOf("id=\"report-data\">"), html.indexOf("</script>", html.indexOf("id=\"report-data\">")));
    assertThat(json).contains("\\u003cimg src=x onerror=").contains("\\u003c/script\\u003e").contains("\\u0026amp;");
    assertThat(html).doesNotContainPattern("(?i)(src|href)=\"?(https?:)?//").doesNotContain("sourceMappingURL");
    assertThat(Pattern.compile("<script[ >]").matcher(html).results().count()).as("errors, data, Chart.js, page").isEqualTo(4);
    assertThat(html).as("CSP by script hash, quotes escaped in the attribute").contains("script-src &#39;sha256-");
  }

  @Test
  void loadsInHeadlessChromiumWithoutErrorsAndShowsEverySection() throws Exception {
    HeadlessChromium.Page page = HeadlessChromium.dumpDom(result.file(), tmp);
    String dom = page.dom();
    assertThat(page.console()).as("console messages (errors, CSP violations)").isEmpty();
    assertThat(dom).contains("<div id=\"report-errors\" class=\"errors\" hidden=\"\"></div>");
    assertThat(attribute(dom, "body", "data-status")).isEqualTo("ready");
    // roi, attribution, overlap, repurchase, CLV histogram, two segment charts, CLV per acquisition channel.
    assertThat(result.charts()).isEqualTo(8);
    assertThat(attribute(dom, "body", "data-charts")).isEqualTo("8");
    assertThat(dom).doesNotContainPattern("<body[^>]*data-pwned");
    for (String section : ReportJob.SECTIONS) {
      assertThat(dom).as("section " + section).containsPattern("<section id=\"" + section + "\" data-section=");
    }
    // Each canvas holds the points its chart drew: ROAS of 3 channels; attribution 4 × 5 models;
    // overlap 16 cells; repurchase 4; CLV histogram 3 tiers × 13 buckets; segments 3 tiers × 2
    // segments, twice; CLV 2 channels.
    Map<String, String> drawn = new java.util.TreeMap<>();
    Matcher m = Pattern.compile("<canvas id=\"([a-z-]+)\"[^>]*data-drawn=\"(\\d+)\"").matcher(dom);
    while (m.find()) {
      drawn.put(m.group(1), m.group(2));
    }
    assertThat(drawn).containsExactlyInAnyOrderEntriesOf(Map.of("chart-roi", "3", "chart-attribution", "20",
        "chart-overlap", "16", "chart-repurchase", "4", "chart-clv-distribution", "39", "chart-segments-customers", "6",
        "chart-segments-clv", "6", "chart-ltv", "2"));
  }

  /** The harness can fail: a page whose script throws shows the banner, keeps status "loading" and logs to the console. */
  @Test
  void aBrokenPageIsCaught() throws Exception {
    String broken = html.replaceFirst("(<script type=\"application/json\" id=\"report-data\">)[^<]*",
        "$1{\"charts\":{\"chart-roi\":{\"kind\":\"no-such-chart\"}},\"chartCount\":1}");
    Path file = tmp.resolve("broken.html");
    Files.writeString(file, broken, StandardCharsets.UTF_8);
    HeadlessChromium.Page page = HeadlessChromium.dumpDom(file, tmp);
    assertThat(attribute(page.dom(), "body", "data-status")).isEqualTo("loading");
    assertThat(page.dom()).contains("This report did not draw completely: ").contains("is not a function");
    assertThat(page.console()).isNotEmpty();
  }

  @Test
  void aWarehouseWithoutMartsIsAClearInputError() {
    Warehouse empty = new Warehouse(SparkTestSupport.spark(), tmp.resolve("empty").toString());
    assertThatThrownBy(() -> new ReportJob(empty).write(new ReportJob.Options(RUN_DATE, "month", "markov", 1),
        tmp.resolve("none")))
        .isInstanceOf(TouchpointException.class)
        .hasMessageContaining("gold.kpi").hasMessageContaining("touchpoint marts --run-date 2026-03-31")
        .satisfies(e -> assertThat(((TouchpointException) e).exitCode()).isEqualTo(Errors.EXIT_INPUT));
    assertThatThrownBy(() -> new ReportJob.Options(RUN_DATE, "year", "markov", 1))
        .hasMessageContaining("day, week, month, quarter");
  }

  private static String attribute(String dom, String tag, String name) {
    Matcher m = Pattern.compile("<" + tag + "\\b[^>]*\\s" + name + "=\"([^\"]*)\"").matcher(dom);
    return m.find() ? m.group(1) : null;
  }
}
