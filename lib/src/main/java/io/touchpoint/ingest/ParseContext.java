package io.touchpoint.ingest;

import io.touchpoint.catalog.Channels;
import io.touchpoint.pii.Pii;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * What a parser needs to know besides the bytes: the export date (folder date), the business
 * time zone, the HMAC for personal data and the channel catalogue.
 *
 * @param maxAmountCny amounts above this (absolute) are {@link RejectReason#ABSURD_AMOUNT}
 */
public record ParseContext(
    LocalDate exportDate, ZoneId zone, Pii pii, Channels channels, BigDecimal maxAmountCny)
    implements Serializable {

  public static final BigDecimal DEFAULT_MAX_AMOUNT_CNY = new BigDecimal("1000000");
  public static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  public static ParseContext of(LocalDate exportDate, Pii pii, Channels channels) {
    return new ParseContext(exportDate, SHANGHAI, pii, channels, DEFAULT_MAX_AMOUNT_CNY);
  }

  /** Latest accepted instant: end of the export day plus one day of clock-skew tolerance. */
  public Instant latestAllowed() {
    return exportDate.plusDays(2).atStartOfDay(zone).toInstant();
  }

  /** Earliest accepted instant for events (member registrations may be older: see callers). */
  public Instant earliestAllowed() {
    return LocalDate.of(2000, 1, 1).atStartOfDay(zone).toInstant();
  }
}
