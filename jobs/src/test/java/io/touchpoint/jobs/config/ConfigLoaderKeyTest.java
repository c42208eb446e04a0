package io.touchpoint.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.errors.Errors;
import io.touchpoint.errors.TouchpointException;
import io.touchpoint.pii.Pii;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HMAC key rules: required outside demo, the public demo key refused unless allowed (--demo), never shown. */
class ConfigLoaderKeyTest {
  static final String SECRET = "3f9a1c7e5b2d8f0a6c4e1b9d7f3a5c8e2b0d6f4a1c9e7b5d3f1a8c6e4b2d0f9a";

  @TempDir Path tmp;

  static TouchpointConfig load(Map<String, String> env, Path configFile, boolean demoAllowed) {
    return new ConfigLoader(env).load(configFile, Map.of(), demoAllowed);
  }

  static void assertConfigError(Runnable r, String... fragments) {
    assertThatThrownBy(r::run).isInstanceOf(TouchpointException.class)
        .satisfies(e -> assertThat(((TouchpointException) e).exitCode()).isEqualTo(Errors.EXIT_CONFIG))
        .hasMessageStartingWith("Cannot hash phone numbers and e-mails: ")
        .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
  }

  @Test
  void withoutAKeyOnlyADemoRunFallsBackToTheDemoKey() {
    assertConfigError(() -> load(Map.of(), null, false), "no HMAC key is configured", "TOUCHPOINT_HMAC_KEY", "--demo");
    assertThat(load(Map.of(), null, true).pii().isDemoKey()).isTrue();
  }

  @Test
  void theDemoKeyIsRefusedUnlessDemoWhetherFromTheEnvironmentOrAKeyFile() throws IOException {
    assertConfigError(() -> load(Map.of("TOUCHPOINT_HMAC_KEY", Pii.DEMO_KEY), null, false), "public demo key", "--demo");
    Path keyFile = Files.writeString(tmp.resolve("demo.key"), Pii.DEMO_KEY + "\n");
    Path conf = Files.writeString(tmp.resolve("touchpoint.properties"), "pii.hmac-key-file=" + keyFile + "\n");
    assertConfigError(() -> load(Map.of(), conf, false), "public demo key");
    assertConfigError(() -> load(Map.of("TOUCHPOINT_HMAC_KEY_FILE", keyFile.toString()), null, false), "public demo key");
    assertThat(load(Map.of("TOUCHPOINT_HMAC_KEY", Pii.DEMO_KEY), null, true).pii().isDemoKey()).as("with --demo").isTrue();
  }

  @Test
  void aSecretKeyIsUsedEvenInADemoAndNeverShown() throws IOException {
    Pii fromEnv = load(Map.of("TOUCHPOINT_HMAC_KEY", SECRET), null, true).pii();
    assertThat(fromEnv.isDemoKey()).isFalse();
    Path keyFile = Files.writeString(tmp.resolve("secret.key"), SECRET + "\n");
    TouchpointConfig fromFile = load(Map.of("TOUCHPOINT_HMAC_KEY_FILE", keyFile.toString()), null, false);
    assertThat(fromFile.pii().phoneHash("13812345678")).as("the file's key, trimmed, is the same key")
        .isEqualTo(fromEnv.phoneHash("138-1234-5678")).isNotEqualTo(Pii.demo().phoneHash("13812345678"));
    assertThat(fromFile.toString()).as("a printed config").doesNotContain(SECRET).contains("Pii[key redacted]");
    assertThat(load(Map.of(), null, true).toString()).contains("Pii[public demo key]");
  }

  @Test
  void aShortKeyOrAnUnreadableKeyFileIsAConfigurationError() {
    assertConfigError(() -> load(Map.of("TOUCHPOINT_HMAC_KEY", "too-short"), null, false), "9 bytes, fewer than the 32 required");
    assertThatThrownBy(() -> load(Map.of("TOUCHPOINT_HMAC_KEY_FILE", tmp.resolve("absent.key").toString()), null, false))
        .isInstanceOf(TouchpointException.class)
        .satisfies(e -> assertThat(((TouchpointException) e).exitCode()).isEqualTo(Errors.EXIT_CONFIG))
        .hasMessageStartingWith("Cannot read the HMAC key file " + tmp.resolve("absent.key"));
  }
}
