package io.touchpoint.jobs.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.cli.Touchpoint;
import io.touchpoint.clv.ClvSettings;
import io.touchpoint.errors.Errors;
import io.touchpoint.errors.TouchpointException;
import io.touchpoint.jobs.spark.Warehouse;
import io.touchpoint.jobs.support.SparkTestSupport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * When the data cannot identify the models: twelve customers who each bought once. The {@code clv}
 * command fails (exit 3) with the library's message; inside nightly/backfill/demo the stage is
 * skipped with a WARN and writes nothing.
 */
class ClvJobNotIdentifiedTest {
  static final LocalDate RUN = LocalDate.of(2026, 3, 1);
  static final ClvJob.Options STRICT = new ClvJob.Options(ClvSettings.DEFAULT, ClvJob.IfNotIdentified.FAIL);

  @TempDir static Path tmp;
  static Warehouse warehouse;

  @BeforeAll
  static void twelveOneTimeBuyers() {
    List<Row> orders = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      orders.add(ClvOrders.order("o" + i, "c" + i, "store", RUN.minusDays(i), 3, "10.00"));
    }
    warehouse = new Warehouse(SparkTestSupport.spark(), tmp.resolve("warehouse").toString());
    ClvOrders.frame(orders).write().format("delta").save(warehouse.path("silver", "orders"));
  }

  record Run(int code, String err) {}

  static Run cli(String... args) {
    CommandLine cl = Touchpoint.commandLine();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    return new Run(cl.execute(args), err.toString());
  }

  @Test
  void theClvJobFailsWithTheReason() {
    assertThatThrownBy(() -> new ClvJob(warehouse, "strict").run(RUN, STRICT))
        .isInstanceOf(TouchpointException.class)
        .hasMessage("Cannot fit the BG/NBD model: none of the 12 customers made a repeat purchase in the calibration"
            + " period, so purchase rate and dropout cannot be told apart. Use a later calibration end or check that"
            + " repeat purchases are not filtered out of the input.");
    assertThat(warehouse.exists(ClvJob.RESTRICTED, ClvJob.CUSTOMER_VALUE)).as("nothing written").isFalse();
  }

  @Test
  void insideThePipelineTheStageIsSkippedAndWritesNothing() {
    ClvJob.Result r = new ClvJob(warehouse, "nightly").run(RUN, ClvJob.Options.PIPELINE);
    assertThat(r.skipped()).as("skipped").isTrue();
    assertThat(r.skippedBecause()).as("reason").contains("none of the 12 customers made a repeat purchase");
    assertThat(r.customers()).isZero();
    for (String t : List.of(ClvJob.CUSTOMER_VALUE, ClvJob.MODEL, ClvJob.BY_CHANNEL)) {
      assertThat(warehouse.exists(ClvJob.schemaOf(t), t)).as(ClvJob.schemaOf(t) + "." + t + " not written").isFalse();
    }
  }

  @Test
  void theClvCommandExitsWithTheInputCode() {
    Run r = cli("clv", "--run-date", RUN.toString(), "--warehouse", warehouse.root(), "--master", "local[2]");
    assertThat(r.code()).as("exit code").isEqualTo(Errors.EXIT_INPUT);
    assertThat(r.err()).as("stderr").contains("touchpoint clv: Cannot fit the BG/NBD model: none of the 12 customers");
  }

  @Test
  void theClvCommandNeedsSilverOrders() {
    Run r = cli("clv", "--run-date", RUN.toString(), "--warehouse", tmp.resolve("empty").toString(), "--master", "local[2]");
    assertThat(r.code()).as("exit code").isEqualTo(Errors.EXIT_INPUT);
    assertThat(r.err()).as("stderr").contains("Cannot compute customer value for 2026-03-01: the table silver.orders"
        + " does not exist in the warehouse. Run the silver stage first");
  }

  @Test
  void badClvOptionsAreUsageErrors() {
    Run margin = cli("clv", "--run-date", RUN.toString(), "--warehouse", warehouse.root(), "--margin", "1.5");
    assertThat(margin.code()).as("--margin 1.5").isEqualTo(Errors.EXIT_USAGE);
    assertThat(margin.err()).contains("Cannot use --margin 1.5: the margin is a share between 0 and 1");
    Run horizon = cli("clv", "--run-date", RUN.toString(), "--warehouse", warehouse.root(), "--horizon-months", "0");
    assertThat(horizon.code()).as("--horizon-months 0").isEqualTo(Errors.EXIT_USAGE);
    Run missing = cli("clv");
    assertThat(missing.code()).as("no --run-date").isEqualTo(Errors.EXIT_USAGE);
    assertThat(missing.err()).contains("Missing required option: '--run-date=YYYY-MM-DD'");
  }
}
