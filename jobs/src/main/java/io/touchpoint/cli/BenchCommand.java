package io.touchpoint.cli;

import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.bench.Bench;
import io.touchpoint.jobs.bench.BenchReport;
import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.pipeline.Stage;
import io.touchpoint.jobs.spark.Sessions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code touchpoint bench}: the whole pipeline measured stage by stage on a generated data set (docs/BENCHMARKS.md). */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measure the nightly pipeline: generate a data set once (cached under --data-dir), build each history length",
        "in a fresh warehouse, run the nightly of the last day stage by stage, and append per stage the wall time, its",
        "read+write floor, rows read and written, shuffle, spill, peak heap and RSS, and how the day's cost grows with",
        "history, to the report file."})
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--scale", defaultValue = "S", paramLabel = "S|M",
      description = "S = the demo (50,000 customers x 90 days, history 30 and 89 days); M = 1,000,000 customers x 365 days"
          + " (history 30 and 364 days). Default ${DEFAULT-VALUE}.")
  String scale;

  @Option(names = "--customers", description = "Override the scale's number of customers.")
  Integer customers;

  @Option(names = "--days", description = "Override the scale's days of exports (the nightly runs the last one).")
  Integer days;

  @Option(names = "--seed", description = "Override the generator seed (default 42).")
  Long seed;

  @Option(names = "--history-days", split = ",", paramLabel = "N",
      description = "History lengths to run the nightly after, shortest first (default: 30 and days - 1).")
  List<Integer> histories;

  @Option(names = "--history-pass-days", defaultValue = "" + Bench.DEFAULT_PASS_DAYS, paramLabel = "N",
      description = "Days of history one backfill pass covers (default ${DEFAULT-VALUE}, a month). The bench records each finished"
          + " pass beside its warehouse, so a stopped run resumes after the last one, and reports a finished nightly again"
          + " instead of measuring it twice.")
  int historyPassDays;

  @Option(names = "--stages", split = ",", paramLabel = "STAGE",
      description = "Stages to run, a prefix of ingest,identity,silver,attribution,clv,marts,alerts (default: all).")
  List<String> stages;

  @Option(names = "--data-dir", defaultValue = "data/bench", paramLabel = "DIR",
      description = "Where the generated exports (kept, reused) and the bench warehouses (resumed or rebuilt) go (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--report", defaultValue = "docs/BENCHMARKS.md", paramLabel = "FILE",
      description = "Markdown file the figures are appended to (default ${DEFAULT-VALUE}).")
  Path report;

  @Option(names = "--no-floors", description = "Skip each stage's read+write floor (quicker; the ratios to the floor are then"
      + " not measured). For growth checks across history lengths.")
  boolean noFloors;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default local[*]).")
  String master;

  @Spec CommandSpec spec;

  /** The scale the options ask for, validated (a usage error names the option). */
  Bench.Scale scale() {
    Bench.Scale base = switch (scale.toUpperCase(Locale.ROOT)) {
      case "S" -> Bench.Scale.S;
      case "M" -> Bench.Scale.M;
      default -> throw Errors.usage("bench --scale " + scale, "the scales are S (the demo) and M (10^6 customers x 365 days)",
          "Use --scale S or --scale M, or give --customers and --days");
    };
    int c = customers != null ? customers : base.customers();
    int d = days != null ? days : base.days();
    List<Integer> h = histories != null ? histories : days == null ? base.histories() : List.of(Math.min(30, d - 1), d - 1);
    try {
      return new Bench.Scale(customers == null && days == null && seed == null && histories == null ? base.name() : "custom",
          c, d, seed != null ? seed : base.seed(), h.stream().distinct().sorted().toList());
    } catch (IllegalArgumentException e) {
      throw Errors.usage("bench with " + c + " customers, " + d + " days, history " + h, e.getMessage(),
          "Give --days of at least 2 and --history-days between 1 and days - 1");
    }
  }

  /** The stages to run: a prefix of the pipeline's order, so that every stage finds its inputs. */
  Set<Stage> stages() {
    if (stages == null) {
      return EnumSet.allOf(Stage.class);
    }
    Set<Stage> chosen = EnumSet.noneOf(Stage.class);
    for (String s : stages) {
      Stage st = Stage.ofLabel(s).orElseThrow(() -> Errors.usage("bench --stages " + String.join(",", stages), "unknown stage '" + s + "'",
              "Use stage names from: " + EnumSet.allOf(Stage.class).stream().map(Stage::label).collect(Collectors.joining(","))));
      chosen.add(st);
    }
    List<Stage> order = new ArrayList<>(EnumSet.allOf(Stage.class));
    Stage last = order.stream().filter(chosen::contains).reduce((a, b) -> b).orElseThrow();
    Set<Stage> prefix = EnumSet.copyOf(order.subList(0, order.indexOf(last) + 1));
    if (!prefix.equals(chosen)) {
      throw Errors.usage("bench --stages " + String.join(",", stages), "a stage needs the tables of the stages before it",
          "Give a prefix of the order, e.g. --stages " + prefix.stream().map(Stage::label).collect(Collectors.joining(",")));
    }
    return chosen;
  }

  @Override
  public Integer call() throws Exception {
    Bench.Scale s = scale();
    Set<Stage> st = stages();
    if (historyPassDays < 1) {
      throw Errors.usage("bench --history-pass-days " + historyPassDays, "a backfill pass covers at least one day",
          "Give --history-pass-days 1 or more (default " + Bench.DEFAULT_PASS_DAYS + ")");
    }
    WarehouseOptions options = new WarehouseOptions();
    options.master = master;
    options.exports = dataDir.toString();
    options.warehouse = dataDir.toString();
    TouchpointConfig config = options.resolve(true);
    SparkSession spark = Sessions.create(config, "touchpoint bench");
    Instant at = Instant.now();
    Bench bench = new Bench(spark, config, dataDir).withHistoryPassDays(historyPassDays);
    Bench.Result result = (noFloors ? bench.withoutFloors() : bench).run(s, st);
    String md = BenchReport.markdown(result, "touchpoint " + String.join(" ", spec.commandLine().getParseResult().originalArgs()),
        spark, at);
    BenchReport.append(report, md);
    PrintWriter out = spec.commandLine().getOut();
    for (Bench.Nightly n : result.nightlies()) {
      out.printf(Locale.ROOT, "nightly of %s after %d day(s) of history: %.1f s%n", n.day(), n.historyDays(), n.wallSeconds());
      for (Bench.StageRun r : n.stages()) {
        out.printf(Locale.ROOT, "  %-12s %7.1f s   floor %6.1f s   %,12d rows read   %,12d rows written%n", r.stage().label(),
            r.wallSeconds(), r.floor().seconds(), r.totals().recordsRead(), r.rowsWritten());
        r.readByTable().forEach((t, rows) -> out.printf(Locale.ROOT, "      read %-40s %,12d rows%n", t, rows));
      }
    }
    out.printf("figures appended to %s%n", report.toAbsolutePath());
    out.flush();
    return 0;
  }
}
