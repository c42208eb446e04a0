package io.touchpoint.cli;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Plays Airflow 3's API server on a loopback port for the client tests. Each route answers from a
 * script; every request the client sends to {@code /api/v2} and every answer given is validated
 * against Airflow's official OpenAPI spec (the copy the client is generated from), and the
 * findings are kept for the test to assert empty. {@code POST /auth/token} is not in the spec and is
 * checked by the tests themselves.
 */
final class FakeAirflow implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PASSWORD = "s3cret-for-tests";
  static final String TOKEN = "jwt-token-1";
  private static OpenApiInteractionValidator validator;

  /** A received request: method, path, query, the Authorization header and the body. */
  record Exchange(String method, String path, Map<String, List<String>> query, String authorization, String body) {
    @SuppressWarnings("unchecked")
    Map<String, Object> json() {
      try {
        return JSON.readValue(body, Map.class);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  /** A scripted answer. */
  record Answer(int status, Object body, Map<String, String> headers) {
    static Answer ok(Object body) {
      return new Answer(200, body, Map.of());
    }

    static Answer status(int status, String detail) {
      return new Answer(status, Map.of("detail", detail), Map.of());
    }
  }

  private final HttpServer server;
  private final Map<String, Deque<Function<Exchange, Answer>>> routes = new LinkedHashMap<>();
  final List<Exchange> received = Collections.synchronizedList(new ArrayList<>());
  final List<String> specViolations = Collections.synchronizedList(new ArrayList<>());

  FakeAirflow() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      try {
        handle(ex);
      } catch (RuntimeException | Error e) {
        specViolations.add("the fake failed: " + e);
        e.printStackTrace();
        ex.sendResponseHeaders(500, -1);
        ex.close();
      }
    });
    server.start();
    on("POST /auth/token", x -> PASSWORD.equals(x.json().get("password")) && "touchpoint".equals(x.json().get("username"))
        ? new Answer(201, Map.of("access_token", TOKEN), Map.of())
        : Answer.status(401, "Invalid credentials"));
  }

  static synchronized OpenApiInteractionValidator validator() {
    if (validator == null) {
      Path spec = Path.of(System.getProperty("touchpoint.root", ".."), "airflow-client/src/main/openapi/airflow-rest-api-v2.yaml");
      // The spec says "openapi: 3.1.0" but is written in 3.0 style (nullable: true). Read as 3.1, the
      // validator takes every parameter for JSON ("Unable to parse JSON - Unrecognized token"), so
      // it gets the same document as 3.0.3, with the few 3.1-only keywords spelled the 3.0 way
      // (asOpenApi30). Those sit in schemas of calls the client never makes (bulk actions,
      // ClearTaskInstancesBody, ConfigOption, DAGRunsBatchBody, TaskInstancesBatchBody).
      String text;
      try {
        text = java.nio.file.Files.readString(spec);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      validator = OpenApiInteractionValidator.createForInlineApiSpecification(asOpenApi30(text)).build();
    }
    return validator;
  }

  /** "openapi: 3.0.3"; {@code const: X} as {@code enum: [X]}; tuple {@code prefixItems} as {@code items: {}}. */
  static String asOpenApi30(String spec) {
    if (!spec.contains("\nopenapi: 3.1.0\n")) {
      throw new AssertionError("the spec's version line changed; revisit asOpenApi30");
    }
    StringBuilder out = new StringBuilder();
    String[] lines = spec.replace("\nopenapi: 3.1.0\n", "\nopenapi: 3.0.3\n").split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String indent = line.substring(0, line.length() - line.stripLeading().length());
      String body = line.strip();
      if (body.startsWith("const: ")) {
        out.append(indent).append("enum: [").append(body.substring("const: ".length())).append("]\n");
      } else if (body.equals("prefixItems:")) {
        out.append(indent).append("items: {}\n");
        while (i + 1 < lines.length && (lines[i + 1].startsWith(indent + "- ") || lines[i + 1].startsWith(indent + " "))) {
          i++;
        }
      } else {
        out.append(line).append(i + 1 < lines.length ? "\n" : "");
      }
    }
    return out.toString();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The environment of a user with the right password. */
  Map<String, String> env() {
    return Map.of("TOUCHPOINT_AIRFLOW_URL", url(), "TOUCHPOINT_AIRFLOW_USER", "touchpoint", "TOUCHPOINT_AIRFLOW_PASSWORD", PASSWORD);
  }

  /**
   * Adds an answer for {@code "METHOD /path"}; answers are used in order and the last one repeats.
   */
  FakeAirflow on(String route, Function<Exchange, Answer> answer) {
    routes.computeIfAbsent(route, k -> new ArrayDeque<>()).addLast(answer);
    return this;
  }

  FakeAirflow reset(String route) {
    routes.remove(route);
    return this;
  }

  List<Exchange> requests(String method, String path) {
    synchronized (received) {
      return received.stream().filter(x -> x.method().equals(method) && x.path().equals(path)).toList();
    }
  }

  List<Exchange> apiRequests() {
    synchronized (received) {
      return received.stream().filter(x -> x.path().startsWith("/api/v2")).toList();
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath();
    Map<String, List<String>> query = query(ex.getRequestURI().getRawQuery());
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Exchange x = new Exchange(method, URLDecoder.decode(path, StandardCharsets.UTF_8), query,
        ex.getRequestHeaders().getFirst("Authorization"), body);
    received.add(x);
    boolean api = path.startsWith("/api/v2");
    if (api) {
      SimpleRequest.Builder b = new SimpleRequest.Builder(method, path);
      ex.getRequestHeaders().forEach((k, v) -> b.withHeader(k, v));
      query.forEach((k, v) -> b.withQueryParam(k, v));
      if (!body.isEmpty()) {
        b.withBody(body);
      }
      record(method + " " + path + " request", validator().validateRequest(b.build()));
    }
    Deque<Function<Exchange, Answer>> script = routes.get(method + " " + x.path());
    Answer a = script == null ? Answer.status(404, "no route " + method + " " + x.path() + " in the fake")
        : (script.size() > 1 ? script.pollFirst() : script.peekFirst()).apply(x);
    byte[] out = a.body() == null ? new byte[0] : JSON.writeValueAsBytes(a.body());
    if (api) {
      SimpleResponse.Builder r = SimpleResponse.Builder.status(a.status()).withContentType("application/json");
      if (out.length > 0) {
        r.withBody(new String(out, StandardCharsets.UTF_8));
      }
      record(method + " " + path + " " + a.status() + " response",
          validator().validateResponse(path, Request.Method.valueOf(method), r.build()));
    }
    ex.getResponseHeaders().add("Content-Type", "application/json");
    a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    ex.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      ex.getResponseBody().write(out);
    }
    ex.close();
  }

  private void record(String what, ValidationReport report) {
    // trigger_dag_run declares its dag_id path parameter without a type ("any"), which the validator
    // can only parse as JSON; every other parameter is typed and checked.
    boolean untypedDagId = what.matches("POST /api/v2/dags/[^/]+/dagRuns request");
    // The spec lists no 5xx answers (a proxy's 502/503 is nobody's contract); their bodies still
    // have to be what a client can read, so only the unknown status itself is let through.
    boolean serverError = what.matches(".* 5\\d\\d response");
    report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
        .filter(m -> !(untypedDagId && m.getKey().equals("validation.request.parameter.schema.invalidJson")))
        .filter(m -> !(serverError && m.getKey().equals("validation.response.status.unknown")))
        .forEach(m -> specViolations.add(what + ": " + m.getKey() + " " + m.getMessage()));
  }

  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, n -> new ArrayList<>()).add(v);
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // --- answers shaped as the spec's schemas ---

  static Map<String, Object> dag(String dagId, boolean paused) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("dag_id", dagId);
    d.put("dag_display_name", dagId);
    d.put("is_paused", paused);
    d.put("is_stale", false);
    d.put("fileloc", "/opt/airflow/dags/" + dagId + ".py");
    d.put("timetable_partitioned", false);
    d.put("tags", List.of(Map.of("name", "touchpoint", "dag_id", dagId, "dag_display_name", dagId)));
    d.put("max_active_tasks", 16);
    d.put("max_consecutive_failed_dag_runs", 0);
    d.put("has_task_concurrency_limits", false);
    d.put("has_import_errors", false);
    d.put("owners", List.of("data-platform"));
    d.put("file_token", "token");
    return d;
  }

  static Map<String, Object> run(String dagId, String runId, String logicalDate, String state) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("dag_run_id", runId);
    r.put("dag_id", dagId);
    r.put("logical_date", logicalDate);
    r.put("run_after", logicalDate == null ? "2026-04-01T00:00:00Z" : logicalDate);
    r.put("run_type", "manual");
    r.put("state", state);
    r.put("dag_versions", List.of(Map.of("id", "0b7c4a52-3a55-4c3b-9a7e-2f1d6f0c9b11", "version_number", 1, "dag_id", dagId,
        "created_at", "2026-03-01T00:00:00Z", "dag_display_name", dagId)));
    r.put("dag_display_name", dagId);
    if (state.equals("success") || state.equals("failed")) {
      r.put("end_date", "2026-04-01T01:00:00Z");
    }
    return r;
  }

  static Map<String, Object> runs(List<Map<String, Object>> runs) {
    return Map.of("dag_runs", runs, "total_entries", runs.size());
  }

  static Map<String, Object> asset(int id, String uri) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("id", id);
    a.put("name", uri.substring(uri.lastIndexOf('/') + 1));
    a.put("uri", uri);
    a.put("group", "asset");
    a.put("created_at", "2026-03-01T00:00:00Z");
    a.put("updated_at", "2026-03-01T00:00:00Z");
    a.put("scheduled_dags", List.of());
    a.put("producing_tasks", List.of());
    a.put("consuming_tasks", List.of());
    a.put("aliases", List.of());
    a.put("watchers", List.of());
    return a;
  }
}
