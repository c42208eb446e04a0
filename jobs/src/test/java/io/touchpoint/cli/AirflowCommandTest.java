package io.touchpoint.cli;

import static io.touchpoint.cli.FakeAirflow.Answer;
import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.airflow.AirflowClient;
import io.touchpoint.errors.Errors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code touchpoint airflow} and publish's asset events against a fake Airflow on a loopback port
 * whose every request and answer is checked against Airflow's OpenAPI spec (FakeAirflow).
 */
class AirflowCommandTest {
  static final String NIGHTLY = "touchpoint_nightly";
  static final String RUNS = "/api/v2/dags/" + NIGHTLY + "/dagRuns";
  FakeAirflow airflow;

  @BeforeEach
  void start() throws Exception {
    airflow = new FakeAirflow().on("GET /api/v2/dags/" + NIGHTLY, x -> Answer.ok(FakeAirflow.dag(NIGHTLY, false)));
    AirflowCommand.environment = airflow.env();
    PublishCommand.environment = airflow.env();
  }

  @AfterEach
  void stop() {
    airflow.close();
    AirflowCommand.environment = System.getenv();
    PublishCommand.environment = System.getenv();
    assertThat(airflow.specViolations).as("requests and answers that break Airflow's OpenAPI spec").isEmpty();
  }

  CliTest.Run run(String... args) {
    return CliTest.run(args);
  }

  /** A trigger answer echoing the posted run id and logical date, as Airflow does. */
  static Answer created(FakeAirflow.Exchange x, String state) {
    Map<String, Object> body = x.json();
    return Answer.ok(FakeAirflow.run(NIGHTLY, (String) body.get("dag_run_id"), (String) body.get("logical_date"), state));
  }

  @Test
  void triggerLogsInOnceAndStartsTheRunOfTheRunDate() {
    airflow.on("POST " + RUNS, x -> created(x, "queued"));
    CliTest.Run r = run("airflow", "trigger", "--run-date", "2026-03-31", "--conf", "{\"reason\": \"late pos export\"}");
    assertThat(r.code()).as(r.err()).isZero();

    List<FakeAirflow.Exchange> logins = airflow.requests("POST", "/auth/token");
    assertThat(logins).hasSize(1);
    assertThat(logins.get(0).json()).containsEntry("username", "touchpoint").containsEntry("password", FakeAirflow.PASSWORD);
    assertThat(airflow.apiRequests()).as("every API call carries the token")
        .allSatisfy(x -> assertThat(x.authorization()).isEqualTo("Bearer " + FakeAirflow.TOKEN));
    Map<String, Object> posted = airflow.requests("POST", RUNS).get(0).json();
    assertThat(posted.get("logical_date")).as("run date D is the logical date D 00:00 UTC").isEqualTo("2026-03-31T00:00:00Z");
    assertThat(posted.get("conf")).isEqualTo(Map.of("reason", "late pos export"));
    assertThat((String) posted.get("dag_run_id")).startsWith("touchpoint__2026-03-31T00:00Z__");
    assertThat(r.out()).contains("triggered touchpoint_nightly  touchpoint__2026-03-31", "state queued",
        airflow.url() + "/dags/touchpoint_nightly/runs/touchpoint__");
    assertThat(r.out() + r.err()).doesNotContain(FakeAirflow.PASSWORD);
  }

  @Test
  void aWrongPasswordIsAConfigurationErrorAndNoApiCallIsMade() {
    Map<String, String> env = new LinkedHashMap<>(airflow.env());
    env.put("TOUCHPOINT_AIRFLOW_PASSWORD", "wrong");
    AirflowCommand.environment = env;
    CliTest.Run r = run("airflow", "status", "--run-id", "x");
    assertThat(r.code()).isEqualTo(Errors.EXIT_CONFIG);
    assertThat(r.err()).contains("Cannot log in to Airflow as touchpoint: Airflow at " + airflow.url()
        + " refused the credentials (401: Invalid credentials). Check TOUCHPOINT_AIRFLOW_USER");
    assertThat(r.err()).doesNotContain("wrong");
    assertThat(airflow.apiRequests()).isEmpty();
  }

