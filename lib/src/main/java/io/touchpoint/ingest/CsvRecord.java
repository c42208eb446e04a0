package io.touchpoint.ingest;

import java.util.Map;

/** One split CSV line, read by column name. */
final class CsvRecord {
  private final Map<String, Integer> index;
  private final String[] fields;

  CsvRecord(Map<String, Integer> index, String[] fields) {
    this.index = index;
    this.fields = fields;
  }

  String text(String column) {
    Integer i = index.get(column);
    return i == null ? null : fields[i];
  }
}
