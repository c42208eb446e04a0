package io.touchpoint.jobs.generate;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the exports write money and time. */
final class Formats {
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT);

  private Formats() {}

  static String money(long cents) {
    long a = Math.abs(cents);
    return (cents < 0 ? "-" : "") + (a / 100) + "." + (a % 100 < 10 ? "0" : "") + (a % 100);
  }

  /** Beijing local time with its offset: {@code 2026-01-05 14:23:11+08:00}. */
  static String localWithOffset(long epochSecond) {
    return local(epochSecond) + "+08:00";
  }

  /** Beijing local time without offset: {@code 2026-01-05 14:23:11}. */
  static String local(long epochSecond) {
    return LocalDateTime.ofEpochSecond(epochSecond, 0, World.SHANGHAI).format(LOCAL);
  }

  /** UTC ISO-8601: {@code 2026-01-05T06:23:11Z}. */
  static String utc(long epochSecond) {
    return LocalDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC).format(UTC);
  }
}
