package io.touchpoint.jobs.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.cli.Touchpoint;
import io.touchpoint.errors.Errors;
import io.touchpoint.errors.TouchpointException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {
  static final LocalDate START = LocalDate.of(2026, 1, 1);

  @TempDir Path tmp;

  @Test
  void cliWritesTheExports() {
    Path out = tmp.resolve("exports");
    StringWriter stdout = new StringWriter();
    CommandLine cl = Touchpoint.commandLine();
    cl.setOut(new PrintWriter(stdout));
    int code = cl.execute("generate", "--out", out.toString(), "--customers", "200", "--days", "3",
        "--start-date", "2026-01-01", "--seed", "4", "--defect-rate", "0.02", "--file-defects", "1");
    assertThat(code).isEqualTo(Errors.EXIT_OK);
    assertThat(stdout.toString()).contains("Wrote 3 days of exports");
    assertThat(out.resolve("touchpoints/2026-01-03/touches.parquet")).exists();
    assertThat(out.resolve("_defects/manifest.csv")).exists();
  }

  @Test
  void refusesAForeignNonEmptyFolder() throws IOException {
    Files.writeString(tmp.resolve("notes.txt"), "mine");
    assertThatThrownBy(() -> ExportGenerator.generate(GeneratorConfig.of(tmp, 10, 1, START, 1)))
        .isInstanceOf(TouchpointException.class)
        .hasMessageStartingWith("Cannot generate exports into")
        .hasMessageContaining("not a previous `touchpoint generate` output")
        .hasMessageContaining("notes.txt");
    assertThat(tmp.resolve("notes.txt")).exists();
  }

  @Test
  void validatesArguments() {
    assertThatThrownBy(() -> ExportGenerator.generate(GeneratorConfig.of(tmp.resolve("a"), 0, 1, START, 1)))
        .hasMessageContaining("--customers is 0");
    assertThatThrownBy(() -> ExportGenerator.generate(GeneratorConfig.of(tmp.resolve("a"), 1, 0, START, 1)))
        .hasMessageContaining("--days is 0");
    assertThatThrownBy(() -> ExportGenerator.generate(GeneratorConfig.of(tmp.resolve("a"), 1, 1, START, 1).withDefects(0.3, 0)))
        .isInstanceOf(TouchpointException.class)
        .hasMessageContaining("--defect-rate is 0.3");
    StringWriter err = new StringWriter();
    CommandLine cl = Touchpoint.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("generate", "--out", tmp.resolve("b").toString(), "--customers", "-5", "--days", "3",
        "--start-date", "2026-01-01", "--seed", "4");
    assertThat(code).isEqualTo(Errors.EXIT_USAGE);
    assertThat(err.toString()).contains("Cannot generate exports: --customers is -5");
  }
}
