package io.touchpoint.jobs.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.errors.Errors;
import io.touchpoint.errors.TouchpointException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing and judging alert rules (no Spark). */
class AlertRulesTest {
  static final LocalDate RUN = LocalDate.of(2026, 3, 31);

  static AlertRule rule(String yamlBody) {
    return AlertRules.parse("rules:\n  - name: r\n    kpi: roi\n    period: day\n    severity: warning\n" + yamlBody, "t.yaml")
        .get(0);
  }

  static AlertsJob.KpiValue value(String kpi, String channel, String periodType, String start, double v, Double denominator) {
    return new AlertsJob.KpiValue(kpi, channel, periodType, LocalDate.parse(start), RUN, v, denominator);
  }

  @Test
  void theCheckedInRulesAreTheMetricsDefaults() {
    List<AlertRule> rules = AlertRules.read(Path.of(System.getProperty("touchpoint.root", ".."), "conf", "alerts.yaml"));
    assertThat(rules).extracting(AlertRule::name).containsExactly("data-accuracy", "identification-rate-drop",
        "channel-roi-drop");
    AlertRule accuracy = rules.get(0);
    assertThat(accuracy.condition()).isEqualTo(AlertRule.Condition.BELOW);
    assertThat(accuracy.threshold()).isEqualTo(0.98);
    assertThat(accuracy.severity()).isEqualTo(AlertRule.Severity.CRITICAL);
    assertThat(rules.get(1).condition()).isEqualTo(AlertRule.Condition.DROP);
    assertThat(rules.get(1).threshold()).as("5 points").isEqualTo(0.05);
    assertThat(rules.get(2).condition()).isEqualTo(AlertRule.Condition.DROP_RELATIVE);
    assertThat(rules.get(2).threshold()).as("20 %").isEqualTo(0.20);
    assertThat(AlertRules.resolve(null, Map.of())).as("the jar's copy").isEqualTo(rules);
  }

