package io.touchpoint.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.errors.Errors;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

/**
 * The JWT every API call carries. Hand-written because {@code POST /auth/token} is not an operation
 * of Airflow's OpenAPI spec: the user and password go in a JSON body, the token comes back as
 * {@code access_token}. With a token file the file is read instead (and read again on refresh, so a
 * rotated token is picked up).
 */
final class BearerToken {
  private final AirflowSettings settings;
  private final HttpClient http;
  private final ObjectMapper json;
  private volatile String token;

  BearerToken(AirflowSettings settings, HttpClient http, ObjectMapper json) {
    this.settings = settings;
    this.http = http;
    this.json = json;
  }

  String current() {
    String t = token;
    if (t == null) {
      t = refresh();
    }
    return t;
  }

  synchronized String refresh() {
    token = settings.tokenFile() != null ? readFile() : login();
    return token;
  }

  private String readFile() {
    try {
      String t = Files.readString(settings.tokenFile(), StandardCharsets.UTF_8).trim();
      if (t.isEmpty()) {
        throw Errors.config("read the Airflow token file " + settings.tokenFile(), "it is empty",
            "Write a token from `POST /auth/token` into it");
      }
      return t;
    } catch (IOException e) {
      throw Errors.config("read the Airflow token file " + settings.tokenFile(), e.getClass().getSimpleName(),
          "Check TOUCHPOINT_AIRFLOW_TOKEN_FILE / airflow.token-file points at a readable file");
    }
  }

  private String login() {
    String action = "log in to Airflow as " + settings.user();
    URI uri = URI.create(settings.baseUrl() + "/auth/token");
    HttpResponse<String> response;
    try {
      String body = json.writeValueAsString(Map.of("username", settings.user(), "password", settings.password()));
      response = http.send(HttpRequest.newBuilder(uri).timeout(settings.requestTimeout())
              .header("Content-Type", "application/json").header("Accept", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw Errors.airflowUnreachable(action, settings.baseUrl().toString(), e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.airflowUnreachable(action, settings.baseUrl().toString(), "interrupted");
    }
    int code = response.statusCode();
    if (code == 401 || code == 403) {
      throw Errors.airflowUnauthorized(action, settings.baseUrl().toString(), AirflowClient.detail(json, response.body()));
    }
    if (code / 100 != 2) {
      throw Errors.airflowUnreachable(action, settings.baseUrl().toString(), "POST /auth/token answered " + code);
    }
    try {
      JsonNode token = json.readTree(response.body()).get("access_token");
      if (token == null || !token.isTextual() || token.asText().isEmpty()) {
        throw Errors.airflowUnreachable(action, settings.baseUrl().toString(), "POST /auth/token returned no access_token");
      }
      return token.asText();
    } catch (IOException e) {
      throw Errors.airflowUnreachable(action, settings.baseUrl().toString(), "POST /auth/token returned no JSON");
    }
  }
}
