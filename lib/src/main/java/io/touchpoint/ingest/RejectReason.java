package io.touchpoint.ingest;

/** Why an export row was quarantined instead of landing in bronze. Stored as {@code reason_code}. */
public enum RejectReason {
  /**
   * Broken quoting, truncated JSON, a line cut off at the end of a truncated file, a repeated
   * header line, a JSON value that is not one object.
   */
  MALFORMED_LINE,
  /** A CSV line with more or fewer fields than the header. */
  WRONG_FIELD_COUNT,
  /** An exact copy of an earlier line of the same file. */
  DUPLICATE_ROW,
  /** Same business key as an earlier row of the same file, different content. */
  DUPLICATE_KEY,
  /** A required value is empty. */
  MISSING_VALUE,
  /**
   * The file lacks a usable required column (absent, renamed, repeated or of the wrong type), so
   * none of its rows can be read.
   */
  MISSING_COLUMN,
  /** The file cannot be decoded in its declared encoding (nor in the usual alternative). */
  UNDECODABLE_FILE,
  /** One line's bytes are not valid in the encoding of the rest of its file (e.g. a GBK line in a UTF-8 file). */
  UNDECODABLE_LINE,
  /** A value longer than any the contract allows ({@value FileParser#MAX_FIELD_CHARS} characters): a broken export or a dump. */
  FIELD_TOO_LONG,
  NON_NUMERIC_AMOUNT,
  /** A negative amount on a sale (refunds are the only negative rows allowed), or a negative count. */
  NEGATIVE_AMOUNT,
  /** An amount beyond the plausible bound (default ¥1,000,000 per order), or an implausible item count. */
  ABSURD_AMOUNT,
  UNKNOWN_CHANNEL,
  /** A value outside its allowed set (status, tier, event type, identifier type, payment method). */
  UNKNOWN_VALUE,
  BAD_TIMESTAMP,
  /** A timestamp after the end of the export day plus one day of tolerance. */
  FUTURE_TIMESTAMP,
  /**
   * A row dated on another day than the export it came in: spend_date, or a sale's / touch's time
   * outside the export date in Asia/Shanghai.
   */
  WRONG_DATE,
  /** A refund without the order it refunds. */
  MISSING_REFERENCE
}
