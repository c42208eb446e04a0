package io.touchpoint.jobs.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/** Writes a {@link Table} to disk: CSV / JSON lines as text, the touch log as Parquet. */
final class TableWriter {
  static final MessageType TOUCH_SCHEMA = Types.buildMessage()
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("event_id")
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("event_type")
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("channel")
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("campaign_id")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("device_id")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("member_id")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("phone_hash")
      .required(PrimitiveTypeName.INT64)
      .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named("event_time")
      .named("touch");

  private final Path root;
  private final Configuration hadoop = new Configuration(false);

  TableWriter(Path root) {
    this.root = root;
  }

  void write(Table t) {
    Path file = root.resolve(t.file);
    try {
      Files.createDirectories(file.getParent());
      if (t.format == Table.Format.PARQUET) {
        parquet(t, file);
      } else {
        text(t, file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file, e);
    }
  }

  private static void text(Table t, Path file) throws IOException {
    try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), t.writtenCharset), 1 << 16)) {
      if (t.bom && t.writtenCharset.equals(StandardCharsets.UTF_8)) {
        w.write('\uFEFF');
      }
      String header = t.header();
      if (header != null) {
        w.write(header);
        w.write('\n');
      }
      for (int i = 0; i < t.rows.size(); i++) {
        w.write(t.line(i));
        w.write('\n');
      }
    }
  }

  private void parquet(Table t, Path file) throws IOException {
    Files.deleteIfExists(file);
    int[] index = new int[TOUCH_SCHEMA.getFieldCount()];
    for (int k = 0; k < index.length; k++) {
      index[k] = t.column(TOUCH_SCHEMA.getFieldName(k));
    }
    try (ParquetWriter<String[]> w = new TouchWriter(new LocalOutputFile(file), index)
        .withConf(hadoop)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withDictionaryEncoding(false)
        .withStatisticsEnabled(false)
        .withStatisticsEnabled("event_time", true)
        .withSizeStatisticsEnabled(false)
        .withPageWriteChecksumEnabled(false)
        .withRowGroupSize(64L * 1024 * 1024)
        .withPageSize(1024 * 1024)
        .build()) {
      for (String[] row : t.rows) {
        w.write(row);
      }
    }
  }

  /** Writes touch rows (text cells, event_time as epoch micros) straight to the record consumer. */
  private static final class TouchWriter extends ParquetWriter.Builder<String[], TouchWriter> {
    private final int[] index;

    TouchWriter(LocalOutputFile file, int[] index) {
      super(file);
      this.index = index;
    }

    @Override
    protected TouchWriter self() {
      return this;
    }

    @Override
    protected WriteSupport<String[]> getWriteSupport(Configuration conf) {
      return new WriteSupport<>() {
        private RecordConsumer consumer;

        @Override
        public WriteContext init(Configuration configuration) {
          return new WriteContext(TOUCH_SCHEMA, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
          this.consumer = recordConsumer;
        }

        @Override
        public void write(String[] row) {
          consumer.startMessage();
          int last = index.length - 1;
          for (int k = 0; k < last; k++) {
            String v = row[index[k]];
            if (v != null) {
              String name = TOUCH_SCHEMA.getFieldName(k);
              consumer.startField(name, k);
              consumer.addBinary(Binary.fromString(v));
              consumer.endField(name, k);
            }
          }
          consumer.startField("event_time", last);
          consumer.addLong(Long.parseLong(row[index[last]]));
          consumer.endField("event_time", last);
          consumer.endMessage();
        }
      };
    }
  }
}
