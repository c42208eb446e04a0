package io.touchpoint.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * {@code touchpoints/<date>/touches.parquet}: marketing touch logs; row numbers are 1-based.
 * The schema is checked before any row: every contract column must be present with its type
 * (strings as BINARY, {@code event_time} an INT64 timestamp adjusted to UTC, in milli-, micro- or
 * nanoseconds); otherwise every row is quarantined with the reason. A file that Parquet cannot
 * read (not Parquet, truncated, a corrupt page) is an {@link UnreadableFileException}: its rows
 * cannot be counted.
 */
final class TouchLogParser implements FileParser {
  static final List<String> COLUMNS = List.of(
      "event_id", "event_type", "channel", "campaign_id", "device_id", "member_id", "phone_hash", "event_time");
  static final Set<String> EVENT_TYPES = Set.of("impression", "click", "visit", "open");
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  @Override
  public FileSummary parse(String file, byte[] bytes, ParseContext ctx, RecordSink out) {
    ParquetFileReader opened;
    try {
      opened = ParquetFileReader.open(new ByteArrayInputFile(bytes));
    } catch (IOException | RuntimeException | StackOverflowError e) {
      // A corrupt footer can send Parquet's Thrift decoder into endless recursion: the file is
      // unreadable, not the executor broken (left alone, the error kills the executor JVM).
      throw unreadable(file, bytes, e);
    }
    try (ParquetFileReader reader = opened) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      long total = reader.getRecordCount();
      List<String> problems = schemaProblems(schema);
      FileTally sink = new FileTally(out);
      List<String> notes = new ArrayList<>();
      if (!problems.isEmpty()) {
        String detail = Quarantine.detail("file has no usable " + String.join("; ", problems));
        for (long row = 1; row <= total; row++) {
          sink.reject(row, RejectReason.MISSING_COLUMN, detail, null);
        }
        notes.add(detail);
        return new FileSummary("parquet", notes);
      }
      List<String> extra = new ArrayList<>();
      schema.getFields().forEach(f -> {
        if (!COLUMNS.contains(f.getName())) {
          extra.add(f.getName());
        }
      });
      if (!extra.isEmpty()) {
        notes.add(Quarantine.detail("extra column(s) ignored: " + extra));
      }
      long unitMicros = microsPer(schema.getType("event_time"));
      MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
      Set<String> seenIds = new HashSet<>();
      Set<String> seenRows = new HashSet<>();
      long row = 0;
      PageReadStore pages;
      while ((pages = reader.readNextRowGroup()) != null) {
        RecordReader<Group> records = io.getRecordReader(pages, new GroupRecordConverter(schema));
        for (long i = 0; i < pages.getRowCount(); i++) {
          row++;
          Group g = records.read();
          String raw = raw(g);
          try {
            if (!seenRows.add(raw)) {
              throw new RowRejected(RejectReason.DUPLICATE_ROW, "same as an earlier row of this file");
            }
            Object[] values = map(g, unitMicros, ctx);
            if (!seenIds.add((String) values[0])) {
              throw new RowRejected(RejectReason.DUPLICATE_KEY, "event_id '" + values[0] + "' appears twice in this file");
            }
            sink.accept(row, values);
          } catch (RowRejected r) {
            sink.reject(row, r.reason(), Quarantine.detail(r.getMessage()), Quarantine.raw(raw));
          }
        }
      }
      if (row != total) {
        throw new UnreadableFileException(file, "its footer counts " + total + " rows but its pages hold " + row, null);
      }
      sink.addNotes(notes, ctx);
      return new FileSummary("parquet", notes);
    } catch (IOException | RuntimeException | StackOverflowError e) {
      if (e instanceof UnreadableFileException u) {
        throw u;
      }
      throw unreadable(file, bytes, e);
    }
  }

  private static UnreadableFileException unreadable(String file, byte[] bytes, Throwable e) {
    String why = bytes.length == 0 ? "it is empty (0 bytes)" : "it is not a readable Parquet file ("
        + Quarantine.detail(e.getClass().getSimpleName() + ": " + e.getMessage()) + ")";
    return new UnreadableFileException(file, why, e);
  }

  /** What is wrong with the contract columns of this schema (empty when all are usable). */
  static List<String> schemaProblems(MessageType schema) {
    List<String> missing = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String c : COLUMNS) {
      if (!schema.containsField(c)) {
        missing.add(c);
        continue;
      }
      Type t = schema.getType(c);
      if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
        problems.add(c + " is not a single value (found " + t + ")");
      } else if (c.equals("event_time")) {
        if (microsPer(t) == 0) {
          problems.add("event_time as an INT64 timestamp adjusted to UTC (found " + t + ")");
        }
      } else if (t.asPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.BINARY) {
        problems.add(c + " as a string (found " + t + ")");
      }
    }
    if (!missing.isEmpty()) {
      List<String> unexpected = new ArrayList<>();
      schema.getFields().forEach(f -> {
        if (!COLUMNS.contains(f.getName())) {
          unexpected.add(f.getName());
        }
      });
      problems.add(0, "required column(s) " + missing
          + (unexpected.isEmpty() ? "" : " (it has unexpected " + unexpected + ": renamed?)"));
    }
    return problems;
  }

  /**
   * Microseconds per unit of an INT64 UTC timestamp column, negative for nanoseconds (divide),
   * 0 when the column is not one.
   */
  private static long microsPer(Type t) {
    if (!t.isPrimitive() || t.asPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.INT64
        || !(t.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts)
        || !ts.isAdjustedToUTC()) {
      return 0;
    }
    return switch (ts.getUnit()) {
      case MILLIS -> 1000;
      case MICROS -> 1;
      case NANOS -> -1000;
    };
  }

  private static Object[] map(Group g, long unitMicros, ParseContext ctx) throws RowRejected {
    String eventType = Fields.oneOf(str(g, "event_type"), "event_type", EVENT_TYPES);
    String channel = Fields.required(str(g, "channel"), "channel");
    if (!ctx.channels().isMarketing(channel)) {
      throw new RowRejected(RejectReason.UNKNOWN_CHANNEL, "channel '" + Fields.clip(channel) + "' is not a marketing channel of the catalogue");
    }
    String phoneHash = Fields.optional(str(g, "phone_hash"));
    if (phoneHash != null && !HEX64.matcher(phoneHash).matches()) {
      throw new RowRejected(RejectReason.UNKNOWN_VALUE, "phone_hash is not a 64-character hex HMAC");
    }
    if (g.getFieldRepetitionCount("event_time") == 0) {
      throw new RowRejected(RejectReason.BAD_TIMESTAMP, "event_time is empty");
    }
    long value = g.getLong("event_time", 0);
    long micros;
    try {
      micros = unitMicros > 0 ? Math.multiplyExact(value, unitMicros) : Math.floorDiv(value, -unitMicros);
    } catch (ArithmeticException e) {
      throw new RowRejected(RejectReason.BAD_TIMESTAMP, "event_time " + value + " is out of range");
    }
    Instant at = Fields.inRange(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        Math.floorMod(micros, 1_000_000L) * 1000L), "event_time", ctx);
    return new Object[] {
        Fields.required(str(g, "event_id"), "event_id"),
        eventType,
        channel,
        Fields.optional(str(g, "campaign_id")),
        Fields.optional(str(g, "device_id")),
        Fields.optional(str(g, "member_id")),
        phoneHash,
        Fields.onExportDay(at, "event_time", ctx)};
  }

  /** A string column's value, decoded strictly as UTF-8 and bounded in length. */
  private static String str(Group g, String field) throws RowRejected {
    if (g.getFieldRepetitionCount(field) == 0) {
      return null;
    }
    ByteBuffer b = g.getBinary(field, 0).toByteBuffer();
    String s;
    try {
      s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(b).toString();
    } catch (CharacterCodingException e) {
      throw new RowRejected(RejectReason.UNDECODABLE_LINE, field + " is not valid UTF-8");
    }
    if (s.length() > MAX_FIELD_CHARS) {
      throw new RowRejected(RejectReason.FIELD_TOO_LONG, field + " holds " + s.length() + " characters (at most "
          + MAX_FIELD_CHARS + ")");
    }
    return s;
  }

  private static String raw(Group g) {
    StringBuilder sb = new StringBuilder();
    for (String c : COLUMNS) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(c).append('=');
      if (g.getFieldRepetitionCount(c) > 0) {
        sb.append(c.equals("event_time") ? String.valueOf(g.getLong(c, 0)) : g.getValueToString(g.getType().getFieldIndex(c), 0));
      }
    }
    return sb.toString();
  }
}
