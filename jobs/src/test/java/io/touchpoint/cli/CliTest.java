package io.touchpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.errors.Errors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI as a user meets it: help, argument errors and exit codes (no Spark is started). */
class CliTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    CommandLine cl = Touchpoint.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsEveryJob() {
    Run r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("demo", "generate", "nightly", "backfill", "ingest", "identity", "silver",
        "attribution", "clv", "attribution-paths", "clv-fit", "marts", "alerts", "publish", "airflow", "serve",
        "report");
  }

  @Test
  void reportPlansItsFileAndRefusesABadPeriodBeforeStartingSpark() {
    Run plan = run("--dry-run", "report", "--run-date", "2026-03-31", "--out", "target/reports");
    assertThat(plan.code()).isZero();
    assertThat(plan.out()).contains("touchpoint-report-2026-03-31.html", "period", "month", "gold.* (aggregates only)");
    Run bad = run("report", "--run-date", "2026-03-31", "--out", "target/reports", "--period", "year");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--period year is not a period type", "day, week, month, quarter");
  }

  @Test
  void aDryRunPrintsThePlanOfOneSourcesIngestAndStartsNothing() {
    Run r = run("ingest", "--run-date", "2026-03-31", "--sources", "pos,crm", "--warehouse", "/lake/wh", "--dry-run");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("dry run: touchpoint ingest (validated; nothing was started)", "dates:     2026-03-31 (1 day)",
        "sources:   pos,crm", "warehouse: /lake/wh",
        "writes:    bronze.pos__tickets, bronze.crm__members, bronze.crm__bindings, ops.rejects, ops.ingestion_log");
  }

  @Test
  void aDryRunOfARangeListsEveryStageAndTheGoldTables() {
    Run r = run("--dry-run", "backfill", "--from", "2026-03-01", "--to", "2026-03-31");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("dates:     2026-03-01..2026-03-31 (31 days)", "stages:    ingest, identity, silver, attribution, clv",
        "gold.attribution_by_channel", "restricted.customer_value", "gold.ltv_by_acquisition_channel");
  }

  @Test
  void aDryRunValidatesLikeTheRun() {
    Run r = run("--dry-run", "attribution", "--run-date", "2026-03-31", "--models", "markov,lastclick");
    assertThat(r.code()).isEqualTo(Errors.EXIT_USAGE);
    assertThat(r.err()).contains("unknown attribution model(s)").contains("lastclick");
    Run backwards = run("--dry-run", "silver", "--from", "2026-03-05", "--to", "2026-03-01");
    assertThat(backwards.code()).isEqualTo(Errors.EXIT_USAGE);
    assertThat(backwards.err()).contains("--to is before --from");
  }

  @Test
  void anUnknownSourceIsAUsageErrorListingTheValidOnes() {
    Run r = run("ingest", "--run-date", "2026-03-31", "--sources", "pos,tmall");
    assertThat(r.code()).isEqualTo(Errors.EXIT_USAGE);
    assertThat(r.err()).contains("Cannot ingest --sources pos,tmall: unknown source(s) [tmall]."
        + " Choose from pos,webshop,marketplace,touchpoints,ad_spend,crm.");
  }

  @Test
  void publishNeedsARunDateToPostAssetEvents() {
    Run r = run("--dry-run", "publish", "--asset-events", "post");
    assertThat(r.code()).isEqualTo(Errors.EXIT_USAGE);
    assertThat(r.err()).contains("asset events announce a run date's tables").contains("--run-date");
  }

  @Test
  void aMissingRunDateIsAUsageError() {
    Run r = run("nightly");
    assertThat(r.code()).isEqualTo(Errors.EXIT_USAGE);
    assertThat(r.err()).contains("Missing required option: '--run-date=YYYY-MM-DD'");
  }

  @Test
  void aStageNeedsEitherARunDateOrARange() {
    Run r = run("ingest", "--from", "2026-01-02");
    assertThat(r.code()).isEqualTo(Errors.EXIT_USAGE);
    assertThat(r.err()).contains("Cannot choose the dates to process").contains("--run-date");
  }

  @Test
  void aBackwardsRangeIsRefused() {
    Run r = run("backfill", "--from", "2026-01-05", "--to", "2026-01-01");
    assertThat(r.code()).isEqualTo(Errors.EXIT_USAGE);
    assertThat(r.err()).contains("--to is before --from");
  }

  @Test
  void anUnparseableDateNamesTheOption() {
    Run r = run("nightly", "--run-date", "05/01/2026");
    assertThat(r.code()).isEqualTo(Errors.EXIT_USAGE);
    assertThat(r.err()).contains("--run-date").contains("05/01/2026");
  }

  @Test
  void aJobRefusesThePublicDemoKeyUnlessDemoIsGiven(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("TOUCHPOINT_HMAC_KEY") == null
        && System.getenv("TOUCHPOINT_HMAC_KEY_FILE") == null, "a key in the environment takes precedence over the file");
    Path keyFile = Files.writeString(tmp.resolve("demo.key"), io.touchpoint.pii.Pii.DEMO_KEY);
    Path conf = Files.writeString(tmp.resolve("touchpoint.properties"), "pii.hmac-key-file=" + keyFile + "\n");
    Run r = run("nightly", "--run-date", "2026-01-05", "--config", conf.toString(), "--exports", tmp.resolve("none").toString());
    assertThat(r.code()).isEqualTo(Errors.EXIT_CONFIG);
    assertThat(r.err()).contains("the configured HMAC key is the public demo key", "--demo")
        .doesNotContain(io.touchpoint.pii.Pii.DEMO_KEY);
    WarehouseOptions withDemo = new WarehouseOptions();
    withDemo.config = conf;
    withDemo.demo = true;
    assertThat(withDemo.resolve(false).pii().isDemoKey()).as("--demo allows it").isTrue();
    assertThat(run("ingest", "--help").out()).contains("--demo");
  }

  @Test
  void serveRefusesBadOptionsBeforeStartingSpark(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Run port = run("serve", "--port", "70000");
    assertThat(port.code()).isEqualTo(Errors.EXIT_USAGE);
    assertThat(port.err()).contains("Cannot serve on port 70000: a port is 0..65535");
    Run role = run("serve", "--role", "admin");
    assertThat(role.code()).isEqualTo(Errors.EXIT_USAGE);
    assertThat(role.err()).contains("--role").contains("admin");
    Path weak = Files.writeString(tmp.resolve("token"), "short\n");
    Run token = run("serve", "--token-file", weak.toString());
    assertThat(token.code()).isEqualTo(Errors.EXIT_CONFIG);
    assertThat(token.err()).contains("it has 5 characters, fewer than the 32 required").doesNotContain("short");
    Run missing = run("serve", "--token-file", tmp.resolve("absent").toString());
    assertThat(missing.code()).isEqualTo(Errors.EXIT_CONFIG);
    assertThat(missing.err()).contains("Cannot read the serve token");
  }

  @Test
  void theLauncherAndTheTestsUseTheSameJvmFlags() throws Exception {
    Path root = Path.of(System.getProperty("touchpoint.root", ".."));
    List<String> launcher = Files.readAllLines(root.resolve("bin/jvm-options")).stream()
        .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    Matcher m = Pattern.compile("<spark.jvm.options>(.*?)</spark.jvm.options>", Pattern.DOTALL)
        .matcher(Files.readString(root.resolve("pom.xml")));
    assertThat(m.find()).isTrue();
    assertThat(Arrays.asList(m.group(1).trim().split("\\s+"))).isEqualTo(launcher);
  }

  @Test
  void attributionTakesTheIntervalLevelAndTheTimeDecayHalfLife() {
    CommandLine cl = Touchpoint.commandLine();
    CommandLine.ParseResult parsed = cl.parseArgs("attribution", "--run-date", "2026-03-31", "--window-days", "29",
        "--models", "markov,time_decay", "--bootstrap", "20", "--level", "0.5", "--half-life-days", "1");
    var options = ((StageCommands.Attribution) parsed.subcommand().commandSpec().userObject()).options();
    assertThat(options.level()).as("--level").isEqualTo(0.5);
    assertThat(options.halfLifeDays()).as("--half-life-days").isEqualTo(1.0);
    assertThat(options.bootstrap()).as("--bootstrap").isEqualTo(20);
    var defaults = ((StageCommands.Attribution) Touchpoint.commandLine().parseArgs("attribution", "--run-date",
        "2026-03-31").subcommand().commandSpec().userObject()).options();
    assertThat(defaults.level()).as("default level").isEqualTo(0.95);
    assertThat(defaults.halfLifeDays()).as("default half-life").isEqualTo(7.0);
  }

  @Test
  void badAttributionLevelsAndHalfLivesAreUsageErrors() {
    Run level = run("attribution", "--run-date", "2026-03-31", "--level", "1.5");
    assertThat(level.code()).as("exit code, --level 1.5").isEqualTo(Errors.EXIT_USAGE);
    assertThat(level.err()).contains("confidence level 1.5").contains("between 0 and 1");
    Run halfLife = run("attribution", "--run-date", "2026-03-31", "--half-life-days", "-2");
    assertThat(halfLife.code()).as("exit code, --half-life-days -2").isEqualTo(Errors.EXIT_USAGE);
    assertThat(halfLife.err()).contains("--half-life-days -2.0").contains("Pass e.g. --half-life-days 7");
  }

  @Test
  void badClvFlagsAreUsageErrorsBeforeAnythingStarts() {
    Run margin = run("clv", "--run-date", "2026-03-31", "--margin", "1.5");
    assertThat(margin.code()).as("exit code, --margin 1.5").isEqualTo(Errors.EXIT_USAGE);
    assertThat(margin.err()).contains("--margin 1.5").contains("between 0 and 1");
    Run horizon = run("clv", "--run-date", "2026-03-31", "--horizon-months", "0");
    assertThat(horizon.code()).as("exit code, --horizon-months 0").isEqualTo(Errors.EXIT_USAGE);
    assertThat(horizon.err()).contains("--horizon-months 0");
    Run model = run("clv", "--run-date", "2026-03-31", "--model", "pareto");
    assertThat(model.code()).as("exit code, --model pareto").isEqualTo(Errors.EXIT_USAGE);
    assertThat(model.err()).contains("--model pareto").contains("bgnbd or --model mbgnbd");
  }
}