  @Test
  void noAirflowUrlSaysWhichVariablesToSet() {
    AirflowCommand.environment = Map.of();
    CliTest.Run r = run("airflow", "status", "--run-id", "x");
    assertThat(r.code()).isEqualTo(Errors.EXIT_CONFIG);
    assertThat(r.err()).contains("TOUCHPOINT_AIRFLOW_URL (or airflow.url) is not set", "never taken from the command line");
  }

  @Test
  void anUnknownDagIsAUsageErrorNamingIt() {
    airflow.on("GET /api/v2/dags/touchpoint_nighlty",
        x -> Answer.status(404, "The Dag with dag_id: `touchpoint_nighlty` was not found"));
    CliTest.Run r = run("airflow", "trigger", "--dag", "touchpoint_nighlty", "--run-date", "2026-03-31");
    assertThat(r.code()).isEqualTo(Errors.EXIT_USAGE);
    assertThat(r.err()).contains("Cannot read DAG touchpoint_nighlty: Airflow has no DAG 'touchpoint_nighlty' (404: The Dag with"
        + " dag_id: `touchpoint_nighlty` was not found)", "deployed from airflow-dags/");
    assertThat(airflow.requests("POST", "/api/v2/dags/touchpoint_nighlty/dagRuns")).isEmpty();
  }

  @Test
  void aDuplicateRunIdIsAUsageErrorThatSuggestsClear() {
    airflow.on("POST " + RUNS, x -> Answer.status(409,
        "Unique constraint violation: dag_run with dag_id=`touchpoint_nightly`, run_id=`nightly-0331` already exists"));
    CliTest.Run r = run("airflow", "trigger", "--run-date", "2026-03-31", "--run-id", "nightly-0331");
    assertThat(r.code()).isEqualTo(Errors.EXIT_USAGE);
    assertThat(r.err()).contains("a run with id 'nightly-0331' of DAG touchpoint_nightly already exists (409: Unique constraint",
        "touchpoint airflow clear");
    assertThat(airflow.requests("POST", RUNS)).as("a 409 on the first attempt is not retried").hasSize(1);
  }

  @Test
  void forbiddenNamesThePermission() {
    airflow.reset("GET /api/v2/dags/" + NIGHTLY).on("GET /api/v2/dags/" + NIGHTLY, x -> Answer.status(403, "Forbidden"));
    CliTest.Run r = run("airflow", "trigger", "--run-date", "2026-03-31");
    assertThat(r.code()).isEqualTo(Errors.EXIT_CONFIG);
    assertThat(r.err()).contains("the Airflow user may not do this (403: Forbidden)");
  }

