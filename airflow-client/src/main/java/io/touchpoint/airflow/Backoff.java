package io.touchpoint.airflow;

import java.time.Duration;

/**
 * Exponential back-off for retried requests (429 and 5xx, refused connections): the n-th retry
 * waits {@code initial * 2^(n-1)}, at most {@code max}, or what the server's {@code Retry-After}
 * asks for (also capped by {@code max}).
 */
public record Backoff(int attempts, Duration initial, Duration max) {
  public static final Backoff DEFAULT = new Backoff(5, Duration.ofMillis(500), Duration.ofSeconds(30));

  public Backoff {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
    }
  }

  /** The wait before retry number {@code retry} (1 = first retry). */
  public Duration delay(int retry, String retryAfterSeconds) {
    if (retryAfterSeconds != null) {
      try {
        Duration asked = Duration.ofSeconds(Long.parseLong(retryAfterSeconds.trim()));
        return asked.compareTo(max) > 0 ? max : asked;
      } catch (NumberFormatException e) {
        // an HTTP date: fall back to the exponential delay
      }
    }
    long ms = initial.toMillis() << Math.min(retry - 1, 20);
    return Duration.ofMillis(Math.min(ms, max.toMillis()));
  }
}
