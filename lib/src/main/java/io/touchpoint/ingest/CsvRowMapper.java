package io.touchpoint.ingest;

import java.io.Serializable;
import java.util.Set;

/** Maps a CSV line to the values of its bronze row, or rejects it. */
interface CsvRowMapper extends Serializable {
  Object[] map(CsvRecord record, ParseContext ctx) throws RowRejected;

  /** The business key for duplicate detection inside one file, or null for none. */
  String key(Object[] values);

  /** Header columns that hold a phone or e-mail: masked in a rejected line whose fields line up with the header. */
  default Set<String> personalColumns() {
    return Set.of();
  }

  /**
   * Whether the file carries free-form names (buyer nicks), which no pattern can recognise: its
   * rejected lines keep only plain values and {@link #vocabulary()} words (see {@link Quarantine}).
   */
  default boolean carriesNames() {
    return false;
  }

  /** Values that are safe to show in a rejected line of a file with names (statuses, types). */
  default Set<String> vocabulary() {
    return Set.of();
  }
}
