package io.touchpoint.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.catalog.Channels;
import io.touchpoint.ingest.FileParser;
import io.touchpoint.ingest.ParseContext;
import io.touchpoint.ingest.RecordSink;
import io.touchpoint.ingest.RejectReason;
import io.touchpoint.ingest.UnreadableFileException;
import io.touchpoint.pii.Pii;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;

/**
 * Fuzzes the export parsers (no Spark): valid tiny exports ({@link ValidExports}) are broken at
 * random, line by line (duplicated, deleted, swapped, joined, blank, a second header, a stray
 * quote, a dropped, swapped or 20,000-character field, columns shuffled in header and rows),
 * then rendered with any line end, byte-order mark and encoding (declared, UTF-8, GBK, UTF-16),
 * then byte by byte (flips, truncation, inserted and deleted bytes). For every file:
 *
 * <ul>
 *   <li>no exception except {@link UnreadableFileException}, and that only when the file has no
 *       row count (a CSV without any non-blank line; a Parquet file Parquet cannot read);</li>
 *   <li>rows are conserved: each row is reported exactly once, accepted or rejected, and the row
 *       numbers are exactly those of an independent count of the file's data lines (for Parquet,
 *       its footer's row count);</li>
 *   <li>every reject has a reason, the raw row and reason are bounded, and no phone, e-mail or
 *       name of the fixtures appears in clear in them or in the file's notes.</li>
 * </ul>
 */
class ExportFuzzTest {
  static final ParseContext CTX = ParseContext.of(ValidExports.DAY, Pii.demo(), Channels.defaults());

  // ---------------------------------------------------------------- text exports

  @Property(tries = 2500)
  void textExportsConserveRowsAndNeverCrash(@ForAll("texts") ValidExports.Text base, @ForAll("lineChanges") List<LineChange> changes,
      @ForAll("renderings") Rendering rendering, @ForAll("byteChanges") List<ByteChange> byteChanges) {
    List<String> lines = new ArrayList<>(base.lines());
    for (LineChange c : changes) {
      lines = c.apply(lines);
    }
    byte[] bytes = rendering.render(lines, base.charset());
    for (ByteChange c : byteChanges) {
      bytes = c.apply(bytes);
    }
    Result r = parse(base, bytes);
    Expected expected = expected(bytes, base.hasHeader());
    if (r.error != null) {
      Statistics.label("outcome").collect("unreadable file");
      assertThat(expected.unreadable).as("only a file without any non-blank line is refused whole: " + r.error.getMessage()).isTrue();
      assertThat(r.error.getMessage()).startsWith("Cannot read " + base.path() + ": ");
      return;
    }
    assertThat(expected.unreadable).as("a file without any non-blank line is refused").isFalse();
    Statistics.label("outcome").collect(r.rejects.isEmpty() ? "all accepted" : r.accepted.isEmpty() ? "all rejected" : "some rejected");
    Set<Long> reported = new TreeSet<>(r.accepted);
    reported.addAll(r.rejects.keySet());
    if (!reported.equals(expected.rows)) {
      assertThat(base.hasHeader()).as("rows reported " + reported + " vs counted " + expected.rows).isTrue();
      assertThat(reported).as("a file without its header counts its first line as a row").isEqualTo(expected.rowsIfHeaderless);
      assertThat(new TreeSet<>(r.rejects.values())).as("and rejects every row for the missing header")
          .containsOnly(RejectReason.MISSING_COLUMN);
    }
    checkRejectsAndPii(r);
  }

  @Provide
  Arbitrary<ValidExports.Text> texts() {
    return Arbitraries.of(ValidExports.pos(), ValidExports.webshop(), ValidExports.tmall(), ValidExports.jd(), ValidExports.pinduoduo(),
        ValidExports.douyin(), ValidExports.spend(), ValidExports.members(), ValidExports.bindings());
  }

  /** A change to the file's lines (index 0 is the header of a CSV); positions wrap around the line count. */
  interface LineChange {
    List<String> apply(List<String> lines);
  }

  record DuplicateLine(int at) implements LineChange {
    public List<String> apply(List<String> l) {
      if (!l.isEmpty()) {
        l.add(at % l.size(), l.get(at % l.size()));
      }
      return l;
    }
  }

