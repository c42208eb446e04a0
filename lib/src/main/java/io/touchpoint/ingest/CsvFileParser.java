package io.touchpoint.ingest;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Generic CSV export parser. The header line picks the encoding (declared charset first, then the
 * alternatives: the first in which the header decodes and carries every required column wins);
 * columns are looked up by name (extra ones are noted; a missing, renamed or repeated required one
 * quarantines the whole file). Each data line is then decoded on its own in that encoding and
 * passed to one {@link CsvRowMapper} call. Blank lines are not rows; a data row's number is its
 * line number counted from the header (the header is line 0).
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
  public FileSummary parse(String file, byte[] bytes, ParseContext ctx, RecordSink out) {
    TextLines lines = TextLines.split(bytes);
    int h = 0;
    while (h < lines.size() && lines.blank(h)) {
      h++;
    }
    if (h == lines.size()) {
      throw new UnreadableFileException(file, "it is empty (" + bytes.length + " bytes, not even the header line)",
          "Ask the source to re-deliver it; a day without rows is a file holding only the header line", null);
    }
    FileTally sink = new FileTally(out);
    Charset chosen = null;
    Charset firstDecodable = null;
    List<String> header = null;
    String headerText = null;
    for (Charset cs : charsets) {
      if (lines.utf8Bom() && !cs.equals(StandardCharsets.UTF_8)) {
        continue;
      }
      String text = lines.decode(h, cs);
      if (text == null) {
        continue;
      }
      List<String> columns = header(text);
      if (firstDecodable == null) {
        firstDecodable = cs;
        header = columns;
        headerText = text;
      }
      if (missing(columns).isEmpty() && repeated(columns).isEmpty()) {
        chosen = cs;
        header = columns;
        headerText = text;
        break;
      }
    }
    List<String> notes = new ArrayList<>();
    if (chosen == null) {
      String detail;
      RejectReason reason;
      if (firstDecodable == null) {
        reason = RejectReason.UNDECODABLE_FILE;
        detail = "the header line is not valid " + names(charsets)
            + (lines.utf16Bom() ? " (the file starts with a UTF-16 byte-order mark)" : "")
            + "; re-export the file in its declared encoding " + charsets.get(0).name();
      } else {
        reason = RejectReason.MISSING_COLUMN;
        detail = headerProblem(header);
      }
      // A first line with none of the columns is data, not a header: it is a row like the others.
      boolean headerless = firstDecodable != null && requiredColumns.stream().noneMatch(header::contains);
      if (headerless) {
        detail = "the file has no header line (its first line names none of the columns " + requiredColumns
            + "); re-export it with the header";
      }
      int first = headerless ? h : h + 1;
      for (int i = first; i < lines.size(); i++) {
        if (!lines.blank(i)) {
          String shown = reason == RejectReason.UNDECODABLE_FILE ? null : raw(lines.lenient(i, firstDecodable), null);
          sink.reject(i - first + 1, reason, detail, shown);
        }
      }
      notes.add(detail);
      sink.addNotes(notes, ctx);
      return new FileSummary(firstDecodable == null ? "undecodable" : firstDecodable.name(), notes);
    }
    if (!chosen.equals(charsets.get(0))) {
      notes.add("declared " + charsets.get(0).name() + " but the file is " + chosen.name());
    }
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      index.putIfAbsent(header.get(i), i);
    }
    List<String> extra = new ArrayList<>(header);
    extra.removeAll(requiredColumns);
    if (!extra.isEmpty()) {
      notes.add(Quarantine.detail("extra column(s) ignored: " + shown(extra)));
    }
    Set<Integer> personal = new HashSet<>();
    mapper.personalColumns().forEach(c -> personal.add(index.get(c)));
    Set<String> seenLines = new HashSet<>();
    Map<String, Long> seenKeys = new HashMap<>();
    for (int i = h + 1; i < lines.size(); i++) {
      if (lines.blank(i)) {
        continue;
      }
      long row = i - h;
      String line = lines.decode(i, chosen);
      String[] fields = null;
      try {
        if (i == lines.size() - 1 && lines.lastLineCut()) {
          throw new RowRejected(RejectReason.MALFORMED_LINE,
              "the file ends inside this line (no line break after it): the file was cut off; ask for it to be re-delivered");
        }
        if (line == null) {
          throw new RowRejected(RejectReason.UNDECODABLE_LINE, "the line is not valid " + chosen.name()
              + " like the rest of the file; re-export the file in one encoding");
        }
        if ((line.startsWith("\uFEFF") ? line.substring(1) : line).equals(headerText)) {
          throw new RowRejected(RejectReason.MALFORMED_LINE, "the header line again (two exports joined into one file?)");
        }
        if (!seenLines.add(line)) {
          throw new RowRejected(RejectReason.DUPLICATE_ROW, "same as an earlier line of this file");
        }
        fields = CsvLine.split(line, ',');
        if (fields.length != header.size()) {
          throw new RowRejected(RejectReason.WRONG_FIELD_COUNT,
              fields.length + " fields where the header has " + header.size());
        }
        for (int k = 0; k < fields.length; k++) {
          if (fields[k].length() > MAX_FIELD_CHARS) {
            throw new RowRejected(RejectReason.FIELD_TOO_LONG, "column " + header.get(k) + " holds "
                + fields[k].length() + " characters (at most " + MAX_FIELD_CHARS + ")");
          }
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
        String text = line != null ? line : lines.lenient(i, chosen);
        String[] lined = fields != null && fields.length == header.size() ? fields : null;
        sink.reject(row, r.reason(), detail(r.getMessage(), text), raw(text, lined == null ? null : mask(lined, personal)));
      }
    }
    sink.addNotes(notes, ctx);
    return new FileSummary(chosen.name(), notes);
  }

  private String raw(String line, String[] maskedFields) {
    if (mapper.carriesNames()) {
      return Quarantine.rawWithNames(line, mapper.vocabulary());
    }
    return Quarantine.raw(maskedFields == null ? line : CsvLine.join(maskedFields, ','));
  }

  private String detail(String detail, String line) {
    return mapper.carriesNames() ? Quarantine.detailWithNames(detail, line, mapper.vocabulary()) : Quarantine.detail(detail);
  }

  private static String[] mask(String[] fields, Set<Integer> personal) {
    String[] out = fields.clone();
    for (Integer k : personal) {
      if (k != null && !out[k].isBlank()) {
        out[k] = Quarantine.MASK;
      }
    }
    return out;
  }

  private String headerProblem(List<String> header) {
    List<String> missing = missing(header);
    List<String> repeated = repeated(header);
    List<String> unexpected = new ArrayList<>(header);
    unexpected.removeAll(requiredColumns);
    StringBuilder sb = new StringBuilder();
    if (!missing.isEmpty()) {
      sb.append("header lacks required column(s) ").append(missing);
      if (!unexpected.isEmpty()) {
        sb.append(" and has unexpected ").append(shown(unexpected.subList(0, Math.min(5, unexpected.size()))))
            .append(" (renamed?)");
      }
    }
    if (!repeated.isEmpty()) {
      sb.append(sb.length() > 0 ? "; " : "").append("header repeats column(s) ").append(repeated)
          .append(", so which one holds the value is ambiguous");
    }
    return Quarantine.detail(sb.toString());
  }

  /**
   * Column names as they may be shown: a file without its header line offers its first data line
   * as the header, so names in a file with names are masked like data.
   */
  private List<String> shown(List<String> columns) {
    if (!mapper.carriesNames()) {
      return columns;
    }
    return columns.stream().map(c -> Quarantine.plain(c, mapper.vocabulary()) ? c : Quarantine.MASK).toList();
  }

  private List<String> missing(List<String> header) {
    List<String> m = new ArrayList<>(requiredColumns);
    m.removeAll(header);
    return m;
  }

  private List<String> repeated(List<String> header) {
    Set<String> seen = new HashSet<>();
    Set<String> twice = new LinkedHashSet<>();
    for (String c : header) {
      if (!seen.add(c) && requiredColumns.contains(c)) {
        twice.add(c);
      }
    }
    return new ArrayList<>(twice);
  }

  private static List<String> names(List<Charset> charsets) {
    return charsets.stream().map(Charset::name).toList();
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
}
