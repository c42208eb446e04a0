package io.touchpoint.jobs.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.cli.Touchpoint;
import io.touchpoint.errors.Errors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ClvFitCommandTest {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private static Path reference(String name) {
    String shared = System.getProperty("touchpoint.shared", "../shared");
    return Path.of(shared, "reference", "clv", name);
  }

  private int run(String... args) {
    CommandLine cl = Touchpoint.commandLine();
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    return cl.execute(args);
  }

  private static JsonNode params(Path out) throws IOException {
    return new ObjectMapper().readTree(out.resolve("params.json").toFile());
  }

  @Test
  void fitsCdnowTransactionsEndToEnd() throws IOException {
    Path out = dir.resolve("out");
    int code = run("clv-fit", "--transactions", reference("CDNOW_sample.txt").toString(),
        "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30", "--output", out.toString());
    assertThat(code).as("exit code; stderr: %s", err).isZero();

    JsonNode bgnbd = params(out).path("models").path("bgnbd");
    assertThat(bgnbd.path("parameters").path("r").asDouble()).as("r").isCloseTo(0.2425982, within(2.5e-5));
    assertThat(bgnbd.path("parameters").path("alpha").asDouble()).as("alpha").isCloseTo(4.4136842, within(4.5e-4));
    assertThat(bgnbd.path("parameters").path("a").asDouble()).as("a").isCloseTo(0.7929899, within(8e-5));
    assertThat(bgnbd.path("parameters").path("b").asDouble()).as("b").isCloseTo(2.4261667, within(3e-4));
    assertThat(bgnbd.path("log_likelihood").asDouble()).as("LL").isCloseTo(-9582.429, within(1e-3));
    assertThat(bgnbd.path("n").asInt()).as("n").isEqualTo(2357);
    assertThat(bgnbd.path("converged").asBoolean()).as("converged").isTrue();
    assertThat(bgnbd.path("standard_errors").path("r").asDouble()).as("se r").isCloseTo(0.0126, within(5e-4));
    JsonNode gg = params(out).path("models").path("gamma_gamma");
    assertThat(gg.path("parameters").path("p").asDouble()).as("p").isCloseTo(6.25, within(5e-3));
    assertThat(gg.path("parameters").path("q").asDouble()).as("q").isCloseTo(3.74, within(5e-3));
    assertThat(gg.path("parameters").path("gamma").asDouble()).as("gamma").isCloseTo(15.44, within(5e-3));
    assertThat(gg.path("log_likelihood").asDouble()).as("GG LL").isCloseTo(-4055.92, within(5e-3));
    assertThat(params(out).path("prediction_horizon_weeks").asDouble()).as("horizon = holdout").isEqualTo(39.0);

    List<String> predictions = Files.readAllLines(out.resolve("predictions.csv"));
    assertThat(predictions).as("header + one row per customer").hasSize(2358);
    assertThat(predictions.get(0)).as("header")
        .isEqualTo("customer_id,frequency,recency,T,expected_purchases,probability_alive,expected_spend,clv,"
            + "probability_any_purchase");
    String[] first = predictions.get(1).split(",");
    assertThat(first[0]).as("customer 1 id").isEqualTo("0001");
    assertThat(Double.parseDouble(first[4])).as("customer 1: E[Y(39)] (published 1.226)").isCloseTo(1.226, within(5e-4));
    // P(any purchase in 39 weeks) = P(alive) (1 - ((alpha+T)/(alpha+T+39))^(r+x)), x = 2, T = 38.857 (exact days)
    double alpha = bgnbd.path("parameters").path("alpha").asDouble();
    double r = bgnbd.path("parameters").path("r").asDouble();
    double t = Double.parseDouble(first[3]);
    double none = Math.pow((alpha + t) / (alpha + t + 39), r + 2);
    assertThat(Double.parseDouble(first[8])).as("customer 1: P(any purchase in 39 weeks)")
        .isCloseTo(Double.parseDouble(first[5]) * (1 - none), within(2e-6));

    List<String> calibration = Files.readAllLines(out.resolve("calibration.csv"));
    assertThat(calibration).as("header + classes 0..7+").hasSize(9);
    double actual = 0;
    long customers = 0;
    for (String line : calibration.subList(1, calibration.size())) {
      String[] f = line.split(",");
      customers += Long.parseLong(f[1]);
      actual += Double.parseDouble(f[4]);
    }
    assertThat(actual).as("actual holdout repeats").isEqualTo(1882.0);
    assertThat(customers).as("customers").isEqualTo(2357);
  }

  @Test
  void fitsMbgNbdOnCdnowTransactions() throws IOException {
    Path out = dir.resolve("out");
    int code = run("clv-fit", "--transactions", reference("CDNOW_sample.txt").toString(), "--model", "mbgnbd",
        "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30", "--output", out.toString());
    assertThat(code).as("exit code; stderr: %s", err).isZero();
    JsonNode m = params(out).path("models").path("mbgnbd");
    // BTYDplus / lifetimes: r 0.525, alpha 6.183, a 0.891, b 1.614
    assertThat(m.path("parameters").path("r").asDouble()).as("r").isCloseTo(0.525, within(5e-4));
    assertThat(m.path("parameters").path("alpha").asDouble()).as("alpha").isCloseTo(6.183, within(5e-4));
    assertThat(m.path("parameters").path("a").asDouble()).as("a").isCloseTo(0.891, within(5e-4));
    assertThat(m.path("parameters").path("b").asDouble()).as("b").isCloseTo(1.614, within(5e-4));
    assertThat(m.path("log_likelihood").asDouble()).as("LL").isCloseTo(-9582.1357, within(1e-4));
    List<String> calibration = Files.readAllLines(out.resolve("calibration.csv"));
    double expected = 0;
    for (String line : calibration.subList(1, calibration.size())) {
      expected += Double.parseDouble(line.split(",")[5]);
    }
    assertThat(expected).as("expected holdout repeats (mpmath at the maximum: 1,576.73)").isCloseTo(1576.73, within(0.05));
  }

  @Test
  void rerunReplacesTheOutputs() throws IOException {
    Path out = dir.resolve("out");
    String[] args = {"clv-fit", "--rfm", reference("cdnow_customers_summary.csv").toString(), "--output", out.toString()};
    assertThat(run(args)).as("first run").isZero();
    String before = Files.readString(out.resolve("predictions.csv"));
    assertThat(run(args)).as("second run").isZero();
    assertThat(Files.readString(out.resolve("predictions.csv"))).as("same predictions").isEqualTo(before);
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).as("no temporary files left")
          .containsExactly("params.json", "predictions.csv");
    }
  }

  @Test
  void fitsTheRoundedCdnowSummaryLikeLifetimes() throws IOException {
    Path out = dir.resolve("out");
    assertThat(run("clv-fit", "--rfm", reference("cdnow_customers_summary.csv").toString(), "--output", out.toString()))
        .as("exit code; stderr: %s", err).isZero();
    JsonNode p = params(out).path("models").path("bgnbd").path("parameters");
    // lifetimes' BetaGeoFitter on this file: r 0.2426, alpha 4.4137, a 0.7930, b 2.4259.
    assertThat(p.path("r").asDouble()).as("r").isCloseTo(0.2426, within(5e-5));
    assertThat(p.path("alpha").asDouble()).as("alpha").isCloseTo(4.4137, within(5e-4));
    assertThat(p.path("a").asDouble()).as("a").isCloseTo(0.7930, within(5e-4));
    assertThat(p.path("b").asDouble()).as("b").isCloseTo(2.4259, within(5e-4));
    assertThat(params(out).path("models").has("gamma_gamma")).as("no spend model without values").isFalse();
    List<String> predictions = Files.readAllLines(out.resolve("predictions.csv"));
    assertThat(predictions.get(1)).as("id carried, spend and CLV empty, P(any purchase) given")
        .startsWith("1,2,30.4300,38.8600,").matches(".*,,,0\\.\\d{6}");
  }

  @Test
  void fitsParetoNbdOnRequest() throws IOException {
    Path out = dir.resolve("out");
    assertThat(run("clv-fit", "--transactions", reference("CDNOW_sample.txt").toString(), "--format", "cdnow",
        "--calibration-end", "1997-09-30", "--model", "pareto", "--output", out.toString())).isZero();
    JsonNode pareto = params(out).path("models").path("pareto");
    assertThat(pareto.path("parameters").path("s").asDouble()).as("s").isCloseTo(0.606, within(5e-4));
    assertThat(pareto.path("log_likelihood").asDouble()).as("LL").isCloseTo(-9595.0, within(0.05));
    assertThat(params(out).path("prediction_horizon_weeks").asDouble()).as("default horizon").isEqualTo(52.0);
    assertThat(out.resolve("calibration.csv")).as("no holdout, no calibration table").doesNotExist();
  }

  @Test
  void readsCsvTransactionsWithNamedColumns() throws IOException {
    Path log = dir.resolve("orders.csv");
    StringBuilder csv = new StringBuilder("order_id,buyer,ordered_on,amount_cny\n");
    int order = 0;
    for (int c = 0; c < 30; c++) {
      for (int k = 0; k <= c % 4; k++) {
        csv.append(++order).append(",b").append(c).append(",2024-0").append(1 + k).append("-1").append(c % 9)
            .append(',').append(10 + c + k).append('\n');
      }
    }
    Files.writeString(log, csv);
    Path out = dir.resolve("out");
    int code = run("clv-fit", "--transactions", log.toString(), "--calibration-end", "2024-06-30",
        "--customer-column", "buyer", "--date-column", "ordered_on", "--value-column", "amount_cny",
        "--output", out.toString());
    assertThat(code).as("exit code; stderr: %s", err).isZero();
    assertThat(params(out).path("customers").asInt()).as("customers").isEqualTo(30);
    assertThat(Files.readAllLines(out.resolve("predictions.csv")).get(1)).as("first customer").startsWith("b0,0,0.0000,");
  }

  @Test
  void badValueNamesFileLineAndColumn() throws IOException {
    Path rfm = dir.resolve("rfm.csv");
    Files.writeString(rfm, "customer_id,frequency,recency,T\nc1,1,2.5,10\nc2,2,abc,10\n");
    assertThat(run("clv-fit", "--rfm", rfm.toString(), "--output", dir.resolve("out").toString()))
        .as("exit code").isEqualTo(Errors.EXIT_INPUT);
    assertThat(err.toString()).as("message")
        .contains("Cannot read " + rfm)
        .contains("line 3, column 'recency' has 'abc', not a number");
  }

  @Test
  void badValueDeepInALargeFileKeepsItsLineNumber() throws IOException {
    Path rfm = dir.resolve("rfm.csv");
    StringBuilder csv = new StringBuilder("customer_id,frequency,recency,T,monetary_value\n");
    for (int line = 2; line <= 5000; line++) {
      csv.append('c').append(line).append(line == 4321 ? ",-1" : ",1").append(",2.5,10,12.50\n");
    }
    Files.writeString(rfm, csv);
    assertThat(run("clv-fit", "--rfm", rfm.toString(), "--output", dir.resolve("out").toString()))
        .as("exit code").isEqualTo(Errors.EXIT_INPUT);
    assertThat(err.toString()).as("message")
        .contains("line 4321, column 'frequency' has '-1', not a count of repeat purchases (0 or more)");
  }

  @Test
  void recencyAfterAgeIsRejected() throws IOException {
    Path rfm = dir.resolve("rfm.csv");
    Files.writeString(rfm, "frequency,recency,T\n1,12,10\n");
    assertThat(run("clv-fit", "--rfm", rfm.toString(), "--output", dir.resolve("out").toString()))
        .as("exit code").isEqualTo(Errors.EXIT_INPUT);
    assertThat(err.toString()).as("message").contains("line 2, column 'recency' has '12', not a recency in weeks"
        + " between 0 and T (10.0)");
  }

  @Test
  void missingColumnSaysHowToFix() throws IOException {
    Path rfm = dir.resolve("rfm.csv");
    Files.writeString(rfm, "customer_id,frequency,T\nc1,1,10\n");
    assertThat(run("clv-fit", "--rfm", rfm.toString(), "--output", dir.resolve("out").toString()))
        .as("exit code").isEqualTo(Errors.EXIT_INPUT);
    assertThat(err.toString()).as("message").contains("no column 'recency' in the header [customer_id, frequency, T]")
        .contains("Name the columns frequency,recency,T[,monetary_value]");
  }

  @Test
  void nobodyRepeatingIsReportedAsUnidentifiable() throws IOException {
    Path rfm = dir.resolve("rfm.csv");
    Files.writeString(rfm, "frequency,recency,T\n" + "0,0,10\n".repeat(20));
    assertThat(run("clv-fit", "--rfm", rfm.toString(), "--output", dir.resolve("out").toString()))
        .as("exit code").isEqualTo(Errors.EXIT_INPUT);
    assertThat(err.toString()).as("message").contains("Cannot fit the BG/NBD model: none of the 20 customers");
  }

  @Test
  void usageErrors() {
    String rfm = reference("cdnow_customers_summary.csv").toString();
    String out = dir.resolve("out").toString();
    assertThat(run("clv-fit", "--rfm", rfm, "--margin", "1.5", "--output", out)).as("margin > 1").isEqualTo(Errors.EXIT_USAGE);
    assertThat(err.toString()).as("margin message").contains("Cannot use --margin 1.5: the gross margin must be between 0 and 1");
    assertThat(run("clv-fit", "--rfm", rfm, "--transactions", rfm, "--calibration-end", "1997-09-30", "--output", out))
        .as("both inputs").isEqualTo(Errors.EXIT_USAGE);
    assertThat(run("clv-fit", "--transactions", rfm, "--output", out)).as("no calibration end").isEqualTo(Errors.EXIT_USAGE);
  }
}
