package io.touchpoint.jobs.ingest;

import io.touchpoint.catalog.Channels;
import io.touchpoint.ingest.FileParser;
import io.touchpoint.ingest.ParseContext;
import io.touchpoint.ingest.RecordSink;
import io.touchpoint.ingest.RejectReason;
import io.touchpoint.pii.Pii;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Runs on executors: reads one export file and turns each of its data rows into one landing row
 * (accepted or rejected), plus one {@code file} row carrying the encoding and notes.
 */
final class ParseFiles implements FlatMapFunction<ExportFile, Row> {
  static final String ACCEPTED = "accepted";
  static final String REJECTED = "rejected";
  static final String FILE = "file";

  private final HadoopFiles files;
  private final Pii pii;
  private final Channels channels;
  private final ZoneId zone;
  private final Map<String, String> encodings;
  private final int dataColumns;

  ParseFiles(HadoopFiles files, Pii pii, Channels channels, ZoneId zone, Map<String, String> encodings, int dataColumns) {
    this.files = files;
    this.pii = pii;
    this.channels = channels;
    this.zone = zone;
    this.encodings = encodings;
    this.dataColumns = dataColumns;
  }

  /** The landing schema: the table's data columns, then provenance, status and reject columns. */
  static StructType landingSchema(StructType data) {
    return data
        .add("_export_date", DataTypes.DateType, false)
        .add("_source_file", DataTypes.StringType, false)
        .add("_row_number", DataTypes.LongType, false)
        .add("_status", DataTypes.StringType, false)
        .add("reason_code", DataTypes.StringType, true)
        .add("reason_detail", DataTypes.StringType, true)
        .add("raw_row", DataTypes.StringType, true);
  }

  @Override
  public Iterator<Row> call(ExportFile f) {
    byte[] bytes = files.read(f);
    FileParser parser = f.table().parser(f.fileName(), encodings);
    ParseContext ctx = new ParseContext(f.exportDate(), zone, pii, channels, ParseContext.DEFAULT_MAX_AMOUNT_CNY);
    List<Row> out = new ArrayList<>();
    FileParser.FileSummary summary = parser.parse(f.relativePath(), bytes, ctx, new RecordSink() {
      @Override
      public void accept(long rowNumber, Object[] values) {
        out.add(row(f, rowNumber, values, ACCEPTED, null, null, null));
      }

      @Override
      public void reject(long rowNumber, RejectReason reason, String detail, String rawRow) {
        out.add(row(f, rowNumber, new Object[dataColumns], REJECTED, reason.name(), detail, rawRow));
      }
    });
    out.add(row(f, 0, new Object[dataColumns], FILE, summary.encoding(), String.join("; ", summary.notes()), null));
    return out.iterator();
  }

  private Row row(ExportFile f, long rowNumber, Object[] values, String status, String code, String detail, String raw) {
    Object[] r = new Object[dataColumns + 7];
    System.arraycopy(values, 0, r, 0, dataColumns);
    r[dataColumns] = f.exportDate();
    r[dataColumns + 1] = f.relativePath();
    r[dataColumns + 2] = rowNumber;
    r[dataColumns + 3] = status;
    r[dataColumns + 4] = code;
    r[dataColumns + 5] = detail;
    r[dataColumns + 6] = raw;
    return RowFactory.create(r);
  }
}