  record DeleteLine(int at) implements LineChange {
    public List<String> apply(List<String> l) {
      if (!l.isEmpty()) {
        l.remove(at % l.size());
      }
      return l;
    }
  }

  record SwapLines(int a, int b) implements LineChange {
    public List<String> apply(List<String> l) {
      if (!l.isEmpty()) {
        java.util.Collections.swap(l, a % l.size(), b % l.size());
      }
      return l;
    }
  }

  record JoinWithNext(int at) implements LineChange {
    public List<String> apply(List<String> l) {
      if (l.size() > 1) {
        int i = at % (l.size() - 1);
        l.set(i, l.get(i) + l.remove(i + 1));
      }
      return l;
    }
  }

  record InsertBlank(int at, String blank) implements LineChange {
    public List<String> apply(List<String> l) {
      l.add(l.isEmpty() ? 0 : at % (l.size() + 1), blank);
      return l;
    }
  }

  record HeaderAgain(int at) implements LineChange {
    public List<String> apply(List<String> l) {
      if (!l.isEmpty()) {
        l.add(at % (l.size() + 1), l.get(0));
      }
      return l;
    }
  }

  /** Changes one comma-separated field of one line: a stray quote, a huge value, dropped, or swapped with another. */
  record ChangeField(int line, int field, int other, Kind kind) implements LineChange {
    enum Kind { STRAY_QUOTE, HUGE, DROP, SWAP, EMPTY }

    public List<String> apply(List<String> l) {
      if (l.isEmpty()) {
        return l;
      }
      int i = line % l.size();
      List<String> f = new ArrayList<>(Arrays.asList(l.get(i).split(",", -1)));
      int k = field % f.size();
      switch (kind) {
        case STRAY_QUOTE -> f.set(k, "\"" + f.get(k));
        case HUGE -> f.set(k, f.get(k) + "Y".repeat(20_000));
        case DROP -> f.remove(k);
        case SWAP -> java.util.Collections.swap(f, k, other % f.size());
        case EMPTY -> f.set(k, "");
      }
      l.set(i, String.join(",", f));
      return l;
    }
  }

  /** The same two columns swapped on every line, header included (a reordered export). */
  record SwapColumns(int a, int b) implements LineChange {
    public List<String> apply(List<String> l) {
      for (int i = 0; i < l.size(); i++) {
        String[] f = l.get(i).split(",", -1);
        int x = a % f.length;
        int y = b % f.length;
        String t = f[x];
        f[x] = f[y];
        f[y] = t;
        l.set(i, String.join(",", f));
      }
      return l;
    }
  }

  @Provide
  Arbitrary<List<LineChange>> lineChanges() {
    Arbitrary<Integer> at = Arbitraries.integers().between(0, 999);
    Arbitrary<LineChange> one = Arbitraries.oneOf(
        at.map(DuplicateLine::new),
        at.map(DeleteLine::new),
        Combinators.combine(at, at).as(SwapLines::new),
        at.map(JoinWithNext::new),
        Combinators.combine(at, Arbitraries.of("", "  ", "\t", " \r ")).as(InsertBlank::new),
        at.map(HeaderAgain::new),
        Combinators.combine(at, at, at, Arbitraries.of(ChangeField.Kind.class)).as(ChangeField::new),
        Combinators.combine(at, at).as(SwapColumns::new));
    return one.list().ofMaxSize(4);
  }

  /** How the lines become bytes: line end, final line end, byte-order mark, encoding (null: the export's own). */
  record Rendering(String eol, boolean finalEol, boolean bom, String charset) {
    byte[] render(List<String> lines, Charset own) {
      Charset cs = charset == null ? own : Charset.forName(charset);
      String text = String.join(eol, lines) + (finalEol && !lines.isEmpty() ? eol : "");
      byte[] b = text.getBytes(cs);
      if (!bom) {
        return b;
      }
      byte[] out = new byte[b.length + 3];
      out[0] = (byte) 0xEF;
      out[1] = (byte) 0xBB;
      out[2] = (byte) 0xBF;
      System.arraycopy(b, 0, out, 3, b.length);
      return out;
    }
  }

