package io.touchpoint.jobs.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.errors.Errors;
import io.touchpoint.errors.TouchpointException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where serve takes its token from, and the refusal to open a non-loopback port without one (no Spark is started). */
class ServeCommandTest {
  static final String TOKEN_A = "a".repeat(40);
  static final String TOKEN_B = "b".repeat(40);

  static ServeCommand command(Map<String, String> env, String... args) {
    ServeCommand c = new ServeCommand();
    new CommandLine(c).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
    c.env = env;
    return c;
  }

  @Test
  void theTokenComesFromTheFileFirstThenTheEnvironment(@TempDir Path tmp) throws Exception {
    Path a = Files.writeString(tmp.resolve("a"), TOKEN_A + "\n");
    Path b = Files.writeString(tmp.resolve("b"), TOKEN_B);
    assertThat(command(Map.of("TOUCHPOINT_SERVE_TOKEN_FILE", b.toString(), "TOUCHPOINT_SERVE_TOKEN", TOKEN_B),
        "--token-file", a.toString()).token()).as("--token-file, trimmed").isEqualTo(TOKEN_A);
    assertThat(command(Map.of("TOUCHPOINT_SERVE_TOKEN_FILE", b.toString(), "TOUCHPOINT_SERVE_TOKEN", TOKEN_A)).token())
        .as("TOUCHPOINT_SERVE_TOKEN_FILE before TOUCHPOINT_SERVE_TOKEN").isEqualTo(TOKEN_B);
    assertThat(command(Map.of("TOUCHPOINT_SERVE_TOKEN", TOKEN_A, "SPARK_CONNECT_AUTHENTICATE_TOKEN", TOKEN_B)).token())
        .isEqualTo(TOKEN_A);
    assertThat(command(Map.of("SPARK_CONNECT_AUTHENTICATE_TOKEN", TOKEN_B)).token()).as("Spark's own variable").isEqualTo(TOKEN_B);
    assertThat(command(Map.of()).token()).isNull();
  }

  @Test
  void aNonLoopbackAddressNeedsAToken() {
    assertThatThrownBy(() -> command(Map.of(), "--host", "0.0.0.0").call())
        .isInstanceOfSatisfying(TouchpointException.class, e -> assertThat(e.exitCode()).isEqualTo(Errors.EXIT_CONFIG))
        .hasMessageStartingWith("Cannot serve on 0.0.0.0: it is not a loopback address, so clients must authenticate, and no token is set.");
    assertThatThrownBy(() -> command(Map.of("TOUCHPOINT_SERVE_TOKEN", "too-short"), "--host", "0.0.0.0").call())
        .hasMessage("Cannot use the serve token from TOUCHPOINT_SERVE_TOKEN: it has 9 characters, fewer than the 32 required."
            + " Use a random token, e.g. `openssl rand -hex 32`.");
  }
}