  /**
   * 503, 502, then 200: the trigger is retried with back-off (0.5 s, then 1 s) and the same run id,
   * so three POSTs carry one dag_run_id and one run exists.
   */
  @Test
  void serverErrorsAreRetriedWithTheSameRunId() {
    airflow.on("POST " + RUNS, x -> Answer.status(503, "Service Unavailable"))
        .on("POST " + RUNS, x -> Answer.status(502, "Bad Gateway"))
        .on("POST " + RUNS, x -> created(x, "queued"));
    long t0 = System.nanoTime();
    CliTest.Run r = run("airflow", "trigger", "--run-date", "2026-03-31");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.code()).as(r.err()).isZero();
    List<FakeAirflow.Exchange> posts = airflow.requests("POST", RUNS);
    assertThat(posts).hasSize(3);
    assertThat(posts.stream().map(x -> x.json().get("dag_run_id")).distinct()).hasSize(1);
    assertThat(ms).as("back-off 500 + 1000 ms").isGreaterThanOrEqualTo(1500);
  }

  /** The first POST created the run but its answer was a 500; the retry's 409 means "done": the run is read back. */
  @Test
  void aRetryThatFindsItsOwnRunReturnsIt() {
    AtomicInteger posts = new AtomicInteger();
    airflow.on("POST " + RUNS, x -> {
      posts.incrementAndGet();
      return Answer.status(500, "Internal Server Error");
    }).on("POST " + RUNS, x -> Answer.status(409, "dag_run already exists"));
    airflow.on("GET " + RUNS + "/fixed-id", x -> Answer.ok(FakeAirflow.run(NIGHTLY, "fixed-id", "2026-03-31T00:00:00Z", "running")));
    CliTest.Run r = run("airflow", "trigger", "--run-date", "2026-03-31", "--run-id", "fixed-id");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("triggered touchpoint_nightly  fixed-id", "state running");
    assertThat(posts).hasValue(1);
  }

  @Test
  void waitOnARunThatFailsExitsEightWithTheRunsPage() {
    String path = RUNS + "/scheduled__2026-03-31";
    airflow.on("GET " + path, x -> Answer.ok(FakeAirflow.run(NIGHTLY, "scheduled__2026-03-31", "2026-03-31T00:00:00Z", "queued")))
        .on("GET " + path, x -> Answer.ok(FakeAirflow.run(NIGHTLY, "scheduled__2026-03-31", "2026-03-31T00:00:00Z", "running")))
        .on("GET " + path, x -> Answer.ok(FakeAirflow.run(NIGHTLY, "scheduled__2026-03-31", "2026-03-31T00:00:00Z", "running")))
        .on("GET " + path, x -> Answer.ok(FakeAirflow.run(NIGHTLY, "scheduled__2026-03-31", "2026-03-31T00:00:00Z", "failed")));
    CliTest.Run r = run("airflow", "wait", "--run-id", "scheduled__2026-03-31", "--poll", "PT0.01S");
    assertThat(r.code()).isEqualTo(Errors.EXIT_AIRFLOW);
    assertThat(r.out()).containsSubsequence("state queued", "state running", "state failed");
    assertThat(airflow.requests("GET", path)).as("polled until the terminal state").hasSize(4);
    assertThat(r.err()).contains("Cannot complete run scheduled__2026-03-31 of DAG touchpoint_nightly: the run ended failed",
        airflow.url() + "/dags/touchpoint_nightly/runs/scheduled__2026-03-31",
        "touchpoint airflow clear --dag touchpoint_nightly --run-id scheduled__2026-03-31");
  }

  @Test
  void waitByRunDateFindsTheRunAndExitsZeroOnSuccess() {
    airflow.on("GET " + RUNS, x -> Answer.ok(FakeAirflow.runs(List.of(
        FakeAirflow.run(NIGHTLY, "scheduled__2026-03-30", "2026-03-30T00:00:00Z", "running")))));
    airflow.on("GET " + RUNS + "/scheduled__2026-03-30",
        x -> Answer.ok(FakeAirflow.run(NIGHTLY, "scheduled__2026-03-30", "2026-03-30T00:00:00Z", "success")));
    CliTest.Run r = run("airflow", "wait", "--run-date", "2026-03-30", "--poll", "PT0.01S");
    assertThat(r.code()).as(r.err()).isZero();
    Map<String, List<String>> q = airflow.requests("GET", RUNS).get(0).query();
    assertThat(q.get("logical_date_gte")).containsExactly("2026-03-30T00:00:00Z");
    assertThat(q.get("logical_date_lte")).containsExactly("2026-03-30T00:00:00Z");
  }

  @Test
  void backfillAsksAirflowForTheRange() {
    airflow.on("POST /api/v2/backfills", x -> {
      Map<String, Object> b = x.json();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("id", 7);
      out.put("dag_id", b.get("dag_id"));
      out.put("from_date", b.get("from_date"));
      out.put("to_date", b.get("to_date"));
      out.put("is_paused", false);
      out.put("reprocess_behavior", b.get("reprocess_behavior"));
      out.put("max_active_runs", b.get("max_active_runs"));
      out.put("created_at", "2026-04-01T00:00:00Z");
      out.put("updated_at", "2026-04-01T00:00:00Z");
      out.put("dag_display_name", b.get("dag_id"));
      return Answer.ok(out);
    });
    CliTest.Run r = run("airflow", "backfill", "--from", "2026-03-01", "--to", "2026-03-31", "--reprocess", "failed");
    assertThat(r.code()).as(r.err()).isZero();
    Map<String, Object> body = airflow.requests("POST", "/api/v2/backfills").get(0).json();
    assertThat(body).containsEntry("dag_id", NIGHTLY).containsEntry("reprocess_behavior", "failed").containsEntry("max_active_runs", 1);
    assertThat(body.get("from_date")).isEqualTo("2026-03-01T00:00:00Z");
    assertThat(body.get("to_date")).isEqualTo("2026-03-31T00:00:00Z");
    assertThat(r.out()).contains("backfill 7 of touchpoint_nightly created: 2026-03-01..2026-03-31, reprocess failed");
  }

  @Test
  void clearOverARangeClearsEachRunInIt() {
    airflow.on("GET " + RUNS, x -> Answer.ok(FakeAirflow.runs(List.of(
        FakeAirflow.run(NIGHTLY, "scheduled__2026-03-29", "2026-03-29T00:00:00Z", "failed"),
        FakeAirflow.run(NIGHTLY, "scheduled__2026-03-30", "2026-03-30T00:00:00Z", "failed")))));
    for (String id : List.of("scheduled__2026-03-29", "scheduled__2026-03-30")) {
      airflow.on("POST " + RUNS + "/" + id + "/clear", x -> Answer.ok(FakeAirflow.run(NIGHTLY, id, null, "queued")));
    }
    CliTest.Run r = run("airflow", "clear", "--from", "2026-03-29", "--to", "2026-03-30", "--only-failed");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("cleared the failed tasks of touchpoint_nightly scheduled__2026-03-29",
        "cleared the failed tasks of touchpoint_nightly scheduled__2026-03-30");
    assertThat(airflow.requests("POST", RUNS + "/scheduled__2026-03-30/clear").get(0).json())
        .containsEntry("only_failed", true).containsEntry("dry_run", false);
  }

  @Test
  void aDryRunContactsNobody() {
    CliTest.Run r = run("--dry-run", "airflow", "trigger", "--run-date", "2026-03-31", "--conf", "{\"a\": 1}");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("dry run: touchpoint airflow trigger", "POST /api/v2/dags/touchpoint_nightly/dagRuns",
        "logical_date=2026-03-31T00:00Z", "Airflow was not contacted");
    assertThat(airflow.received).isEmpty();
  }

  @Test
  void publishPostsAnEventPerUpdatedGoldTableThatAirflowKnows() {
    airflow.on("GET /api/v2/assets", x -> {
      String uri = x.query().get("uri_pattern").get(0);
      return Answer.ok(uri.endsWith("/clv_model")
          ? Map.of("assets", List.of(), "total_entries", 0)
          : Map.of("assets", List.of(FakeAirflow.asset(12, uri)), "total_entries", 1));
    });
    airflow.on("POST /api/v2/assets/events", x -> {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("id", 99);
      e.put("asset_id", x.json().get("asset_id"));
      e.put("source_map_index", -1);
      e.put("created_dagruns", List.of());
      e.put("timestamp", "2026-04-01T00:00:00Z");
      e.put("extra", x.json().get("extra"));
      return Answer.ok(e);
    });
    Map<String, Long> updated = new LinkedHashMap<>();
    updated.put("attribution_by_channel", 42L);
    updated.put("clv_model", 9L);
    StringWriter out = new StringWriter();
    PublishCommand.postEvents(new AirflowClient(new io.touchpoint.jobs.config.ConfigLoader(airflow.env())
        .airflow(null, "publish", true)), updated, LocalDate.of(2026, 3, 31), new PrintWriter(out, true));
    List<FakeAirflow.Exchange> events = airflow.requests("POST", "/api/v2/assets/events");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).json()).containsEntry("asset_id", 12)
        .containsEntry("extra", Map.of("run_date", "2026-03-31", "rows", 42, "source", "touchpoint publish"));
    assertThat(out.toString()).contains("posted an asset event for touchpoint://gold/attribution_by_channel (42 rows for 2026-03-31)",
        "warning: Airflow has no asset touchpoint://gold/clv_model");
  }
}
