package io.touchpoint.jobs.support;

import io.touchpoint.catalog.Channels;
import io.touchpoint.ingest.BronzeTable;
import io.touchpoint.ingest.ParseContext;
import io.touchpoint.jobs.config.TouchpointConfig;
import io.touchpoint.jobs.spark.Sessions;
import io.touchpoint.pii.Pii;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The one SparkSession of the test JVM (local[2], 2 shuffle partitions, no UI, UTC) and helpers. */
public final class SparkTestSupport {
  private static SparkSession spark;

  private SparkTestSupport() {}

  public static synchronized SparkSession spark() {
    if (spark == null) {
      // One folder per surefire fork: the forks run side by side (pom.xml, test.forks).
      String fork = System.getProperty("touchpoint.test.fork", "1");
      spark = Sessions.create(config(Path.of("target/test-warehouse-" + fork), Path.of("target/test-exports-" + fork)),
          "touchpoint-tests");
    }
    return spark;
  }

  public static TouchpointConfig config(Path warehouse, Path exports) {
    Map<String, String> enc = Map.of("tmall", BronzeTable.defaultEncoding("tmall"), "jd", "UTF-8",
        "pinduoduo", BronzeTable.defaultEncoding("pinduoduo"), "douyin_shop", "UTF-8");
    return new TouchpointConfig(exports.toString(), warehouse.toString(), "local[2]", 0.98, 500, Pii.demo(),
        Channels.defaults(), enc, 2, ParseContext.SHANGHAI);
  }

  /** A table's rows as sorted strings, without the columns that legitimately differ between runs. */
  public static List<String> content(Dataset<Row> df, String... ignore) {
    List<String> cols = new ArrayList<>(Arrays.asList(df.columns()));
    cols.removeAll(List.of(ignore));
    List<String> out = new ArrayList<>();
    for (Row r : df.selectExpr(cols.stream().map(c -> "`" + c + "`").toArray(String[]::new)).collectAsList()) {
      out.add(r.toString());
    }
    out.sort(String::compareTo);
    return out;
  }
}
