package io.touchpoint.jobs.clv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.touchpoint.clv.CalibrationTable;
import io.touchpoint.clv.Customers;
import io.touchpoint.clv.Fit;
import io.touchpoint.clv.Predictions;
import io.touchpoint.errors.Errors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the clv-fit outputs. Each file is written to a temporary sibling and moved into place, so
 * a rerun replaces a file whole and a reader never sees half of one.
 */
final class ClvOutputs {
  static final String PARAMS = "params.json";
  static final String PREDICTIONS = "predictions.csv";
  static final String CALIBRATION = "calibration.csv";
  private static final int CHUNK = 65_536;

  private ClvOutputs() {}

  static Map<String, Object> fitJson(Fit<?> fit, Map<String, Object> extra) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    Map<String, Object> errors = new LinkedHashMap<>();
    for (int i = 0; i < fit.names().size(); i++) {
      parameters.put(fit.names().get(i), fit.estimates()[i]);
      errors.put(fit.names().get(i), finiteOrNull(fit.standardErrors()[i]));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("parameters", parameters);
    m.put("standard_errors", errors);
    m.put("log_likelihood", fit.logLikelihood());
    m.put("n", (long) fit.customers());
    m.put("iterations", fit.evaluations());
    m.put("converged", fit.converged());
    m.put("gradient_norm", fit.gradientNorm());
    m.put("wall_seconds", fit.wallMillis() / 1000.0);
    m.putAll(extra);
    return m;
  }

  static void writeParams(Path dir, Map<String, Object> params) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    write(dir, PARAMS, out -> out.text(mapper.writeValueAsString(params) + "\n"));
  }

  /** Rows are formatted in parallel chunks of {@value #CHUNK} and written in order. */
  static void writePredictions(Path dir, Customers c, Predictions p) {
    write(dir, PREDICTIONS, out -> {
      boolean ids = c.ids() != null;
      out.text((ids ? "customer_id," : "")
          + "frequency,recency,T,expected_purchases,probability_alive,expected_spend,clv,probability_any_purchase\n");
      out.flush();
      int chunks = (c.size() + CHUNK - 1) / CHUNK;
      List<byte[]> formatted = java.util.stream.IntStream.range(0, chunks).parallel()
          .mapToObj(k -> predictionRows(c, p, k * CHUNK, Math.min(c.size(), (k + 1) * CHUNK)))
          .toList();
      for (byte[] b : formatted) {
        out.bytes(b);
      }
    });
  }

  private static byte[] predictionRows(Customers c, Predictions p, int from, int to) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream((to - from) * 80);
    try (AsciiWriter out = new AsciiWriter(bytes)) {
      for (int i = from; i < to; i++) {
        if (c.ids() != null) {
          out.text(c.ids()[i]).put(',');
        }
        out.integer(c.frequency()[i]).put(',');
        out.fixed(c.recency()[i], 4).put(',');
        out.fixed(c.age()[i], 4).put(',');
        out.fixed(p.expectedPurchases()[i], 6).put(',');
        out.fixed(p.probabilityAlive()[i], 6).put(',');
        out.fixed(p.expectedSpend()[i], 4).put(',');
        out.fixed(p.clv()[i], 4).put(',');
        out.fixed(p.probabilityAnyPurchase()[i], 6).put('\n');
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static void writeCalibration(Path dir, List<CalibrationTable.Row> rows) {
    write(dir, CALIBRATION, out -> {
      out.text("frequency,customers,actual_mean,expected_mean,actual_total,expected_total\n");
      for (CalibrationTable.Row r : rows) {
        out.text(r.frequency()).put(',').integer(r.customers()).put(',');
        out.fixed(r.actualMean(), 6).put(',');
        out.fixed(r.expectedMean(), 6).put(',');
        out.fixed(r.actualMean() * r.customers(), 2).put(',');
        out.fixed(r.expectedMean() * r.customers(), 2).put('\n');
      }
    });
  }

  private static Object finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private interface Body {
    void write(AsciiWriter out) throws IOException;
  }

  private static void write(Path dir, String name, Body body) {
    Path target = dir.resolve(name);
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
      try (AsciiWriter out = new AsciiWriter(Files.newOutputStream(tmp))) {
        body.write(out);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw Errors.input("write " + target, e.getMessage() == null ? e.toString() : e.getMessage(),
          "Check that the output folder is writable and the disk is not full", e);
    }
  }
}
