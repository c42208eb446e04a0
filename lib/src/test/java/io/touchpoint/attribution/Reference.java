package io.touchpoint.attribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shared reference files ({@code touchpoint.shared}, else {@code ../shared}). */
final class Reference {
  private Reference() {}

  static Path file(String relative) {
    String shared = System.getProperty("touchpoint.shared");
    Path base = shared != null ? Path.of(shared) : Path.of("..", "shared");
    if (!Files.isDirectory(base)) {
      base = Path.of("..", "..", "shared");
    }
    return base.resolve(relative);
  }

  static Journeys pathdata() {
    Path p = file("reference/markov/pathdata.csv");
    try {
      return PathsCsv.parse(Files.readAllBytes(p), p.toString(), PathsCsv.Format.defaults());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rows of a small CSV keyed by its first column; values parsed as doubles. */
  static Map<String, Map<String, Double>> expected(String relative) {
    try {
      List<String> lines = Files.readAllLines(file(relative));
      String[] header = lines.get(0).split(",");
      Map<String, Map<String, Double>> out = new LinkedHashMap<>();
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",");
        Map<String, Double> row = new LinkedHashMap<>();
        for (int i = 1; i < header.length; i++) {
          row.put(header[i], Double.parseDouble(f[i]));
        }
        out.put(f[0], row);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static double relativeDifference(double actual, double expected) {
    return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  }
}
