package io.touchpoint.ingest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Typed reading of export values; each failure is a {@link RowRejected} with its reason. */
final class Fields {
  private static final DateTimeFormatter LOCAL =
      new DateTimeFormatterBuilder().appendPattern("yyyy-MM-dd[ ]['T']HH:mm:ss").toFormatter();
  private static final DateTimeFormatter LOCAL_WITH_OFFSET =
      new DateTimeFormatterBuilder().append(LOCAL).appendOffset("+HH:MM", "Z").toFormatter();

  static final int MAX_ITEMS = 10_000;

  private Fields() {}

  static String required(String value, String column) throws RowRejected {
    if (value == null || value.isBlank()) {
      throw new RowRejected(RejectReason.MISSING_VALUE, column + " is empty");
    }
    return value.trim();
  }

  static String optional(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  static BigDecimal amount(String raw, String column, ParseContext ctx) throws RowRejected {
    String s = required(raw, column);
    BigDecimal v;
    try {
      v = new BigDecimal(s);
    } catch (NumberFormatException e) {
      throw new RowRejected(RejectReason.NON_NUMERIC_AMOUNT,
          column + " '" + clip(s) + "' is not a plain decimal number (no currency sign or unit, e.g. 120.80)");
    }
    if (v.abs().compareTo(ctx.maxAmountCny()) > 0) {
      throw new RowRejected(RejectReason.ABSURD_AMOUNT,
          column + " " + v.toPlainString() + " exceeds the bound " + ctx.maxAmountCny().toPlainString());
    }
    return v.setScale(2, RoundingMode.HALF_UP);
  }

  static long count(String raw, String column) throws RowRejected {
    String s = required(raw, column);
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new RowRejected(RejectReason.NON_NUMERIC_AMOUNT, column + " '" + clip(s) + "' is not a whole number");
    }
  }

  /** A count that cannot be negative (impressions, clicks). */
  static long nonNegativeCount(String raw, String column) throws RowRejected {
    long v = count(raw, column);
    if (v < 0) {
      throw new RowRejected(RejectReason.NEGATIVE_AMOUNT, column + " " + v + " is negative");
    }
    return v;
  }

  /** An item count of a ticket: negative on refunds, never beyond {@code ±MAX_ITEMS}. */
  static int items(String raw, String column) throws RowRejected {
    long v = count(raw, column);
    if (Math.abs(v) > MAX_ITEMS) {
      throw new RowRejected(RejectReason.ABSURD_AMOUNT, column + " " + v + " is not a plausible item count (at most " + MAX_ITEMS + ")");
    }
    return (int) v;
  }

  /** A local time that must carry its UTC offset ({@code 2026-01-05 14:23:11+08:00}). */
  static Instant offsetTime(String raw, String column, ParseContext ctx) throws RowRejected {
    String s = required(raw, column);
    Instant t;
    try {
      t = OffsetDateTime.parse(s, LOCAL_WITH_OFFSET).toInstant();
    } catch (DateTimeParseException e) {
      try {
        LocalDateTime.parse(s, LOCAL);
        throw new RowRejected(RejectReason.BAD_TIMESTAMP,
            column + " '" + clip(s) + "' has no UTC offset (expected e.g. 2026-01-05 14:23:11+08:00)");
      } catch (DateTimeParseException e2) {
        throw new RowRejected(RejectReason.BAD_TIMESTAMP, column + " '" + clip(s) + "' is not a timestamp");
      }
    }
    return inRange(t, column, ctx);
  }

  /** A UTC ISO-8601 instant ({@code 2026-01-05T06:23:11Z}); an explicit offset is accepted too. */
  static Instant utcTime(String raw, String column, ParseContext ctx) throws RowRejected {
    String s = required(raw, column);
    Instant t;
    try {
      t = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new RowRejected(RejectReason.BAD_TIMESTAMP,
          column + " '" + clip(s) + "' is not an ISO-8601 UTC timestamp (expected e.g. 2026-01-05T06:23:11Z)");
    }
    return inRange(t, column, ctx);
  }

  /**
   * A local wall-clock time without offset, read in the context's zone (marketplace exports). An
   * explicit offset is unambiguous and accepted too.
   */
  static Instant localTime(String raw, String column, ParseContext ctx) throws RowRejected {
    String s = required(raw, column);
    Instant t;
    try {
      t = LocalDateTime.parse(s, LOCAL).atZone(ctx.zone()).toInstant();
    } catch (DateTimeParseException e) {
      try {
        t = OffsetDateTime.parse(s, LOCAL_WITH_OFFSET).toInstant();
      } catch (DateTimeParseException e2) {
        throw new RowRejected(RejectReason.BAD_TIMESTAMP, column + " '" + clip(s) + "' is not a timestamp");
      }
    }
    return inRange(t, column, ctx);
  }

  /**
   * A sale's or touch's time must fall on the export date (Asia/Shanghai): the folder date is the
   * business day the file covers, so a row of another day is in the wrong export.
   */
  static Instant onExportDay(Instant t, String column, ParseContext ctx) throws RowRejected {
    LocalDate day = LocalDate.ofInstant(t, ctx.zone());
    if (!day.equals(ctx.exportDate())) {
      throw new RowRejected(RejectReason.WRONG_DATE, column + " " + t + " is on " + day + " (" + ctx.zone()
          + "), not the export date " + ctx.exportDate() + " (re-deliver it in the folder of its own date)");
    }
    return t;
  }

  static Instant inRange(Instant t, String column, ParseContext ctx) throws RowRejected {
    if (t.isAfter(ctx.latestAllowed())) {
      throw new RowRejected(RejectReason.FUTURE_TIMESTAMP,
          column + " " + t + " is after the export day " + ctx.exportDate());
    }
    if (t.isBefore(ctx.earliestAllowed())) {
      throw new RowRejected(RejectReason.BAD_TIMESTAMP, column + " " + t + " is before 2000-01-01");
    }
    return t;
  }

  static LocalDate date(String raw, String column) throws RowRejected {
    String s = required(raw, column);
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw new RowRejected(RejectReason.BAD_TIMESTAMP, column + " '" + clip(s) + "' is not a date (YYYY-MM-DD)");
    }
  }

  static String oneOf(String raw, String column, Set<String> allowed) throws RowRejected {
    String s = required(raw, column);
    if (!allowed.contains(s)) {
      throw new RowRejected(RejectReason.UNKNOWN_VALUE, column + " '" + clip(s) + "' is not one of " + allowed);
    }
    return s;
  }

  static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
