package io.touchpoint.attribution;

import io.touchpoint.errors.Errors;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Parses ChannelAttribution's path table (CSV, UTF-8, header row, fields quoted or not:
 * {@code path,total_conversions,total_conversion_value,total_null}) straight from bytes into
 * {@link Journeys}: channel names are trimmed and interned by their bytes, counts parsed without
 * creating strings. The input is cut into ~4 MB chunks at record ends (a newline outside quotes);
 * each chunk is copied into a reused heap buffer (array code compiles far faster than buffer
 * code, and no big fresh array is touched) and the chunks are parsed by parallel pieces with
 * local channel ids, joined in order of first appearance.
 */
public final class PathsCsv {
  private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
      1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

  private static final int CHUNK_BYTES = 4 << 20;

  private PathsCsv() {}

  /**
   * Column names and the path separator. {@code valueColumn} and {@code nullColumn} may be null:
   * that column is not read and counts as 0.
   */
  public record Format(String separator, String pathColumn, String conversionsColumn, String valueColumn,
      String nullColumn) {
    public static final String PATH = "path";
    public static final String CONVERSIONS = "total_conversions";
    public static final String VALUE = "total_conversion_value";
    public static final String NULLS = "total_null";

    public Format {
      if (separator == null || separator.isEmpty() || separator.contains("\"") || separator.contains(",")
          || separator.contains("\n")) {
        throw Errors.badAttributionOption("path separator '" + separator + "'",
            "it is empty or holds a quote, comma or newline", "Pass e.g. --separator '>'");
      }
    }

    public static Format defaults() {
      return new Format(">", PATH, CONVERSIONS, VALUE, NULLS);
    }
  }

  /** The column names of the header row. */
  public static List<String> header(byte[] data) {
    return header(ByteBuffer.wrap(data));
  }

  public static Journeys parse(byte[] data, String source, Format format) {
    return parse(ByteBuffer.wrap(data), source, format);
  }

  /** The column names of the header row of {@code data} (absolute reads from 0 to its limit). */
  public static List<String> header(ByteBuffer data) {
    int from = bom(data);
    byte[] bytes = bytes(data, from, recordEnd(data, from));
    Line line = new Line(8);
    List<String> out = new ArrayList<>();
    if (line.read(bytes, 0, bytes.length) < 0) {
      return out;
    }
    for (int f = 0; f < line.count; f++) {
      out.add(line.string(f).strip());
    }
    return out;
  }

  /** Parses the table in {@code data} from 0 to its limit, e.g. a memory-mapped file. */
  public static Journeys parse(ByteBuffer data, String source, Format format) {
    List<String> header = header(data);
    Columns columns = new Columns(header.size(), column(header, format.pathColumn(), source),
        column(header, format.conversionsColumn(), source),
        format.valueColumn() == null ? -1 : column(header, format.valueColumn(), source),
        format.nullColumn() == null ? -1 : column(header, format.nullColumn(), source), format);
    int bodyStart = recordEnd(data, bom(data));
    int chunks = (int) Math.max(1, ((long) data.limit() - bodyStart + CHUNK_BYTES - 1) / CHUNK_BYTES);
    int[] cuts = chunks == 1 ? new int[] {bodyStart, data.limit()} : bounds(data, bodyStart, chunks);
    int pieces = Math.min(Runtime.getRuntime().availableProcessors(), chunks);
    Object[] parts = new Object[pieces];
    IntStream.range(0, pieces).parallel().forEach(k -> {
      try {
        int first = chunks * k / pieces;
        int last = chunks * (k + 1) / pieces;
        parts[k] = piece(data, cuts, first, last, columns, (long) cuts[k == 0 ? chunks : last] - cuts[first]);
      } catch (RecordError e) {
        parts[k] = e;
      }
    });
    List<Journeys> journeys = new ArrayList<>(pieces);
    for (Object part : parts) {
      if (part instanceof RecordError e) {
        throw Errors.badPathsLine(source, lineOf(data, e.at), e.reason, e.fix);
      }
      journeys.add((Journeys) part);
    }
    return Journeys.concat(journeys);
  }

  /** Which fields to read. */
  private record Columns(int count, int path, int conversions, int value, int nulls, Format format) {}

  /** A bad record: where it starts, what is wrong and how to fix it. */
  private static final class RecordError extends RuntimeException {
    final String reason;
    final String fix;
    int at;

    RecordError(String reason, String fix) {
      super(reason, null, false, false);
      this.reason = reason;
      this.fix = fix;
    }
  }

  /** Just after the first newline outside quotes at or after {@code from}, or the limit. */
  private static int recordEnd(ByteBuffer data, int from) {
    boolean inside = false;
    for (int i = from, end = data.limit(); i < end; i++) {
      byte c = data.get(i);
      if (c == '"') {
        inside = !inside;
      } else if (c == '\n' && !inside) {
        return i + 1;
      }
    }
    return data.limit();
  }

