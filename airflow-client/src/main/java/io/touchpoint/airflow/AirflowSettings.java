package io.touchpoint.airflow;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where Airflow is and how to log in: its base URL (the API server, e.g. {@code http://airflow:8080})
 * and either a user and password (exchanged for a JWT at {@code POST /auth/token}) or a file holding
 * a token. Resolved from the environment or the config file by the caller, never from the command
 * line; {@link #toString()} never shows the password.
 */
public record AirflowSettings(URI baseUrl, String user, String password, Path tokenFile, Backoff backoff,
    Duration requestTimeout) {

  public AirflowSettings {
    String u = baseUrl.toString();
    baseUrl = URI.create(u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
  }

  public static AirflowSettings withPassword(URI baseUrl, String user, String password) {
    return new AirflowSettings(baseUrl, user, password, null, Backoff.DEFAULT, Duration.ofSeconds(30));
  }

  public static AirflowSettings withTokenFile(URI baseUrl, Path tokenFile) {
    return new AirflowSettings(baseUrl, null, null, tokenFile, Backoff.DEFAULT, Duration.ofSeconds(30));
  }

  public AirflowSettings withBackoff(Backoff b) {
    return new AirflowSettings(baseUrl, user, password, tokenFile, b, requestTimeout);
  }

  @Override
  public String toString() {
    return "AirflowSettings[" + baseUrl + ", " + (tokenFile != null ? "token file " + tokenFile : "user " + user) + "]";
  }
}
