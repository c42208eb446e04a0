package io.touchpoint.jobs.serve;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads Delta tables with Delta Kernel alone (no Spark on the classpath, see
 * GoldTablesWithoutSparkTest): {@code DefaultEngine} → {@code Table.forPath} → the latest
 * snapshot's scan, each data file read and turned into logical rows by Kernel (partition values
 * filled in, deletion vectors applied). Prints, per table path given as an argument:
 * <pre>
 * ## &lt;path&gt;
 * PARTITIONED_BY	&lt;columns&gt;
 * ROW	&lt;value&gt;	&lt;value&gt;…
 * </pre>
 * Values are printed as Spark's Java types print them (LocalDate, Instant, Double, BigDecimal).
 */
public final class KernelRead {
  private KernelRead() {}

  public static void main(String[] args) throws IOException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Engine engine = DefaultEngine.create(new Configuration());
    for (String path : args) {
      out.println("## " + path);
      Snapshot snapshot = Table.forPath(engine, path).getLatestSnapshot(engine);
      out.println("PARTITIONED_BY\t" + String.join(",", snapshot.getPartitionColumnNames()));
      Scan scan = snapshot.getScanBuilder().build();
      Row scanState = scan.getScanState(engine);
      StructType physical = ScanStateRow.getPhysicalDataReadSchema(scanState);
      try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
        while (files.hasNext()) {
          try (CloseableIterator<Row> fileRows = files.next().getRows()) {
            while (fileRows.hasNext()) {
              Row scanFile = fileRows.next();
              FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
              CloseableIterator<ColumnarBatch> data = engine.getParquetHandler()
                  .readParquetFiles(Utils.singletonCloseableIterator(file), physical, Optional.empty())
                  .map(FileReadResult::getData);
              try (CloseableIterator<FilteredColumnarBatch> logical = Scan.transformPhysicalData(engine, scanState, scanFile, data)) {
                while (logical.hasNext()) {
                  try (CloseableIterator<Row> rows = logical.next().getRows()) {
                    while (rows.hasNext()) {
                      out.println(line(rows.next()));
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  static String line(Row r) {
    StringBuilder b = new StringBuilder("ROW");
    StructType schema = r.getSchema();
    for (int i = 0; i < schema.length(); i++) {
      b.append('\t').append(r.isNullAt(i) ? "null" : value(r, i, schema.at(i).getDataType()));
    }
    return b.toString();
  }

  private static String value(Row r, int i, DataType t) {
    if (t instanceof StringType) {
      return r.getString(i);
    } else if (t instanceof IntegerType) {
      return Integer.toString(r.getInt(i));
    } else if (t instanceof LongType) {
      return Long.toString(r.getLong(i));
    } else if (t instanceof DoubleType) {
      return Double.toString(r.getDouble(i));
    } else if (t instanceof FloatType) {
      return Float.toString(r.getFloat(i));
    } else if (t instanceof BooleanType) {
      return Boolean.toString(r.getBoolean(i));
    } else if (t instanceof DecimalType) {
      return r.getDecimal(i).toString();
    } else if (t instanceof DateType) {
      return LocalDate.ofEpochDay(r.getInt(i)).toString();
    } else if (t instanceof TimestampType) {
      long micros = r.getLong(i);
      return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L).toString();
    }
    throw new IllegalArgumentException("no printer for " + t + " (gold tables are flat)");
  }
}
