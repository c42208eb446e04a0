package io.touchpoint.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.airflow.AirflowClient;
import io.touchpoint.airflow.AirflowSettings;
import io.touchpoint.airflow.model.BackfillResponse;
import io.touchpoint.airflow.model.DAGResponse;
import io.touchpoint.airflow.model.DAGRunResponse;
import io.touchpoint.airflow.model.DagRunState;
import io.touchpoint.airflow.model.ReprocessBehavior;
import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.config.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code touchpoint airflow trigger|status|wait|backfill|clear}: operate the Touchpoint DAGs through
 * Airflow's REST API. The URL and credentials come from the environment or the config file
 * ({@link ConfigLoader#airflow}), never from the command line. A run date D is the logical date
 * D 00:00 UTC, which is how the nightly DAG's timetable names the run of export date D.
 */
@Command(name = "airflow", mixinStandardHelpOptions = true,
    description = "Trigger, follow, backfill and clear runs of the Touchpoint DAGs through Airflow's REST API."
        + " Airflow is found through TOUCHPOINT_AIRFLOW_URL and TOUCHPOINT_AIRFLOW_USER + TOUCHPOINT_AIRFLOW_PASSWORD"
        + " or TOUCHPOINT_AIRFLOW_TOKEN_FILE (or airflow.url / airflow.user / airflow.token-file in the config file);"
        + " never from the command line.",
    subcommands = {AirflowCommand.Trigger.class, AirflowCommand.Status.class, AirflowCommand.Wait.class,
        AirflowCommand.Backfill.class, AirflowCommand.Clear.class})
public final class AirflowCommand implements Runnable {
  /** The environment the settings come from; tests replace it. */
  static Map<String, String> environment = System.getenv();

  @Option(names = "--config", paramLabel = "FILE", scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "A .properties config file with airflow.* keys (default: $TOUCHPOINT_CONFIG, else conf/touchpoint.properties).")
  Path config;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand: trigger, status, wait, backfill or clear.");
  }

  AirflowClient client(String action) {
    return new AirflowClient(settings(action));
  }

  AirflowSettings settings(String action) {
    return new ConfigLoader(environment).airflow(config, action, true);
  }

  static OffsetDateTime logicalDate(LocalDate d) {
    return d == null ? null : d.atStartOfDay().atOffset(ZoneOffset.UTC);
  }

  static Map<String, Object> conf(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      return new ObjectMapper().readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (java.io.IOException e) {
      throw Errors.usage("use --conf " + json, "it is not a JSON object", "Pass e.g. --conf '{\"window_days\": 30}'");
    }
  }

  static String describe(DAGRunResponse r) {
    return String.format("%s  %s  logical date %s  state %s%s", r.getDagId(), r.getDagRunId(),
        r.getLogicalDate() == null ? "-" : r.getLogicalDate().toLocalDate(), r.getState().getValue(),
        r.getEndDate() == null ? "" : "  ended " + r.getEndDate());
  }

  abstract static class Sub implements Callable<Integer>, Plannable {
    @ParentCommand AirflowCommand parent;
    @Spec CommandSpec spec;

    @Option(names = "--dag", paramLabel = "DAG_ID", defaultValue = "touchpoint_nightly",
        description = "The DAG (default ${DEFAULT-VALUE}).")
    String dagId;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    /** Checks the options; the dry run stops after it. */
    abstract void validate();

    abstract String request();

    @Override
    public Plan plan() {
      validate();
      return Plan.of("airflow " + spec.name()).fact("dag", dagId).fact("request", request())
          .fact("note", "Airflow was not contacted").build();
    }

    @Override
    public Integer call() {
      validate();
      int code = run(parent.client(spec.name() + " " + dagId));
      out().flush();
      return code;
    }

    abstract int run(AirflowClient airflow);
  }

  /** --run-id R or --run-date D (one of them). */
  static final class RunChoice {
    @Option(names = "--run-id", paramLabel = "RUN_ID", description = "The DAG run id.")
    String runId;

    @Option(names = "--run-date", paramLabel = "YYYY-MM-DD", description = "The run whose logical date is this date (00:00 UTC).")
    LocalDate runDate;
  }

  static final class Timing {
    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT6H",
        description = "Give up waiting after this long, ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "PT10S",
        description = "First poll interval, growing by half each poll up to a minute (default ${DEFAULT-VALUE}).")
    Duration poll;
  }

  /** Exit 0 when the run succeeded, 8 when it failed or is still going at the timeout. */
  static int awaited(AirflowClient airflow, String dagId, String runId, Timing t, PrintWriter out) {
    DAGRunResponse r = airflow.await(dagId, runId, t.timeout, t.poll, s -> {
      out.println("  " + describe(s));
      out.flush();
    });
    if (r.getState() == DagRunState.SUCCESS) {
      return Errors.EXIT_OK;
    }
    if (r.getState() == DagRunState.FAILED) {
      throw Errors.airflowRunFailed(dagId, runId, "failed", airflow.runUrl(dagId, runId));
    }
    throw Errors.airflowWaitTimedOut(dagId, runId, r.getState().getValue(), t.timeout.toString());
  }

  @Command(name = "trigger", mixinStandardHelpOptions = true,
      description = "Start a run of the DAG for a run date (its logical date), optionally with conf, and optionally wait for it.")
  static final class Trigger extends Sub {
    @Option(names = "--run-date", paramLabel = "YYYY-MM-DD", description = "The export date to process (logical date D 00:00 UTC).")
    LocalDate runDate;

    @Option(names = "--run-id", paramLabel = "RUN_ID", description = "Run id (default: touchpoint__<logical date>__<random>).")
    String runId;

    @Option(names = "--conf", paramLabel = "JSON", description = "Run conf as a JSON object, e.g. the params of touchpoint_adhoc.")
    String conf;

    @Option(names = "--wait", description = "Wait for the run to finish and exit with its outcome (0 success, 8 failed).")
    boolean await;

    @ArgGroup(exclusive = false) Timing timing = new Timing();

    @Override
    void validate() {
      conf(conf);
      if (runDate == null && dagId.equals("touchpoint_nightly")) {
        throw Errors.usage("trigger touchpoint_nightly", "it processes one export date", "Pass --run-date YYYY-MM-DD");
      }
    }

    @Override
    String request() {
      return "POST /api/v2/dags/" + dagId + "/dagRuns logical_date=" + logicalDate(runDate)
          + (runId == null ? "" : " dag_run_id=" + runId) + " conf=" + conf(conf);
    }

    @Override
    int run(AirflowClient airflow) {
      DAGResponse dag = airflow.dag(dagId);
      if (Boolean.TRUE.equals(dag.getIsPaused())) {
        out().println("warning: DAG " + dagId + " is paused; the run stays queued until it is unpaused");
      }
      DAGRunResponse r = airflow.trigger(dagId, runId, logicalDate(runDate), conf(conf), "touchpoint airflow trigger");
      out().println("triggered " + describe(r));
      out().println("  " + airflow.runUrl(dagId, r.getDagRunId()));
      return await ? awaited(airflow, dagId, r.getDagRunId(), timing, out()) : Errors.EXIT_OK;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show a run (--run-id or --run-date) or the runs of a range (--from/--to).")
  static final class Status extends Sub {
    @Option(names = "--run-id", paramLabel = "RUN_ID", description = "The DAG run id.")
    String runId;

    @Option(names = "--run-date", paramLabel = "YYYY-MM-DD", description = "The runs whose logical date is this date.")
    LocalDate runDate;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "First run date of a range (with --to).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last run date of a range (with --from).")
    LocalDate to;

    @Override
    void validate() {
      boolean range = from != null || to != null;
      int choices = (runId != null ? 1 : 0) + (runDate != null ? 1 : 0) + (range ? 1 : 0);
      if (choices != 1 || (range && (from == null || to == null))) {
        throw Errors.usage("show runs of " + dagId, "give exactly one of --run-id, --run-date, or --from with --to",
            "e.g. --run-date 2026-03-31");
      }
      if (range && to.isBefore(from)) {
        throw Errors.usage("show runs " + from + ".." + to, "--to is before --from", "Swap the two dates");
      }
    }

    @Override
    String request() {
      return runId != null ? "GET /api/v2/dags/" + dagId + "/dagRuns/" + runId
          : "GET /api/v2/dags/" + dagId + "/dagRuns?logical_date_gte=" + logicalDate(runDate != null ? runDate : from)
              + "&logical_date_lte=" + logicalDate(runDate != null ? runDate : to);
    }

    @Override
    int run(AirflowClient airflow) {
      List<DAGRunResponse> runs = runId != null ? List.of(airflow.run(dagId, runId))
          : airflow.runs(dagId, logicalDate(runDate != null ? runDate : from), logicalDate(runDate != null ? runDate : to));
      if (runs.isEmpty()) {
        out().println("no runs of " + dagId + " in that range");
      }
      runs.forEach(r -> out().println(describe(r)));
      return Errors.EXIT_OK;
    }
  }

  @Command(name = "wait", mixinStandardHelpOptions = true,
      description = "Wait for a run to finish, polling with back-off; exit 0 if it succeeded, 8 if it failed or the timeout passed.")
  static final class Wait extends Sub {
    @ArgGroup(exclusive = true, multiplicity = "1") RunChoice run;

    @ArgGroup(exclusive = false) Timing timing = new Timing();

    @Override
    void validate() {
      if (timing.timeout.isNegative() || timing.poll.isNegative() || timing.poll.isZero()) {
        throw Errors.usage("wait with --timeout " + timing.timeout + " --poll " + timing.poll,
            "both must be positive durations", "e.g. --timeout PT2H --poll PT30S");
      }
    }

    @Override
    String request() {
      return "GET /api/v2/dags/" + dagId + "/dagRuns/" + (run.runId != null ? run.runId : "(the run of " + run.runDate + ")")
          + " until success or failed, first poll after " + timing.poll + ", timeout " + timing.timeout;
    }

    @Override
    int run(AirflowClient airflow) {
      String id = run.runId != null ? run.runId : runOf(airflow, dagId, run.runDate);
      return awaited(airflow, dagId, id, timing, out());
    }
  }

  /** The id of the (latest) run whose logical date is D. */
  static String runOf(AirflowClient airflow, String dagId, LocalDate d) {
    List<DAGRunResponse> runs = airflow.runs(dagId, logicalDate(d), logicalDate(d));
    if (runs.isEmpty()) {
      throw Errors.airflowNotFound("find the run of " + d, "run of DAG '" + dagId + "' with logical date " + logicalDate(d), "");
    }
    return runs.get(runs.size() - 1).getDagRunId();
  }

  @Command(name = "backfill", mixinStandardHelpOptions = true,
      description = "Ask Airflow to run the DAG for every run date in --from..--to (an Airflow backfill, oldest first).")
  static final class Backfill extends Sub {
    @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "First run date.")
    LocalDate from;

    @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "Last run date.")
    LocalDate to;

    @Option(names = "--conf", paramLabel = "JSON", description = "Conf for every run, as a JSON object.")
    String conf;

    @Option(names = "--reprocess", defaultValue = "none", paramLabel = "none|failed|completed",
        description = "Dates that already have a run: leave them (none), rerun failed ones, or rerun all (default ${DEFAULT-VALUE}).")
    String reprocess;

    @Option(names = "--max-active-runs", defaultValue = "1", description = "Runs at a time (default ${DEFAULT-VALUE}; the nightly DAG needs 1).")
    int maxActiveRuns;

    ReprocessBehavior behaviour() {
      try {
        return ReprocessBehavior.fromValue(reprocess);
      } catch (IllegalArgumentException e) {
        throw Errors.usage("use --reprocess " + reprocess, "unknown value", "Choose none, failed or completed");
      }
    }

    @Override
    void validate() {
      conf(conf);
      behaviour();
      if (to.isBefore(from)) {
        throw Errors.usage("backfill " + from + ".." + to, "--to is before --from", "Swap the two dates");
      }
      if (maxActiveRuns < 1) {
        throw Errors.usage("use --max-active-runs " + maxActiveRuns, "it must be at least 1", "e.g. --max-active-runs 1");
      }
    }

    @Override
    String request() {
      return "POST /api/v2/backfills dag_id=" + dagId + " from_date=" + logicalDate(from) + " to_date=" + logicalDate(to)
          + " reprocess_behavior=" + behaviour().getValue() + " max_active_runs=" + maxActiveRuns;
    }

    @Override
    int run(AirflowClient airflow) {
      BackfillResponse b = airflow.backfill(dagId, logicalDate(from), logicalDate(to), conf(conf), behaviour(), maxActiveRuns);
      out().printf("backfill %s of %s created: %s..%s, reprocess %s, %d run(s) at a time%n", b.getId(), dagId,
          from, to, behaviour().getValue(), maxActiveRuns);
      out().println("  follow it with: touchpoint airflow status --dag " + dagId + " --from " + from + " --to " + to);
      return Errors.EXIT_OK;
    }
  }

  @Command(name = "clear", mixinStandardHelpOptions = true,
      description = "Clear a run's tasks (or only the failed ones) so Airflow runs them again; a range clears each run in it.")
  static final class Clear extends Sub {
    @Option(names = "--run-id", paramLabel = "RUN_ID", description = "The DAG run id.")
    String runId;

    @Option(names = "--run-date", paramLabel = "YYYY-MM-DD", description = "The run of this date.")
    LocalDate runDate;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "First run date of a range (with --to).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last run date of a range (with --from).")
    LocalDate to;

    @Option(names = "--only-failed", description = "Clear only failed and upstream-failed tasks.")
    boolean onlyFailed;

    @Override
    void validate() {
      Status s = new Status();
      s.dagId = dagId;
      s.runId = runId;
      s.runDate = runDate;
      s.from = from;
      s.to = to;
      s.validate();
    }

    @Override
    String request() {
      return "POST /api/v2/dags/" + dagId + "/dagRuns/" + (runId != null ? runId : "<each run in range>")
          + "/clear only_failed=" + onlyFailed;
    }

    @Override
    int run(AirflowClient airflow) {
      List<String> ids = runId != null ? List.of(runId)
          : airflow.runs(dagId, logicalDate(runDate != null ? runDate : from), logicalDate(runDate != null ? runDate : to))
              .stream().map(DAGRunResponse::getDagRunId).toList();
      if (ids.isEmpty()) {
        out().println("no runs of " + dagId + " in that range: nothing cleared");
      }
      for (String id : ids) {
        airflow.clear(dagId, id, onlyFailed);
        out().println("cleared " + (onlyFailed ? "the failed tasks of " : "") + dagId + " " + id);
      }
      return Errors.EXIT_OK;
    }
  }
}