  /** Cut points near equal shares of [from, limit), each just after a newline outside quotes. */
  private static int[] bounds(ByteBuffer data, int from, int parts) {
    int end = data.limit();
    int[] nominal = new int[parts + 1];
    for (int k = 0; k <= parts; k++) {
      nominal[k] = (int) (from + (long) (end - from) * k / parts);
    }
    long[] quotes = new long[parts];
    IntStream.range(0, parts).parallel().forEach(k -> {
      byte[] block = new byte[Math.min(1 << 20, Math.max(1, nominal[k + 1] - nominal[k]))];
      long q = 0;
      for (int at = nominal[k]; at < nominal[k + 1]; at += block.length) {
        int len = Math.min(block.length, nominal[k + 1] - at);
        data.get(at, block, 0, len);
        for (int i = 0; i < len; i++) {
          if (block[i] == '"') {
            q++;
          }
        }
      }
      quotes[k] = q;
    });
    int[] bounds = new int[parts + 1];
    bounds[0] = from;
    bounds[parts] = end;
    long before = 0;
    for (int k = 1; k < parts; k++) {
      before += quotes[k - 1];
      boolean inside = (before & 1) == 1;
      int cut = end;
      int i = nominal[k];
      if (i < bounds[k - 1]) {
        cut = bounds[k - 1];
      } else {
        for (; i < end; i++) {
          byte c = data.get(i);
          if (c == '"') {
            inside = !inside;
          } else if (c == '\n' && !inside) {
            cut = i + 1;
            break;
          }
        }
      }
      bounds[k] = cut;
    }
    return bounds;
  }

