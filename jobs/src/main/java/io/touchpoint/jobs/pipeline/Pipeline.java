package io.touchpoint.jobs.pipeline;

import io.touchpoint.ingest.BronzeTable;
import io.touchpoint.jobs.alerts.AlertRule;
import io.touchpoint.jobs.alerts.AlertRules;
import io.touchpoint.jobs.alerts.AlertsJob;
import io.touchpoint.jobs.attribution.AttributionJob;
import io.touchpoint.jobs.clv.ClvJob;
import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.identity.IdentityJob;
import io.touchpoint.jobs.ingest.IngestJob;
import io.touchpoint.jobs.marts.MartsJob;
import io.touchpoint.jobs.silver.SilverJob;
import io.touchpoint.jobs.spark.DateSpan;
import io.touchpoint.jobs.spark.Warehouse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs stages over a set of export dates in one pass: {@code nightly} is one date, {@code backfill}
 * and {@code demo} a range. Each stage processes all the dates at once (one Spark job per table),
 * which leaves the same tables as running the dates one by one in order.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  /** What a run did: per-stage wall time, the ingest outcome and the alerts (null when the stage did not run). */
  public record Outcome(String runId, List<LocalDate> dates, Map<Stage, Duration> stageTimes, IngestJob.Result ingest,
      AlertsJob.Result alerts) {}

  /** Sees each stage begin and end, in the run's thread (the bench measures per stage with it). */
  public interface StageObserver {
    StageObserver NONE = new StageObserver() {};

    default void started(Stage stage) {}

    default void finished(Stage stage, Duration wall) {}
  }

  private final Warehouse warehouse;
  private final TouchpointConfig config;
  private final ClvJob.Options clv;
  private final Set<String> sources;
  private StageObserver observer = StageObserver.NONE;

  public Pipeline(Warehouse warehouse, TouchpointConfig config) {
    this(warehouse, config, new ClvJob.Options(config.clv(), ClvJob.IfNotIdentified.SKIP));
  }

  /** With the CLV stage's settings and not-identified policy (the {@code clv} command's options). */
  public Pipeline(Warehouse warehouse, TouchpointConfig config, ClvJob.Options clv) {
    this(warehouse, config, clv, Set.copyOf(BronzeTable.sources()));
  }

  /** With the sources the ingest stage lands (the Airflow DAG ingests each source in its own task). */
  public Pipeline(Warehouse warehouse, TouchpointConfig config, ClvJob.Options clv, Set<String> sources) {
    this.warehouse = warehouse;
    this.config = config;
    this.clv = clv;
    this.sources = Set.copyOf(sources);
  }

  /** This pipeline, with {@code observer} told of every stage it runs. */
  public Pipeline observedBy(StageObserver observer) {
    this.observer = observer;
    return this;
  }

  public static List<LocalDate> range(LocalDate from, LocalDate to) {
    return Stream.iterate(from, d -> !d.isAfter(to), d -> d.plusDays(1)).collect(Collectors.toList());
  }

  /**
   * The log line that says a stage of a run has started ({@code [run id] stage X started for D..E (N day(s))}):
   * the same line whether the stage runs inside a pipeline or as its own command (an Airflow task).
   */
  public static void logStarted(String runId, Stage stage, List<LocalDate> dates) {
    LOG.info("[{}] stage {} started for {} ({} day(s))", runId, stage.label(), DateSpan.of(dates), dates.size());
  }

  /**
   * The dates a nightly run for {@code dates} must process once late data is counted: from the
   * earliest past export date that received a new or re-delivered file ({@link IngestJob#lateDates})
   * through the last date, so that every stage recomputes what those files feed (see README,
   * "Late data"). Unchanged files are skipped by checksum when the range is ingested again.
   */
  public List<LocalDate> withLateData(List<LocalDate> dates) {
    LocalDate first = dates.get(0);
    java.util.SortedSet<LocalDate> late = new IngestJob(warehouse, config, "late-data-scan", Instant.now())
        .lateDates(first, sources);
    if (late.isEmpty()) {
      return dates;
    }
    LOG.info("late data for {}: reprocessing {}..{}", late, late.first(), dates.get(dates.size() - 1));
    return range(late.first(), dates.get(dates.size() - 1));
  }

  public Outcome run(List<LocalDate> dates, Set<Stage> stages, String runId) {
    Instant started = Instant.now();
    Map<Stage, Duration> times = new LinkedHashMap<>();
    IngestJob.Result ingest = null;
    AlertsJob.Result alerts = null;
    // Read the alert rules before any stage runs, so a malformed file fails fast (exit 5).
    List<AlertRule> rules = stages.contains(Stage.ALERTS) ? AlertRules.resolve(null, System.getenv()) : List.of();
    LocalDate last = dates.get(dates.size() - 1);
    String stageList = EnumSet.copyOf(stages).stream().map(Stage::label).collect(Collectors.joining(","));
    try {
      for (Stage stage : EnumSet.copyOf(stages)) {
        Instant t0 = Instant.now();
        logStarted(runId, stage, dates);
        observer.started(stage);
        switch (stage) {
          case INGEST -> ingest = new IngestJob(warehouse, config, runId, started)
              .run(dates, sources);
          case IDENTITY -> new IdentityJob(warehouse, runId).run(dates);
          case SILVER -> new SilverJob(warehouse, runId).run(dates);
          case ATTRIBUTION -> AttributionJob.runDatesCovering(dates, AttributionJob.Options.DEFAULT_WINDOW_DAYS)
              .forEach(d -> new AttributionJob(warehouse, runId).run(AttributionJob.Options.defaults(d)));
          case CLV -> new ClvJob(warehouse, runId).run(dates.get(dates.size() - 1), clv);
          case MARTS -> new MartsJob(warehouse, runId).run(MartsJob.Options.defaults(dates.get(0), last));
          case ALERTS -> alerts = new AlertsJob(warehouse, runId).run(last, rules);
          case MAINTAIN -> new io.touchpoint.jobs.maintenance.MaintenanceJob(warehouse, runId, config.maintenance())
              .run(last, false);
        }
        Duration d = Duration.between(t0, Instant.now());
        times.put(stage, d);
        observer.finished(stage, d);
        LOG.info("[{}] stage {} done in {} s", runId, stage.label(), String.format("%.1f", d.toMillis() / 1000.0));
      }
    } catch (RuntimeException | Error e) {
      new io.touchpoint.jobs.lineage.RunLog(warehouse).record(runId, started, dates, stageList, e); // audit: who ran what, and that it failed
      throw e;
    }
    new io.touchpoint.jobs.lineage.RunLog(warehouse).record(runId, started, dates, stageList, null); // ops.runs, run_inputs, table_versions
    warehouse.register();
    return new Outcome(runId, dates, times, ingest, alerts);
  }
}
