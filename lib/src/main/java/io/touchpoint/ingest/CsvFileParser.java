package io.touchpoint.ingest;

import io.touchpoint.pii.Pii;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Generic CSV export parser: strict decoding (declared charset first, then the alternatives, the
 * first one whose header carries the required columns wins), header lookup by name (extra columns
 * are noted, missing required ones quarantine the whole file), then one {@link CsvRowMapper} call
 * per line. Blank lines are not rows.
 */
final class CsvFileParser implements FileParser {
  private final List<Charset> charsets;
  private final List<String> requiredColumns;
  private final CsvRowMapper mapper;

  CsvFileParser(List<Charset> charsets, List<String> requiredColumns, CsvRowMapper mapper) {
    this.charsets = List.copyOf(charsets);
    this.requiredColumns = List.copyOf(requiredColumns);
    this.mapper = mapper;
  }

  @Override
  public FileSummary parse(String file, byte[] bytes, ParseContext ctx, RecordSink sink) {
    DecodedText chosen = null;
    DecodedText firstDecodable = null;
    for (Charset cs : charsets) {
      DecodedText t = DecodedText.decode(bytes, cs);
      if (t == null) {
        continue;
      }
      if (firstDecodable == null) {
        firstDecodable = t;
      }
      if (!t.lines().isEmpty() && missing(header(t.lines().get(0))).isEmpty()) {
        chosen = t;
        break;
      }
    }
    List<String> notes = new ArrayList<>();
    if (chosen == null) {
      if (firstDecodable == null) {
        rejectAllLines(bytes, sink, RejectReason.UNDECODABLE_FILE,
            "file is not valid " + charsets + "; re-export it in its declared encoding " + charsets.get(0));
        return new FileSummary("undecodable", List.of("not valid in " + charsets));
      }
      List<String> lines = firstDecodable.lines();
      String detail = lines.isEmpty() ? "file is empty (no header)"
          : "header lacks required column(s) " + missing(header(lines.get(0)));
      for (int i = 1; i < lines.size(); i++) {
        if (!lines.get(i).isBlank()) {
          sink.reject(i, RejectReason.MISSING_COLUMN, detail, Pii.mask(lines.get(i)));
        }
      }
      return new FileSummary(firstDecodable.charset().name(), List.of(detail));
    }
    if (!chosen.charset().equals(charsets.get(0))) {
      notes.add("declared " + charsets.get(0).name() + " but the file is " + chosen.charset().name());
    }
    List<String> header = header(chosen.lines().get(0));
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      index.putIfAbsent(header.get(i), i);
    }
    List<String> extra = new ArrayList<>(header);
    extra.removeAll(requiredColumns);
    if (!extra.isEmpty()) {
      notes.add("extra column(s) ignored: " + extra);
    }
    Set<String> seenLines = new HashSet<>();
    Map<String, Long> seenKeys = new HashMap<>();
    List<String> lines = chosen.lines();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      long row = i;
      try {
        if (!seenLines.add(line)) {
          throw new RowRejected(RejectReason.DUPLICATE_ROW, "same as an earlier line of this file");
        }
        String[] fields = CsvLine.split(line, ',');
        if (fields.length != header.size()) {
          throw new RowRejected(RejectReason.WRONG_FIELD_COUNT,
              fields.length + " fields where the header has " + header.size());
        }
        Object[] values = mapper.map(new CsvRecord(index, fields), ctx);
        String key = mapper.key(values);
        if (key != null) {
          Long first = seenKeys.putIfAbsent(key, row);
          if (first != null) {
            throw new RowRejected(RejectReason.DUPLICATE_KEY, "key '" + key + "' already on row " + first);
          }
        }
        sink.accept(row, values);
      } catch (RowRejected r) {
        sink.reject(row, r.reason(), Pii.mask(r.getMessage()), Pii.mask(line));
      }
    }
    return new FileSummary(chosen.charset().name(), notes);
  }

  private List<String> missing(List<String> header) {
    List<String> m = new ArrayList<>(requiredColumns);
    m.removeAll(header);
    return m;
  }

  private static List<String> header(String line) {
    try {
      List<String> out = new ArrayList<>();
      for (String h : CsvLine.split(line, ',')) {
        out.add(h.trim());
      }
      return out;
    } catch (RowRejected e) {
      return List.of();
    }
  }

  static void rejectAllLines(byte[] bytes, RecordSink sink, RejectReason reason, String detail) {
    int lines = 0;
    boolean content = false;
    for (byte b : bytes) {
      if (b == '\n') {
        lines++;
        content = false;
      } else {
        content = true;
      }
    }
    if (content) {
      lines++;
    }
    for (int row = 1; row < lines; row++) {
      sink.reject(row, reason, detail, null);
    }
  }
}
