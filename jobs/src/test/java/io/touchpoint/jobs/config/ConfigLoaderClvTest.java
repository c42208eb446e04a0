package io.touchpoint.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.touchpoint.clv.ClvSettings;
import io.touchpoint.errors.Errors;
import io.touchpoint.errors.TouchpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLV settings resolve like every other key: CLI flag > environment > config file > default. */
class ConfigLoaderClvTest {
  @TempDir Path dir;

  private Path file(String text) throws IOException {
    Path f = dir.resolve("touchpoint.properties");
    Files.writeString(f, text);
    return f;
  }

  private static ClvSettings clv(Map<String, String> env, Path file, Map<String, String> flags) {
    return new ConfigLoader(env).load(file, flags, true).clv();
  }

  @Test
  void defaultsWithoutAnySetting() {
    assertThat(clv(Map.of(), null, Map.of())).isEqualTo(new ClvSettings(0.30, 0.01, 12, "bgnbd"))
        .isEqualTo(ClvSettings.DEFAULT);
  }

  @Test
  void eachLayerOverridesTheOneBelow() throws IOException {
    Path f = file("clv.margin=0.40\nclv.discount-monthly=0.02\nclv.horizon-months=24\n");
    assertThat(clv(Map.of(), f, Map.of())).as("file").isEqualTo(new ClvSettings(0.40, 0.02, 24));
    Map<String, String> env = Map.of("TOUCHPOINT_CLV_MARGIN", "0.5", "TOUCHPOINT_CLV_HORIZON_MONTHS", "36");
    assertThat(clv(env, f, Map.of())).as("environment over file").isEqualTo(new ClvSettings(0.5, 0.02, 36));
    assertThat(clv(env, f, Map.of("clv.margin", "0.6", "clv.discount-monthly", "0"))).as("flags over environment")
        .isEqualTo(new ClvSettings(0.6, 0.0, 36));
    Path model = file("clv.model=mbgnbd\n");
    assertThat(clv(Map.of(), model, Map.of()).frequencyModel()).as("model from the file").isEqualTo("mbgnbd");
    assertThat(clv(Map.of("TOUCHPOINT_CLV_MODEL", "BGNBD"), model, Map.of()).frequencyModel())
        .as("model from the environment, any case").isEqualTo("bgnbd");
    assertThat(clv(Map.of("TOUCHPOINT_CLV_MODEL", "bgnbd"), model, Map.of("clv.model", "mbgnbd")).frequencyModel())
        .as("model from the flag").isEqualTo("mbgnbd");
  }

  @Test
  void badValuesAreConfigurationErrorsNamingTheKey() throws IOException {
    assertThatThrownBy(() -> clv(Map.of(), file("clv.margin=1.3\n"), Map.of()))
        .isInstanceOf(TouchpointException.class).hasMessageContaining("clv.margin=1.3")
        .hasMessageContaining("between 0 and 1")
        .satisfies(e -> assertThat(((TouchpointException) e).exitCode()).isEqualTo(Errors.EXIT_CONFIG));
    assertThatThrownBy(() -> clv(Map.of("TOUCHPOINT_CLV_HORIZON_MONTHS", "6.5"), null, Map.of()))
        .isInstanceOf(TouchpointException.class).hasMessageContaining("clv.horizon-months=6.5")
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> clv(Map.of("TOUCHPOINT_CLV_MODEL", "pareto"), null, Map.of()))
        .isInstanceOf(TouchpointException.class).hasMessageContaining("clv.model=pareto")
        .hasMessageContaining("bgnbd or mbgnbd");
    assertThatThrownBy(() -> clv(Map.of(), file("clv.discount-monthly=one percent\n"), Map.of()))
        .isInstanceOf(TouchpointException.class).hasMessageContaining("clv.discount-monthly")
        .hasMessageContaining("not a number");
  }
}
