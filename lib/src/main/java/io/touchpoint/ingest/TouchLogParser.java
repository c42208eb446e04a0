package io.touchpoint.ingest;

import io.touchpoint.pii.Pii;
import java.io.IOException;
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
import org.apache.parquet.schema.MessageType;

/** {@code touchpoints/<date>/touches.parquet}: marketing touch logs; row numbers are 1-based. */
final class TouchLogParser implements FileParser {
  static final List<String> COLUMNS = List.of(
      "event_id", "event_type", "channel", "campaign_id", "device_id", "member_id", "phone_hash", "event_time");
  static final Set<String> EVENT_TYPES = Set.of("impression", "click", "visit", "open");
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  @Override
  public FileSummary parse(String file, byte[] bytes, ParseContext ctx, RecordSink sink) {
    ParquetFileReader opened;
    try {
      opened = ParquetFileReader.open(new ByteArrayInputFile(bytes));
    } catch (IOException | RuntimeException e) {
      throw new UnreadableFileException(file, "it is not a readable Parquet file (" + e.getMessage() + ")", e);
    }
    try (ParquetFileReader reader = opened) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      List<String> missing = new ArrayList<>();
      for (String c : COLUMNS) {
        if (!schema.containsField(c)) {
          missing.add(c);
        }
      }
      long total = reader.getRecordCount();
      if (missing.isEmpty() && !schema.getType("event_time").isPrimitive()
          || missing.isEmpty() && schema.getType("event_time").asPrimitiveType().getPrimitiveTypeName()
              != org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64) {
        missing.add("event_time as INT64 timestamp (found " + schema.getType("event_time") + ")");
      }
      if (!missing.isEmpty()) {
        for (long row = 1; row <= total; row++) {
          sink.reject(row, RejectReason.MISSING_COLUMN, "file lacks required column(s) " + missing, null);
        }
        return new FileSummary("parquet", List.of("missing column(s) " + missing));
      }
      List<String> notes = new ArrayList<>();
      List<String> extra = new ArrayList<>();
      schema.getFields().forEach(f -> {
        if (!COLUMNS.contains(f.getName())) {
          extra.add(f.getName());
        }
      });
      if (!extra.isEmpty()) {
        notes.add("extra column(s) ignored: " + extra);
      }
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
            Object[] values = map(g, ctx);
            if (!seenIds.add((String) values[0])) {
              throw new RowRejected(RejectReason.DUPLICATE_KEY, "event_id '" + values[0] + "' appears twice in this file");
            }
            sink.accept(row, values);
          } catch (RowRejected r) {
            sink.reject(row, r.reason(), Pii.mask(r.getMessage()), Pii.mask(raw));
          }
        }
      }
      return new FileSummary("parquet", notes);
    } catch (IOException e) {
      throw new UnreadableFileException(file, "it is not a readable Parquet file (" + e.getMessage() + ")", e);
    }
  }

  private static Object[] map(Group g, ParseContext ctx) throws RowRejected {
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
    long micros = g.getLong("event_time", 0);
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
        at};
  }

  private static String str(Group g, String field) {
    return g.getFieldRepetitionCount(field) == 0 ? null : g.getString(field, 0);
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