  private static long lineOf(ByteBuffer data, int at) {
    long line = 1;
    for (int i = 0; i < at; i++) {
      if (data.get(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /**
   * Parses chunks [first, last) of {@code cuts}; channel ids are local to the piece. Its builder
   * is sized for {@code sizeFor} bytes of input (the first piece's for all of it, so the others can
   * be appended to its arrays).
   */
  private static Journeys piece(ByteBuffer data, int[] cuts, int first, int last, Columns columns, long sizeFor) {
    int largest = 0;
    for (int c = first; c < last; c++) {
      largest = Math.max(largest, cuts[c + 1] - cuts[c]);
    }
    byte[] window = new byte[largest];
    int firstLength = cuts[first + 1] - cuts[first];
    data.get(cuts[first], window, 0, firstLength);
    byte sep0 = columns.format().separator().getBytes(StandardCharsets.UTF_8)[0];
    int sample = Math.min(firstLength, 1 << 20);
    long lines = 0;
    long seps = 0;
    for (int i = 0; i < sample; i++) {
      if (window[i] == '\n') {
        lines++;
      } else if (window[i] == sep0) {
        seps++;
      }
    }
    double scale = sample == 0 ? 0 : 1.1 * sizeFor / sample;
    Records records = new Records(columns, new Journeys.Builder((int) Math.min(Integer.MAX_VALUE - 16, lines * scale + 16),
        (int) Math.min(Integer.MAX_VALUE - 16, (lines + seps) * scale + 16)));
    for (int c = first; c < last; c++) {
      int len = cuts[c + 1] - cuts[c];
      if (c > first) {
        data.get(cuts[c], window, 0, len);
      }
      records.parse(window, len, cuts[c]);
    }
    return records.builder.build();
  }

  /** The record parser of one piece: its builder, channel table and scratch space. */
  private static final class Records {
    final Journeys.Builder builder;
    private final Columns columns;
    private final ChannelTable table;
    private final Line line;
    private final byte[] sep;
    private int[] ids = new int[64];

    Records(Columns columns, Journeys.Builder builder) {
      this.columns = columns;
      this.builder = builder;
      this.table = new ChannelTable(builder);
      this.line = new Line(columns.count());
      this.sep = columns.format().separator().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses the records in data[0, len); {@code base} is their offset in the input. */
    void parse(byte[] data, int len, int base) {
      int pos = 0;
      while (pos < len) {
        int recordStart = pos;
        pos = line.read(data, pos, len);
        if (line.count == 1 && line.start[0] == line.end[0] && !line.quoted[0]) {
          continue;
        }
        try {
          record();
        } catch (RecordError e) {
          e.at = base + recordStart;
          throw e;
        }
      }
    }

    private void record() {
      if (line.count != columns.count()) {
        throw new RecordError("has " + line.count + " fields but the header has " + columns.count(),
            "Quote paths that contain commas and give every line the header's columns");
      }
      byte[] buf = line.unescaped(columns.path());
      int pathStart = buf == line.data ? line.start[columns.path()] : 0;
      int pathEnd = buf == line.data ? line.end[columns.path()] : buf.length;
      byte sep0 = sep[0];
      int len = 0;
      int a = -1;
      int b = -1;
      int hash = 1;
      for (int i = pathStart; ; i++) {
        boolean atEnd = i == pathEnd;
        if (atEnd || (buf[i] == sep0 && matches(buf, i, pathEnd, sep))) {
          if (a < 0) {
            throw new RecordError("has an empty channel name in its path '"
                + new String(buf, pathStart, pathEnd - pathStart, StandardCharsets.UTF_8) + "'",
                "Remove doubled, leading or trailing separators '" + columns.format().separator()
                    + "' and empty paths");
          }
          if (len == ids.length) {
            ids = Arrays.copyOf(ids, len * 2);
          }
          ids[len++] = table.id(buf, a, b, hash);
          if (atEnd) {
            break;
          }
          i += sep.length - 1;
          a = -1;
          hash = 1;
        } else if (buf[i] != ' ' && buf[i] != '\t') {
          if (a < 0) {
            a = i;
          }
          b = i + 1;
          hash = 31 * hash + buf[i];
        }
      }
      Format format = columns.format();
      double conv = number(line, columns.conversions(), format.conversionsColumn());
      double value = columns.value() < 0 ? 0 : number(line, columns.value(), format.valueColumn());
      double nulls = columns.nulls() < 0 ? 0 : number(line, columns.nulls(), format.nullColumn());
      builder.add(ids, len, conv, value, nulls);
    }
  }

  private static byte[] bytes(ByteBuffer buf, int a, int b) {
    byte[] out = new byte[b - a];
    buf.get(a, out);
    return out;
  }

  private static int bom(ByteBuffer data) {
    return data.limit() >= 3 && (data.get(0) & 0xFF) == 0xEF && (data.get(1) & 0xFF) == 0xBB
        && (data.get(2) & 0xFF) == 0xBF ? 3 : 0;
  }

  private static int column(List<String> header, String name, String source) {
    int i = header.indexOf(name);
    if (i < 0) {
      throw Errors.missingPathsColumn(source, name, header);
    }
    return i;
  }

  private static boolean matches(byte[] buf, int at, int end, byte[] sep) {
    if (at + sep.length > end) {
      return false;
    }
    for (int k = 1; k < sep.length; k++) {
      if (buf[at + k] != sep[k]) {
        return false;
      }
    }
    return true;
  }

  private static double number(Line line, int field, String column) {
    byte[] d = line.data;
    int a = line.start[field];
    int b = line.end[field];
    while (a < b && (d[a] == ' ' || d[a] == '\t')) {
      a++;
    }
    while (b > a && (d[b - 1] == ' ' || d[b - 1] == '\t')) {
      b--;
    }
    double v = fastNumber(d, a, b);
    if (Double.isNaN(v)) {
      v = slowNumber(d, a, b);
    }
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new RecordError("has " + column + " '" + new String(d, a, b - a, StandardCharsets.UTF_8) + "'",
          Double.isNaN(v) ? "Counts and values must be plain non-negative numbers such as 12 or 3.5"
              : "Counts and values cannot be negative or infinite");
    }
    return v;
  }

  /** Plain decimals of up to 18 digits, correctly rounded; NaN when the text needs the slow path. */
  private static double fastNumber(byte[] d, int a, int b) {
    if (a == b) {
      return Double.NaN;
    }
    long mantissa = 0;
    int digits = 0;
    int fraction = -1;
    for (int i = a; i < b; i++) {
      int c = d[i];
      if (c >= '0' && c <= '9') {
        if (++digits > 18) {
          return Double.NaN;
        }
        mantissa = mantissa * 10 + (c - '0');
        if (fraction >= 0) {
          fraction++;
        }
      } else if (c == '.' && fraction < 0) {
        fraction = 0;
      } else {
        return Double.NaN;
      }
    }
    if (digits == 0 || mantissa >= (1L << 53) || fraction > 22) {
      return Double.NaN;
    }
    return fraction <= 0 ? mantissa : mantissa / POW10[fraction];
  }

  private static double slowNumber(byte[] d, int a, int b) {
    for (int i = a; i < b; i++) {
      int c = d[i];
      if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
        return Double.NaN;
      }
    }
    try {
      return Double.parseDouble(new String(d, a, b - a, StandardCharsets.ISO_8859_1));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Field boundaries of one CSV record (RFC 4180 quoting; a quoted field may span lines). */
  private static final class Line {
    byte[] data;
    int count;
    int[] start;
    int[] end;
    boolean[] quoted;
    boolean[] escaped;

    Line(int fields) {
      int cap = Math.max(4, fields + 1);
      start = new int[cap];
      end = new int[cap];
      quoted = new boolean[cap];
      escaped = new boolean[cap];
    }

    /** Reads the record at {@code pos} of data[0, limit); returns where the next starts, or -1 at the end. */
    int read(byte[] data, int pos, int limit) {
      this.data = data;
      count = 0;
      if (pos >= limit) {
        return -1;
      }
      int i = pos;
      while (true) {
        if (count == start.length) {
          start = Arrays.copyOf(start, count * 2);
          end = Arrays.copyOf(end, count * 2);
          quoted = Arrays.copyOf(quoted, count * 2);
          escaped = Arrays.copyOf(escaped, count * 2);
        }
        int f = count++;
        quoted[f] = false;
        escaped[f] = false;
        if (i < limit && data[i] == '"') {
          quoted[f] = true;
          start[f] = ++i;
          while (i < limit) {
            if (data[i] == '"') {
              if (i + 1 < limit && data[i + 1] == '"') {
                escaped[f] = true;
                i += 2;
                continue;
              }
              break;
            }
            i++;
          }
          end[f] = i;
          i = Math.min(i + 1, limit);
          while (i < limit && data[i] != ',' && data[i] != '\n' && data[i] != '\r') {
            i++;
          }
        } else {
          start[f] = i;
          while (i < limit && data[i] != ',' && data[i] != '\n' && data[i] != '\r') {
            i++;
          }
          end[f] = i;
        }
        if (i >= limit) {
          return limit;
        }
        byte c = data[i];
        if (c == ',') {
          i++;
          continue;
        }
        if (c == '\r' && i + 1 < limit && data[i + 1] == '\n') {
          return i + 2;
        }
        return i + 1;
      }
    }

    String string(int f) {
      byte[] b = unescaped(f);
      return b == data ? new String(data, start[f], end[f] - start[f], StandardCharsets.UTF_8)
          : new String(b, StandardCharsets.UTF_8);
    }

    /** The data itself, or for a field with doubled quotes a copy with them undoubled. */
    byte[] unescaped(int f) {
      if (!escaped[f]) {
        return data;
      }
      byte[] out = new byte[end[f] - start[f]];
      int n = 0;
      for (int i = start[f]; i < end[f]; i++) {
        out[n++] = data[i];
        if (data[i] == '"') {
          i++;
        }
      }
      return Arrays.copyOf(out, n);
    }
  }

  /** Channel names by their bytes, so known channels cost no String. */
  private static final class ChannelTable {
    private final Journeys.Builder builder;
    private byte[][] keys = new byte[64][];
    private int[] hashes = new int[64];
    private int[] ids = new int[64];
    private int size;

    ChannelTable(Journeys.Builder builder) {
      this.builder = builder;
    }

    /** The id of the channel named by buf[a, b), whose {@link #hash} is {@code h}. */
    int id(byte[] buf, int a, int b, int h) {
      int mask = keys.length - 1;
      int slot = (h ^ (h >>> 16)) & mask;
      while (keys[slot] != null) {
        if (hashes[slot] == h && same(keys[slot], buf, a, b)) {
          return ids[slot];
        }
        slot = (slot + 1) & mask;
      }
      byte[] key = Arrays.copyOfRange(buf, a, b);
      int id = builder.channel(new String(key, StandardCharsets.UTF_8));
      keys[slot] = key;
      hashes[slot] = h;
      ids[slot] = id;
      if (++size * 2 > keys.length) {
        grow();
      }
      return id;
    }

    private static boolean same(byte[] k, byte[] buf, int a, int b) {
      if (k.length != b - a) {
        return false;
      }
      for (int i = 0; i < k.length; i++) {
        if (k[i] != buf[a + i]) {
          return false;
        }
      }
      return true;
    }

    /** 31-polynomial over the bytes that are not blanks (so the path scan can hash while trimming). */
    static int hash(byte[] k) {
      int h = 1;
      for (byte x : k) {
        if (x != ' ' && x != '\t') {
          h = 31 * h + x;
        }
      }
      return h;
    }

    private void grow() {
      byte[][] oldKeys = keys;
      int[] oldIds = ids;
      keys = new byte[oldKeys.length * 2][];
      hashes = new int[keys.length];
      ids = new int[keys.length];
      int mask = keys.length - 1;
      for (int j = 0; j < oldKeys.length; j++) {
        byte[] k = oldKeys[j];
        if (k != null) {
          int h = hash(k);
          int slot = (h ^ (h >>> 16)) & mask;
          while (keys[slot] != null) {
            slot = (slot + 1) & mask;
          }
          keys[slot] = k;
          hashes[slot] = h;
          ids[slot] = oldIds[j];
        }
      }
    }
  }
}