  @Test
  void theEnvironmentNamesAnotherFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("mine.yaml");
    Files.writeString(f, "rules:\n  - {name: x, kpi: revenue, period: week, severity: critical, below: 100}\n");
    assertThat(AlertRules.resolve(null, Map.of(AlertRules.ENV, f.toString()))).extracting(AlertRule::name)
        .containsExactly("x");
  }

  @Test
  void absoluteBoundsFireOnlyPastTheBound() {
    AlertRule below = rule("    below: 0.98\n");
    assertThat(below.fires(0.97, null)).isTrue();
    assertThat(below.fires(0.98, null)).as("at the bound").isFalse();
    AlertRule above = rule("    above: 2\n");
    assertThat(above.fires(2.5, null)).isTrue();
    assertThat(above.fires(1.9, null)).isFalse();
  }

  @Test
  void changesCompareWithThePreviousPeriod() {
    AlertRule drop = rule("    drop: 0.05\n");
    assertThat(drop.fires(0.80, 0.86)).as("6 points down").isTrue();
    assertThat(drop.fires(0.82, 0.86)).as("4 points down").isFalse();
    assertThat(drop.fires(0.90, 0.80)).as("up").isFalse();
    assertThat(drop.fires(0.50, null)).as("no previous period").isFalse();
    AlertRule rise = rule("    rise: 10\n");
    assertThat(rise.fires(111, 100.0)).isTrue();
    assertThat(rise.fires(109, 100.0)).isFalse();
    AlertRule relative = rule("    drop_relative: 0.20\n");
    assertThat(relative.fires(0.75, 1.0)).as("-25 %").isTrue();
    assertThat(relative.fires(0.85, 1.0)).as("-15 %").isFalse();
    // ROI can be negative: -0.5 → -0.7 is 40 % worse of |-0.5|.
    assertThat(relative.fires(-0.7, -0.5)).isTrue();
    assertThat(relative.change(-0.7, -0.5)).isCloseTo(-0.4, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(relative.fires(-0.3, -0.5)).isFalse();
    assertThat(relative.fires(0.1, 0.0)).as("no relative change from 0").isFalse();
    AlertRule riseRelative = rule("    rise_relative: 0.5\n");
    assertThat(riseRelative.fires(160, 100.0)).isTrue();
    assertThat(riseRelative.fires(140, 100.0)).isFalse();
  }

  @Test
  void evaluationPicksTheRunDatesPeriodTheChannelsAndThePreviousPeriod() {
    List<AlertRule> rules = AlertRules.parse("""
        rules:
          - {name: accuracy, kpi: data_accuracy, period: day, channels: each, severity: critical, below: 0.98,
             min_denominator: 100}
          - {name: id-drop, kpi: identification_rate, period: day, severity: warning, drop: 0.05}
          - {name: roi-drop, kpi: roi, period: week, channels: [search_ads, email], severity: warning, drop_relative: 0.2}
        """, "t.yaml");
    List<AlertsJob.KpiValue> values = List.of(
        value("data_accuracy", "pos", "day", "2026-03-31", 0.97, 1000.0),      // fires
        value("data_accuracy", "crm", "day", "2026-03-31", 0.50, 20.0),        // too few rows to judge
        value("data_accuracy", "webshop", "day", "2026-03-31", 0.99, 1000.0),  // fine
        value("data_accuracy", "all", "day", "2026-03-31", 0.90, 3000.0),      // 'each' leaves out all
        value("data_accuracy", "pos", "day", "2026-03-30", 0.50, 1000.0),      // another day
        value("identification_rate", "all", "day", "2026-03-31", 0.80, 900.0),
        value("identification_rate", "all", "day", "2026-03-30", 0.86, 900.0), // 6 points down: fires
        value("roi", "search_ads", "week", "2026-03-30", 0.40, 500.0),
        value("roi", "search_ads", "week", "2026-03-23", 0.60, 500.0),         // -33 %: fires
        value("roi", "email", "week", "2026-03-30", 0.55, 50.0),
        value("roi", "email", "week", "2026-03-23", 0.60, 50.0),               // -8 %
        value("roi", "display", "week", "2026-03-30", 0.10, 50.0),
        value("roi", "display", "week", "2026-03-23", 0.90, 50.0));            // not listed
    List<AlertsJob.Alert> alerts = AlertsJob.evaluate(RUN, rules, values);
    assertThat(alerts).extracting(a -> a.rule() + "/" + a.channel()).containsExactly("accuracy/pos", "id-drop/all",
        "roi-drop/search_ads");
    AlertsJob.Alert roi = alerts.get(2);
    assertThat(roi.periodStart()).isEqualTo(LocalDate.of(2026, 3, 30));
    assertThat(roi.previousPeriodStart()).isEqualTo(LocalDate.of(2026, 3, 23));
    assertThat(roi.change()).isCloseTo(-1.0 / 3, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(roi.message()).contains("roi of search_ads", "down 33.3%", "threshold 20.0%");
    assertThat(alerts.get(0).severity()).isEqualTo(AlertRule.Severity.CRITICAL);
    assertThat(alerts.get(0).message()).contains("data_accuracy of pos", "0.97", "below 0.98");
  }

  static void assertBad(String yaml, String... fragments) {
    assertThatThrownBy(() -> AlertRules.parse(yaml, "conf/alerts.yaml"))
        .isInstanceOf(TouchpointException.class)
        .satisfies(e -> assertThat(((TouchpointException) e).exitCode()).isEqualTo(Errors.EXIT_CONFIG))
        .hasMessageContaining("conf/alerts.yaml")
        .hasMessageContaining(fragments[0])
        .satisfies(e -> {
          for (String f : fragments) {
            assertThat(e.getMessage()).contains(f);
          }
        });
  }

  @Test
  void aMalformedRuleNamesTheRuleAndTheField() {
    String head = "rules:\n  - name: roi-drop\n    kpi: roi\n    period: week\n    severity: warning\n";
    assertBad(head + "    drop_relative: twenty\n", "rule 'roi-drop'", "field 'drop_relative'", "not a number");
    assertBad(head, "rule 'roi-drop'", "no condition");
    assertBad(head + "    below: 1\n    drop: 0.1\n", "rule 'roi-drop'", "more than one condition");
    assertBad(head + "    drop: -0.1\n", "field 'drop'", "0 or more");
    assertBad(head + "    below: 1\n    treshold: 2\n", "rule 'roi-drop'", "field 'treshold'", "unknown field");
    assertBad(head.replace("week", "fortnight") + "    below: 1\n", "field 'period'", "day, week, month, quarter");
    assertBad(head.replace("warning", "fatal") + "    below: 1\n", "field 'severity'", "warning or critical");
    assertBad(head + "    below: 1\n    channels: some\n", "field 'channels'");
    assertBad("rules:\n  - kpi: roi\n    period: day\n    severity: warning\n    below: 1\n", "rule '#1'", "field 'name'",
        "missing");
    assertBad(head + "    below: 1\n" + head.substring(7) + "    below: 2\n", "field 'name'", "two rules are named 'roi-drop'");
    assertBad("rules: [\n", "not valid YAML");
    assertBad("alerts:\n  - name: x\n", "no 'rules:' list");
  }
}
