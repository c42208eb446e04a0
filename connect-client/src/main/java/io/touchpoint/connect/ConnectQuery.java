package io.touchpoint.connect;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.connect.SparkSession;

/**
 * A Spark Connect client of {@code touchpoint serve}, connecting the way a JVM notebook does:
 * {@code SparkSession.builder().remote("sc://localhost:15002/;token=…").create()}. Each argument
 * is one request, answered as a block on standard output so that a test in another JVM can read it:
 * <pre>
 * ## &lt;request&gt;
 * ROW	&lt;value&gt;	&lt;value&gt;…      (one line per row, tab-separated)
 * ERROR	&lt;exception class&gt;	&lt;message, one line&gt;
 * </pre>
 * Requests: {@code connect:<url>} (a new session, no token), {@code connect:<url> token-from:<VAR>}
 * (the token read from environment variable VAR, never from the arguments), then
 * {@code sql:<statement>}, {@code table:<name>} or {@code load:<format>:<path>} on that session.
 */
public final class ConnectQuery {
  private ConnectQuery() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    SparkSession spark = null;
    for (String request : args) {
      out.println("## " + request);
      try {
        if (request.startsWith("connect:")) {
          close(spark);
          spark = SparkSession.builder().remote(url(request.substring(8))).create();
          out.println("CONNECTED");
        } else {
          for (String line : run(spark, request)) {
            out.println(line);
          }
        }
      } catch (Exception e) {
        out.println("ERROR\t" + e.getClass().getName() + "\t" + String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
      }
    }
    close(spark);
  }

  private static String url(String spec) {
    String[] parts = spec.split(" token-from:", 2);
    if (parts.length == 1) {
      return parts[0];
    }
    String token = System.getenv(parts[1]);
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("environment variable " + parts[1] + " is not set");
    }
    return parts[0] + "/;token=" + token.strip();
  }

  private static void close(SparkSession spark) {
    if (spark != null) {
      spark.close(); // logs a warning if the server fails to release the session, never throws
    }
  }

  private static List<String> run(SparkSession spark, String request) {
    if (spark == null) {
      throw new IllegalStateException("no session: send connect:<url> first");
    }
    Dataset<Row> df;
    if (request.startsWith("sql:")) {
      df = spark.sql(request.substring(4));
    } else if (request.startsWith("table:")) {
      df = spark.table(request.substring(6));
    } else if (request.startsWith("load:")) {
      String[] p = request.substring(5).split(":", 2);
      df = spark.read().format(p[0]).load(p[1]);
    } else {
      throw new IllegalArgumentException("unknown request " + request);
    }
    List<String> lines = new ArrayList<>();
    for (Row r : df.collectAsList()) {
      StringBuilder b = new StringBuilder("ROW");
      for (int c = 0; c < r.length(); c++) {
        b.append('\t').append(r.isNullAt(c) ? "null" : r.get(c).toString());
      }
      lines.add(b.toString());
    }
    return lines;
  }
}
