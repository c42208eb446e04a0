package io.touchpoint.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.airflow.api.AssetApi;
import io.touchpoint.airflow.api.BackfillApi;
import io.touchpoint.airflow.api.DagApi;
import io.touchpoint.airflow.api.DagRunApi;
import io.touchpoint.airflow.invoker.ApiClient;
import io.touchpoint.airflow.invoker.ApiException;
import io.touchpoint.airflow.model.AssetEventResponse;
import io.touchpoint.airflow.model.AssetResponse;
import io.touchpoint.airflow.model.BackfillPostBody;
import io.touchpoint.airflow.model.BackfillResponse;
import io.touchpoint.airflow.model.CreateAssetEventsBody;
import io.touchpoint.airflow.model.DAGResponse;
import io.touchpoint.airflow.model.DAGRunClearBody;
import io.touchpoint.airflow.model.DAGRunCollectionResponse;
import io.touchpoint.airflow.model.DAGRunResponse;
import io.touchpoint.airflow.model.DagRunState;
import io.touchpoint.airflow.model.ReprocessBehavior;
import io.touchpoint.airflow.model.TriggerDAGRunPostBody;
import io.touchpoint.errors.Errors;
import io.touchpoint.errors.TouchpointException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Airflow 3 REST API ({@code /api/v2}) as Touchpoint uses it: trigger, read and await DAG runs,
 * backfill a range, clear a run, post asset events. The HTTP calls and models are generated at build
 * time from Airflow's OpenAPI spec ({@code src/main/openapi}); this class adds what the spec does not
 * carry: the JWT login ({@link BearerToken}) sent through {@link ApiClient#setRequestInterceptor},
 * retries with exponential back-off on 429 / 5xx / refused connections, and errors that say what to do
 * on 401, 403, 404, 409 and 422.
 */
public final class AirflowClient {
  private static final Logger LOG = LoggerFactory.getLogger(AirflowClient.class);
  private static final int PAGE = 100;

  private final AirflowSettings settings;
  private final BearerToken token;
  private final ObjectMapper json;
  private final DagApi dags;
  private final DagRunApi runs;
  private final BackfillApi backfills;
  private final AssetApi assets;

  public AirflowClient(AirflowSettings settings) {
    this.settings = settings;
    ApiClient api = new ApiClient();
    api.updateBaseUri(settings.baseUrl().toString());
    api.setReadTimeout(settings.requestTimeout());
    api.setConnectTimeout(settings.requestTimeout());
    this.json = api.getObjectMapper();
    HttpClient http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
    this.token = new BearerToken(settings, http, json);
    api.setRequestInterceptor(request -> request.setHeader("Authorization", "Bearer " + token.current()));
    this.dags = new DagApi(api);
    this.runs = new DagRunApi(api);
    this.backfills = new BackfillApi(api);
    this.assets = new AssetApi(api);
  }

  public AirflowSettings settings() {
    return settings;
  }

  /** The DAG, or a usage error naming it when Airflow does not know it. */
  public DAGResponse dag(String dagId) {
    return call("read DAG " + dagId, "DAG '" + dagId + "'", null, () -> dags.getDag(dagId));
  }

  /**
   * Triggers a run. The run id is fixed before the first attempt (generated when {@code runId} is
   * null), so a retry after a lost answer cannot start a second run: Airflow answers 409 and the run
   * the first attempt created is returned.
   */
  public DAGRunResponse trigger(String dagId, String runId, OffsetDateTime logicalDate, Map<String, Object> conf, String note) {
    String id = runId != null ? runId : newRunId(logicalDate);
    TriggerDAGRunPostBody body = new TriggerDAGRunPostBody().dagRunId(id).logicalDate(logicalDate).note(note);
    if (conf != null && !conf.isEmpty()) {
      body.conf(conf);
    }
    String action = "trigger DAG " + dagId + (logicalDate == null ? "" : " for " + logicalDate);
    return call(action, "DAG '" + dagId + "'", "a run with id '" + id + "' of DAG " + dagId,
        () -> runs.triggerDagRun(dagId, body), () -> run(dagId, id));
  }

  public DAGRunResponse run(String dagId, String runId) {
    return call("read run " + runId + " of DAG " + dagId, "run '" + runId + "' of DAG '" + dagId + "'", null,
        () -> runs.getDagRun(dagId, runId));
  }

  /** The runs whose logical date lies in {@code [from, to]}, oldest first. */
  public List<DAGRunResponse> runs(String dagId, OffsetDateTime from, OffsetDateTime to) {
    List<DAGRunResponse> out = new ArrayList<>();
    for (int offset = 0; ; offset += PAGE) {
      int o = offset;
      DAGRunCollectionResponse page = call("list the runs of DAG " + dagId, "DAG '" + dagId + "'", null,
          () -> runs.getDagRuns(dagId, PAGE, o,
              null, null, null, null, // run_after gte, gt, lte, lt
              from, null, to, null, // logical_date gte, gt, lte, lt
              null, null, null, null, null, null, null, null, // start_date, end_date
              null, null, null, null, null, null, null, null, // duration, updated_at
              null, null, null, null, null, // conf_contains, run_type, state, dag_version, bundle_version
              List.of("logical_date"), null, null, null, null)); // order_by, patterns
      out.addAll(page.getDagRuns());
      if (page.getDagRuns().size() < PAGE || out.size() >= page.getTotalEntries()) {
        return out;
      }
    }
  }

  /**
   * Polls the run until it succeeds or fails, starting at {@code firstPoll} and growing the interval
   * by half each time up to a minute; {@code onChange} sees every state change. Returns the last
   * answer: its state is terminal unless {@code timeout} ran out.
   */
  public DAGRunResponse await(String dagId, String runId, Duration timeout, Duration firstPoll,
      Consumer<DAGRunResponse> onChange) {
    Instant deadline = Instant.now().plus(timeout);
    Duration poll = firstPoll;
    DagRunState last = null;
    while (true) {
      DAGRunResponse r = run(dagId, runId);
      if (r.getState() != last) {
        onChange.accept(r);
        last = r.getState();
      }
      if (r.getState() == DagRunState.SUCCESS || r.getState() == DagRunState.FAILED) {
        return r;
      }
      Duration left = Duration.between(Instant.now(), deadline);
      if (left.isNegative() || left.isZero()) {
        return r;
      }
      sleep(poll.compareTo(left) > 0 ? left : poll);
      poll = Duration.ofMillis(Math.min(poll.toMillis() * 3 / 2 + 1, Duration.ofMinutes(1).toMillis()));
    }
  }

  /** Creates an Airflow backfill: one run per schedule interval in {@code [from, to]}. */
  public BackfillResponse backfill(String dagId, OffsetDateTime from, OffsetDateTime to, Map<String, Object> conf,
      ReprocessBehavior reprocess, int maxActiveRuns) {
    BackfillPostBody body = new BackfillPostBody().dagId(dagId).fromDate(from).toDate(to).runBackwards(false)
        .reprocessBehavior(reprocess).maxActiveRuns(maxActiveRuns);
    // Always a map: the generated default for "default: {}" is a bare Object Jackson cannot write.
    body.dagRunConf(conf == null ? Map.of() : conf);
    return call("backfill DAG " + dagId + " from " + from + " to " + to, "DAG '" + dagId + "'",
        "a backfill of DAG " + dagId, () -> backfills.createBackfill(body));
  }

  /** Clears a run's task instances (all, or only the failed ones) so the scheduler runs them again. */
  public void clear(String dagId, String runId, boolean onlyFailed) {
    DAGRunClearBody body = new DAGRunClearBody().dryRun(false).onlyFailed(onlyFailed);
    call("clear run " + runId + " of DAG " + dagId, "run '" + runId + "' of DAG '" + dagId + "'", null,
        () -> runs.clearDagRun(dagId, runId, body));
  }

  /** The asset with exactly this URI, or null when Airflow has none (no deployed DAG declares it). */
  public AssetResponse assetByUri(String uri) {
    var page = call("look up asset " + uri, "asset " + uri, null,
        () -> assets.getAssets(PAGE, 0, null, uri, null, null, null));
    return page.getAssets().stream().filter(a -> uri.equals(a.getUri())).findFirst().orElse(null);
  }

  public AssetEventResponse postAssetEvent(AssetResponse asset, Map<String, Object> extra) {
    CreateAssetEventsBody body = new CreateAssetEventsBody().assetId(asset.getId()).extra(extra);
    return call("post an event for asset " + asset.getUri(), "asset " + asset.getUri(), null,
        () -> assets.createAssetEvent(body));
  }

  /** The run's page in the Airflow UI. */
  public String runUrl(String dagId, String runId) {
    return settings.baseUrl() + "/dags/" + dagId + "/runs/" + runId;
  }

  static String newRunId(OffsetDateTime logicalDate) {
    byte[] b = new byte[4];
    ThreadLocalRandom.current().nextBytes(b);
    return "touchpoint__" + (logicalDate == null ? Instant.now().toString() : logicalDate.toString()) + "__"
        + HexFormat.of().formatHex(b);
  }

  @FunctionalInterface
  interface Call<T> {
    T run() throws ApiException;
  }

  private <T> T call(String action, String subject, String conflictSubject, Call<T> request) {
    return call(action, subject, conflictSubject, request, null);
  }

  /**
   * One API call with retries: 429, 5xx and refused connections are retried with back-off, a 401
   * refreshes the token once; the rest become errors that name the action and the fix. When
   * {@code afterConflict} is given, a 409 on a retry (the first attempt did go through) returns it.
   */
  private <T> T call(String action, String subject, String conflictSubject, Call<T> request, Call<T> afterConflict) {
    Backoff backoff = settings.backoff();
    boolean refreshed = false;
    String last = null;
    for (int attempt = 1; attempt <= backoff.attempts(); attempt++) {
      try {
        return request.run();
      } catch (ApiException e) {
        int code = e.getCode();
        if (code == 0 && e.getCause() instanceof com.fasterxml.jackson.core.JacksonException) {
          throw new IllegalStateException(action + ": the client could not write or read JSON (a bug)", e);
        }
        String detail = detail(json, e.getResponseBody());
        if (code == 401 && !refreshed) {
          refreshed = true;
          token.refresh();
          attempt--;
          continue;
        }
        if (code == 409 && afterConflict != null && attempt > 1) {
          try {
            return afterConflict.run();
          } catch (ApiException again) {
            throw failure(action, subject, conflictSubject, again.getCode(), detail(json, again.getResponseBody()));
          }
        }
        boolean retriable = code == 0 || code == 429 || code >= 500;
        if (!retriable) {
          throw failure(action, subject, conflictSubject, code, detail);
        }
        last = code == 0 ? "no answer (" + rootCause(e) + ")" : String.valueOf(code);
        if (attempt < backoff.attempts()) {
          Duration wait = backoff.delay(attempt, retryAfter(e));
          LOG.warn("{}: Airflow answered {}; retrying in {} ms (attempt {} of {})", action, last, wait.toMillis(),
              attempt + 1, backoff.attempts());
          sleep(wait);
        }
      }
    }
    if (last != null && last.startsWith("no answer")) {
      throw Errors.airflowUnreachable(action, settings.baseUrl().toString(), last.substring("no answer (".length(),
          last.length() - 1) + ", " + backoff.attempts() + " attempts");
    }
    throw Errors.airflowFailing(action, backoff.attempts(), last);
  }

  private TouchpointException failure(String action, String subject, String conflictSubject, int code, String detail) {
    return switch (code) {
      case 401 -> Errors.airflowUnauthorized(action, settings.baseUrl().toString(), detail);
      case 403 -> Errors.airflowForbidden(action, detail);
      case 404 -> Errors.airflowNotFound(action, subject, detail);
      case 409 -> Errors.airflowConflict(action, conflictSubject != null ? conflictSubject : subject, detail);
      default -> Errors.airflowRejected(action, code, detail);
    };
  }

  private static String retryAfter(ApiException e) {
    return e.getResponseHeaders() == null ? null : e.getResponseHeaders().firstValue("Retry-After").orElse(null);
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName();
  }

  /** The server's explanation from an error body ({@code {"detail": ...}}), as ": text" or "". */
  static String detail(ObjectMapper json, String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    try {
      JsonNode d = json.readTree(body).get("detail");
      if (d == null) {
        return "";
      }
      String text = d.isTextual() ? d.asText() : d.toString();
      return ": " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
    } catch (IOException e) {
      return "";
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(Math.max(0, d.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Airflow", e);
    }
  }
}
