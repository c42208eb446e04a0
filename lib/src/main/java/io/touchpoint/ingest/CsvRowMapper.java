package io.touchpoint.ingest;

import java.io.Serializable;

/** Maps a CSV line to the values of its bronze row, or rejects it. */
interface CsvRowMapper extends Serializable {
  Object[] map(CsvRecord record, ParseContext ctx) throws RowRejected;

  /** The business key for duplicate detection inside one file, or null for none. */
  String key(Object[] values);
}
