package io.touchpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.errors.Errors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI as a user meets it: help, argument errors and exit codes (no Spark is started). */
class CliTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    CommandLine cl = Touchpoint.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsEveryJob() {
    Run r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("demo", "generate", "nightly", "backfill", "ingest", "identity", "silver",
        "attribution", "clv", "attribution-paths", "clv-fit", "serve");
  }

  @Test
  void aMissingRunDateIsAUsageError() {
    Run r = run("nightly");
    assertThat(r.code()).isEqualTo(Errors.EXIT_USAGE);
    assertThat(r.err()).contains("Missing required option: '--run-date=YYYY-MM-DD'");
  }

  @Test
  void aStageNeedsEitherARunDateOrARange() {
    Run r = run("ingest", "--from", "2026-01-02");
    assertThat(r.code()).isEqualTo(Errors.EXIT_USAGE);
    assertThat(r.err()).contains("Cannot choose the dates to process").contains("--run-date");
  }

  @Test
  void aBackwardsRangeIsRefused() {
    Run r = run("backfill", "--from", "2026-01-05", "--to", "2026-01-01");
    assertThat(r.code()).isEqualTo(Errors.EXIT_USAGE);
    assertThat(r.err()).contains("--to is before --from");
  }

  @Test
  void anUnparseableDateNamesTheOption() {
    Run r = run("nightly", "--run-date", "05/01/2026");
    assertThat(r.code()).isEqualTo(Errors.EXIT_USAGE);
    assertThat(r.err()).contains("--run-date").contains("05/01/2026");
  }

  @Test
  void serveRefusesBadOptionsBeforeStartingSpark(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Run port = run("serve", "--port", "70000");
    assertThat(port.code()).isEqualTo(Errors.EXIT_USAGE);
    assertThat(port.err()).contains("Cannot serve on port 70000: a port is 0..65535");
    Run role = run("serve", "--role", "admin");
    assertThat(role.code()).isEqualTo(Errors.EXIT_USAGE);
    assertThat(role.err()).contains("--role").contains("admin");
    Path weak = Files.writeString(tmp.resolve("token"), "short\n");
    Run token = run("serve", "--token-file", weak.toString());
    assertThat(token.code()).isEqualTo(Errors.EXIT_CONFIG);
    assertThat(token.err()).contains("it has 5 characters, fewer than the 32 required").doesNotContain("short");
    Run missing = run("serve", "--token-file", tmp.resolve("absent").toString());
    assertThat(missing.code()).isEqualTo(Errors.EXIT_CONFIG);
    assertThat(missing.err()).contains("Cannot read the serve token");
  }

  @Test
  void theLauncherAndTheTestsUseTheSameJvmFlags() throws Exception {
    Path root = Path.of(System.getProperty("touchpoint.root", ".."));
    List<String> launcher = Files.readAllLines(root.resolve("bin/jvm-options")).stream()
        .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    Matcher m = Pattern.compile("<spark.jvm.options>(.*?)</spark.jvm.options>", Pattern.DOTALL)
        .matcher(Files.readString(root.resolve("pom.xml")));
    assertThat(m.find()).isTrue();
    assertThat(Arrays.asList(m.group(1).trim().split("\\s+"))).isEqualTo(launcher);
  }
}