  @Provide
  Arbitrary<Rendering> renderings() {
    return Combinators.combine(
        Arbitraries.of("\n", "\r\n", "\r"),
        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, Arbitraries.just(true)), net.jqwik.api.Tuple.of(1, Arbitraries.just(false))),
        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.just(false)), net.jqwik.api.Tuple.of(2, Arbitraries.just(true))),
        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, Arbitraries.just((String) null)),
            net.jqwik.api.Tuple.of(4, Arbitraries.of("UTF-8", "GBK", "UTF-16", "UTF-16LE"))))
        .as(Rendering::new);
  }

  /** A change to the rendered bytes; positions wrap around the length. */
  interface ByteChange {
    byte[] apply(byte[] b);
  }

  record FlipByte(int at, int mask) implements ByteChange {
    public byte[] apply(byte[] b) {
      if (b.length == 0) {
        return b;
      }
      byte[] c = b.clone();
      c[at % c.length] ^= (byte) mask;
      return c;
    }
  }

  record Truncate(int keepPerMille) implements ByteChange {
    public byte[] apply(byte[] b) {
      return Arrays.copyOf(b, (int) ((long) b.length * keepPerMille / 1000));
    }
  }

  record InsertBytes(int at, byte[] bytes) implements ByteChange {
    public byte[] apply(byte[] b) {
      int i = b.length == 0 ? 0 : at % (b.length + 1);
      byte[] c = new byte[b.length + bytes.length];
      System.arraycopy(b, 0, c, 0, i);
      System.arraycopy(bytes, 0, c, i, bytes.length);
      System.arraycopy(b, i, c, i + bytes.length, b.length - i);
      return c;
    }

    @Override
    public String toString() {
      return "InsertBytes[at=" + at + ", bytes=" + Arrays.toString(bytes) + "]";
    }
  }

  record DeleteBytes(int at, int length) implements ByteChange {
    public byte[] apply(byte[] b) {
      if (b.length == 0) {
        return b;
      }
      int i = at % b.length;
      int n = Math.min(length, b.length - i);
      byte[] c = new byte[b.length - n];
      System.arraycopy(b, 0, c, 0, i);
      System.arraycopy(b, i + n, c, i, b.length - i - n);
      return c;
    }
  }

  @Provide
  Arbitrary<List<ByteChange>> byteChanges() {
    Arbitrary<Integer> at = Arbitraries.integers().between(0, 100_000);
    Arbitrary<byte[]> some = Arbitraries.oneOf(
        Arbitraries.of(new byte[] {'\n'}, new byte[] {'\r'}, new byte[] {'"'}, new byte[] {','}, new byte[] {0},
            new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xFF, (byte) 0xFE}),
        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8));
    Arbitrary<ByteChange> one = Arbitraries.oneOf(
        Combinators.combine(at, Arbitraries.integers().between(1, 255)).as(FlipByte::new),
        Arbitraries.integers().between(0, 999).map(Truncate::new),
        Combinators.combine(at, some).as(InsertBytes::new),
        Combinators.combine(at, Arbitraries.integers().between(1, 40)).as(DeleteBytes::new));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.just(List.<ByteChange>of())),
        net.jqwik.api.Tuple.of(1, one.list().ofMinSize(1).ofMaxSize(3)));
  }

  // ---------------------------------------------------------------- Parquet touch logs

  @Property(tries = 400)
  void touchLogsConserveRowsAndNeverCrash(@ForAll("touchSchemas") String schema, @ForAll("recordChanges") List<RecordChange> changes,
      @ForAll("byteChanges") List<ByteChange> byteChanges) {
    ValidExports.Touches t = ValidExports.touches().schema(schema).records(r -> {
      List<Map<String, Object>> out = r;
      for (RecordChange c : changes) {
        out = c.apply(out);
      }
      return out;
    });
    byte[] bytes = t.bytes();
    for (ByteChange c : byteChanges) {
      bytes = c.apply(bytes);
    }
    Result r = parse(t, bytes);
    Long footerRows = footerRows(bytes);
    if (r.error != null) {
      Statistics.label("outcome").collect("unreadable file");
      assertThat(byteChanges).as("a file written by Parquet is readable: " + r.error.getMessage()).isNotEmpty();
      assertThat(r.error.getMessage()).startsWith("Cannot read " + t.path() + ": ");
      return;
    }
    Statistics.label("outcome").collect(r.rejects.isEmpty() ? "all accepted" : r.accepted.isEmpty() ? "all rejected" : "some rejected");
    assertThat(footerRows).as("Parquet reads the footer of a file the parser read").isNotNull();
    Set<Long> reported = new TreeSet<>(r.accepted);
    reported.addAll(r.rejects.keySet());
    Set<Long> expected = new TreeSet<>();
    for (long i = 1; i <= footerRows; i++) {
      expected.add(i);
    }
    assertThat(reported).as("rows 1..N of the footer, each once").isEqualTo(expected);
    if (byteChanges.isEmpty()) {
      assertThat(footerRows).isEqualTo(t.rows());
    }
    checkRejectsAndPii(r);
  }

  @Provide
  Arbitrary<String> touchSchemas() {
    String valid = ValidExports.TOUCH_SCHEMA;
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.just(valid)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(
            valid.replace(" required binary channel (STRING);", ""),
            valid.replace("TIMESTAMP(MICROS,true)", "TIMESTAMP(MILLIS,true)"),
            valid.replace("TIMESTAMP(MICROS,true)", "TIMESTAMP(MICROS,false)"),
            valid.replace("required int64 event_time", "optional int64 event_time"),
            valid.replace(" }", " optional binary creative_id (STRING); }"),
            valid.replace("required binary event_type (STRING)", "required binary event_type"))));
  }

  /** A change to the touch records; positions wrap around the record count. */
  interface RecordChange {
    List<Map<String, Object>> apply(List<Map<String, Object>> records);
  }

  record RecordOp(int at, int column, Kind kind) implements RecordChange {
    enum Kind { DUPLICATE, DELETE, NULL_VALUE, HUGE, BAD_UTF8, FAR_TIME, SWAP_WITH_NEXT }

    static final List<String> COLUMNS = List.of("event_id", "event_type", "channel", "campaign_id", "device_id", "member_id",
        "phone_hash", "event_time");

    public List<Map<String, Object>> apply(List<Map<String, Object>> r) {
      if (r.isEmpty()) {
        return r;
      }
      int i = at % r.size();
      String col = COLUMNS.get(column % COLUMNS.size());
      Map<String, Object> row = new LinkedHashMap<>(r.get(i));
      switch (kind) {
        case DUPLICATE -> r.add(i, row);
        case DELETE -> r.remove(i);
        case NULL_VALUE -> {
          // Only optional columns: Parquet's writer does not check, and a required column without
          // a value makes a corrupt file (which the parser refuses whole, as it should).
          if (List.of("campaign_id", "device_id", "member_id", "phone_hash").contains(col)) {
            row.put(col, null);
            r.set(i, row);
          }
        }
        case HUGE -> {
          if (!col.equals("event_time")) {
            row.put(col, "Z".repeat(5_000));
            r.set(i, row);
          }
        }
        case BAD_UTF8 -> {
          if (!col.equals("event_time")) {
            row.put(col, new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF});
            r.set(i, row);
          }
        }
        case FAR_TIME -> {
          row.put("event_time", ((Long) row.get("event_time")) * 1000);
          r.set(i, row);
        }
        case SWAP_WITH_NEXT -> java.util.Collections.swap(r, i, (i + 1) % r.size());
      }
      return r;
    }
  }

  @Provide
  Arbitrary<List<RecordChange>> recordChanges() {
    Arbitrary<Integer> at = Arbitraries.integers().between(0, 999);
    return Combinators.combine(at, at, Arbitraries.of(RecordOp.Kind.class)).as(RecordOp::new)
        .map(x -> (RecordChange) x).list().ofMaxSize(4);
  }

  static Long footerRows(byte[] bytes) {
    try (ParquetFileReader r = ParquetFileReader.open(new org.apache.parquet.io.InputFile() {
      @Override
      public long getLength() {
        return bytes.length;
      }

      @Override
      public org.apache.parquet.io.SeekableInputStream newStream() {
        return new org.apache.parquet.io.DelegatingSeekableInputStream(new java.io.ByteArrayInputStream(bytes)) {
          long pos;

          @Override
          public long getPos() {
            return pos;
          }

          @Override
          public void seek(long newPos) {
            java.io.ByteArrayInputStream s = (java.io.ByteArrayInputStream) getStream();
            s.reset();
            s.skip(newPos);
            pos = newPos;
          }

          @Override
          public int read() throws java.io.IOException {
            int b = super.read();
            if (b >= 0) {
              pos++;
            }
            return b;
          }

          @Override
          public int read(byte[] buf, int off, int len) throws java.io.IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
              pos += n;
            }
            return n;
          }
        };
      }
    })) {
      return r.getRecordCount();
    } catch (Exception | StackOverflowError e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- shared

  /** What a parser reported for one file. */
  static final class Result {
    final List<Long> accepted = new ArrayList<>();
    final Map<Long, RejectReason> rejects = new HashMap<>();
    final List<String> shown = new ArrayList<>();
    FileParser.FileSummary summary;
    UnreadableFileException error;
  }

  static Result parse(ValidExports.Export e, byte[] bytes) {
    Result r = new Result();
    Set<Long> seen = new java.util.HashSet<>();
    RecordSink sink = new RecordSink() {
      @Override
      public void accept(long rowNumber, Object[] values) {
        assertThat(seen.add(rowNumber)).as("row " + rowNumber + " reported once").isTrue();
        assertThat(values).hasSize(e.table().dataSchema().size());
        r.accepted.add(rowNumber);
      }

      @Override
      public void reject(long rowNumber, RejectReason reason, String detail, String rawRow) {
        assertThat(seen.add(rowNumber)).as("row " + rowNumber + " reported once").isTrue();
        assertThat(reason).isNotNull();
        assertThat(detail).as("a reject says why").isNotBlank();
        assertThat(detail.length()).as("reason detail bounded").isLessThan(600);
        r.rejects.put(rowNumber, reason);
        r.shown.add(detail);
        if (rawRow != null) {
          assertThat(rawRow.length()).as("raw row bounded").isLessThan(2_100);
          r.shown.add(rawRow);
        }
      }
    };
    try {
      r.summary = e.table().parser(e.fileName(), Map.of()).parse(e.path(), bytes, CTX, sink);
    } catch (UnreadableFileException u) {
      r.error = u;
    }
    return r;
  }

  static void checkRejectsAndPii(Result r) {
    List<String> leaks = new ArrayList<>();
    r.shown.forEach(s -> leaks.addAll(ValidExports.PII.leaks("reject", s)));
    r.summary.notes().forEach(n -> leaks.addAll(ValidExports.PII.leaks("note", n)));
    assertThat(leaks).as("personal data in clear").isEmpty();
  }

  /** The rows an independent count of the file's lines expects (the rule of docs/BAD_INPUT.md). */
  record Expected(boolean unreadable, Set<Long> rows, Set<Long> rowsIfHeaderless) {}

  static Expected expected(byte[] b, boolean hasHeader) {
    int from = b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF ? 3 : 0;
    byte end = '\r';
    for (int i = from; i < b.length; i++) {
      if (b[i] == '\n') {
        end = '\n';
        break;
      }
    }
    List<Boolean> blank = new ArrayList<>();
    boolean lineBlank = true;
    boolean open = false;
    for (int i = from; i < b.length; i++) {
      if (b[i] == end) {
        blank.add(lineBlank);
        lineBlank = true;
        open = false;
      } else {
        open = true;
        byte x = b[i];
        lineBlank &= x == ' ' || x == '\t' || x == '\r' || x == 0x0B || x == 0x0C;
      }
    }
    if (open) {
      blank.add(lineBlank);
    }
    Set<Long> rows = new TreeSet<>();
    Set<Long> headerless = new TreeSet<>();
    if (!hasHeader) {
      for (int i = 0; i < blank.size(); i++) {
        if (!blank.get(i)) {
          rows.add((long) i + 1);
        }
      }
      return new Expected(false, rows, rows);
    }
    int h = blank.indexOf(false);
    if (h < 0) {
      return new Expected(true, rows, rows);
    }
    for (int i = h; i < blank.size(); i++) {
      if (!blank.get(i)) {
        headerless.add((long) i - h + 1);
        if (i > h) {
          rows.add((long) i - h);
        }
      }
    }
    return new Expected(false, rows, headerless);
  }
}
