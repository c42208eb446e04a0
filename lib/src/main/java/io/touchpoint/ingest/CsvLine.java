package io.touchpoint.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one physical CSV line (RFC 4180 quoting, no embedded line breaks). Exports are parsed
 * line by line rather than with a streaming CSV library so that a broken line is quarantined with
 * its exact line number while the rest of the file still loads.
 */
final class CsvLine {
  private CsvLine() {}

  static String[] split(String line, char delimiter) throws RowRejected {
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = line.length();
    while (true) {
      field.setLength(0);
      if (i < n && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new RowRejected(RejectReason.MALFORMED_LINE, "unterminated quoted field " + (out.size() + 1));
          }
          char c = line.charAt(i);
          if (c == '"') {
            if (i + 1 < n && line.charAt(i + 1) == '"') {
              field.append('"');
              i += 2;
            } else {
              i++;
              break;
            }
          } else {
            field.append(c);
            i++;
          }
        }
        if (i < n && line.charAt(i) != delimiter) {
          throw new RowRejected(RejectReason.MALFORMED_LINE,
              "text after the closing quote of field " + (out.size() + 1));
        }
      } else {
        while (i < n && line.charAt(i) != delimiter) {
          char c = line.charAt(i);
          if (c == '"') {
            throw new RowRejected(RejectReason.MALFORMED_LINE, "stray quote in field " + (out.size() + 1));
          }
          field.append(c);
          i++;
        }
      }
      out.add(field.toString());
      if (i >= n) {
        return out.toArray(new String[0]);
      }
      i++; // delimiter
    }
  }

  /** Joins fields into one line, quoting those that hold the delimiter, a quote or a line break. */
  static String join(String[] fields, char delimiter) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        sb.append(delimiter);
      }
      String f = fields[i];
      if (f.indexOf(delimiter) >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
        sb.append('"').append(f.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(f);
      }
    }
    return sb.toString();
  }
}
