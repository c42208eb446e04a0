package io.touchpoint.jobs.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.cli.Touchpoint;
import io.touchpoint.errors.Errors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** End to end: the command on ChannelAttribution's pathdata.csv against the shared expected files. */
class AttributionPathsCommandTest {
  private static final Path SHARED = shared();
  private static final Path PATHDATA = SHARED.resolve("reference/markov/pathdata.csv");

  @TempDir Path dir;

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Touchpoint.commandLine();
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void orderOneReproducesTheReferenceFile() throws IOException {
    Path out = dir.resolve("result.csv");
    int code = run("attribution-paths", "--input", PATHDATA.toString(), "--order", "1", "--output", out.toString());
    assertThat(code).as("exit code, stderr: %s", err).isZero();
    assertThat(err.toString()).as("summary line")
        .startsWith("attribution-paths: 10000 journeys, 12 channels, order 1: 12 states,");
    Map<String, Map<String, Double>> actual = csv(out);
    Map<String, Map<String, Double>> expected = csv(SHARED.resolve("reference/markov/pathdata_expected_markov_order1.csv"));
    assertThat(actual.keySet()).as("channels, in file order").containsExactlyElementsOf(expected.keySet());
    assertWithin(actual, expected, 1e-9);
  }

  @Test
  void heuristicsAndBootstrapColumns() throws IOException {
    Path out = dir.resolve("result.csv");
    Path transitions = dir.resolve("transitions.csv");
    int code = run("attribution-paths", "--input", PATHDATA.toString(), "--order", "2", "--heuristics",
        "--bootstrap", "20", "--seed", "5", "--output", out.toString(), "--transitions-output", transitions.toString());
    assertThat(code).as("exit code, stderr: %s", err).isZero();
    List<String> lines = Files.readAllLines(out);
    assertThat(lines.get(0)).as("header").isEqualTo("channel,attributed_conversions,attributed_value,"
        + "removal_effect_conversion,removal_effect_value,first_touch_conversions,first_touch_value,"
        + "last_touch_conversions,last_touch_value,linear_conversions,linear_value,position_based_conversions,"
        + "position_based_value,attributed_conversions_ci_low,attributed_conversions_ci_high,attributed_value_ci_low,"
        + "attributed_value_ci_high");
    Map<String, Map<String, Double>> actual = csv(out);
    Map<String, Map<String, Double>> heuristics = csv(SHARED.resolve("reference/markov/pathdata_expected_heuristics.csv"));
    assertWithin(actual, heuristics, 1e-9);
    double total = actual.values().stream().mapToDouble(r -> r.get("position_based_conversions")).sum();
    assertThat(total).as("position-based hands out every conversion").isCloseTo(19_785, org.assertj.core.api.Assertions.within(1e-7));
    for (Map.Entry<String, Map<String, Double>> e : actual.entrySet()) {
      Map<String, Double> r = e.getValue();
      assertThat(r.get("attributed_conversions_ci_low")).as("%s interval is ordered", e.getKey())
          .isLessThanOrEqualTo(r.get("attributed_conversions_ci_high"));
    }
    assertThat(Files.readAllLines(transitions).get(0)).as("transitions header").isEqualTo("from,to,probability,weight");
  }

  @Test
  void badCountNamesFileLineAndFix() throws IOException {
    Path in = dir.resolve("paths.csv");
    Files.writeString(in, "path,total_conversions,total_null\na > b,1,2\nb,one,2\n");
    int code = run("attribution-paths", "--input", in.toString(), "--output", dir.resolve("o.csv").toString());
    assertThat(code).as("exit code").isEqualTo(Errors.EXIT_INPUT);
    assertThat(err.toString()).as("message").isEqualTo("touchpoint attribution-paths: Cannot read the paths file "
        + in + ": line 3 has total_conversions 'one'. Counts and values must be plain non-negative numbers such as"
        + " 12 or 3.5." + System.lineSeparator());
  }

  @Test
  void explicitColumnMissingFromTheHeaderIsAnError() throws IOException {
    Path in = dir.resolve("paths.csv");
    Files.writeString(in, "path,total_conversions\na,1\n");
    int code = run("attribution-paths", "--input", in.toString(), "--value-column", "revenue",
        "--output", dir.resolve("o.csv").toString());
    assertThat(code).as("exit code").isEqualTo(Errors.EXIT_INPUT);
    assertThat(err.toString()).as("message").contains("its header has no column 'revenue'");
  }

  @Test
  void headerOnlyFileHasNoJourneys() throws IOException {
    Path in = dir.resolve("paths.csv");
    Files.writeString(in, "path,total_conversions,total_conversion_value,total_null\n");
    int code = run("attribution-paths", "--input", in.toString(), "--output", dir.resolve("o.csv").toString());
    assertThat(code).as("exit code").isEqualTo(Errors.EXIT_INPUT);
    assertThat(err.toString()).as("message").contains("Cannot fit the Markov attribution model: there are no journeys");
  }

  @Test
  void badOrderIsAUsageError() {
    int code = run("attribution-paths", "--input", PATHDATA.toString(), "--order", "5", "--output", "x.csv");
    assertThat(code).as("exit code").isEqualTo(Errors.EXIT_USAGE);
    assertThat(err.toString()).as("message").contains("the order must be 1 to 4");
  }

  private static void assertWithin(Map<String, Map<String, Double>> actual, Map<String, Map<String, Double>> expected,
      double tolerance) {
    for (Map.Entry<String, Map<String, Double>> row : expected.entrySet()) {
      for (Map.Entry<String, Double> cell : row.getValue().entrySet()) {
        double a = actual.get(row.getKey()).get(cell.getKey());
        double rel = Math.abs(a - cell.getValue()) / Math.abs(cell.getValue());
        assertThat(rel).as("%s %s: %s vs %s", row.getKey(), cell.getKey(), a, cell.getValue()).isLessThan(tolerance);
      }
    }
  }

  /** {@code touchpoint.shared} (set by surefire), else ../shared from the repository root. */
  private static Path shared() {
    String property = System.getProperty("touchpoint.shared");
    if (property != null) {
      return Path.of(property);
    }
    Path fromModule = Path.of("..", "..", "shared");
    return Files.isDirectory(fromModule) ? fromModule : Path.of("..", "shared");
  }

  private static Map<String, Map<String, Double>> csv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
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
  }
}
