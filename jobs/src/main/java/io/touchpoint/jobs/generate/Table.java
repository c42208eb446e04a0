package io.touchpoint.jobs.generate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One export file before it is written: its columns, its rows as text (null = absent), and what
 * the defect injector did to it. Rows in {@link #raw} are written verbatim (malformed lines).
 */
final class Table {
  enum Format { CSV, JSONL, PARQUET }

  /**
   * Which columns play which part, for defect injection: the amount, the event time, the channel,
   * the column (and value) that marks a sale row, and the column dropped by missing_column.
   */
  record Roles(String amount, String time, String channel, String saleColumn, String saleValue, String required,
      Set<String> numeric) {}

  private static final JsonFactory JSON = new JsonFactory();
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

  final String source;
  final String file;
  final Format format;
  final Charset charset;
  final boolean bom;
  final Roles roles;
  final List<String> columns;
  final List<String[]> rows = new ArrayList<>();
  final TreeMap<Integer, String> raw = new TreeMap<>();
  Charset writtenCharset;

  Table(String source, String file, Format format, Charset charset, boolean bom, Roles roles, List<String> columns) {
    this.source = source;
    this.file = file;
    this.format = format;
    this.charset = charset;
    this.bom = bom;
    this.roles = roles;
    this.columns = new ArrayList<>(columns);
    this.writtenCharset = charset;
  }

  void add(String... row) {
    rows.add(row);
  }

  int column(String name) {
    return columns.indexOf(name);
  }

  boolean isSale(String[] row) {
    if (roles.saleColumn() == null) {
      return false;
    }
    String v = row[column(roles.saleColumn())];
    return roles.saleValue().equals(v == null ? "" : v);
  }

  void dropColumn(String name) {
    int k = column(name);
    columns.remove(k);
    for (int i = 0; i < rows.size(); i++) {
      String[] row = rows.get(i);
      String[] out = new String[row.length - 1];
      System.arraycopy(row, 0, out, 0, k);
      System.arraycopy(row, k + 1, out, k, row.length - k - 1);
      rows.set(i, out);
    }
  }

  String header() {
    return format == Format.CSV ? csv(columns.toArray(String[]::new)) : null;
  }

  String line(int index) {
    String r = raw.get(index);
    return r != null ? r : line(rows.get(index));
  }

  String line(String[] row) {
    return format == Format.JSONL ? json(row) : csv(row);
  }

  static String csv(String[] row) {
    StringBuilder s = new StringBuilder(128);
    for (int i = 0; i < row.length; i++) {
      if (i > 0) {
        s.append(',');
      }
      String v = row[i];
      if (v == null) {
        continue;
      }
      if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
        s.append('"').append(v.replace("\"", "\"\"")).append('"');
      } else {
        s.append(v);
      }
    }
    return s.toString();
  }

  private String json(String[] row) {
    StringWriter w = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      for (int i = 0; i < row.length; i++) {
        String name = columns.get(i);
        String v = row[i];
        if (v == null) {
          g.writeNullField(name);
        } else if (roles.numeric().contains(name) && NUMBER.matcher(v).matches()) {
          g.writeFieldName(name);
          g.writeNumber(v);
        } else {
          g.writeStringField(name, v);
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }
}
