package io.touchpoint.jobs.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorDeterminismTest {
  static final LocalDate START = LocalDate.of(2026, 2, 1);

  @TempDir Path tmp;

  @Test
  void sameArgumentsGiveByteIdenticalFiles() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    ExportGenerator.generate(GeneratorConfig.of(a, 600, 8, START, 99).withDefects(0.05, 2));
    ExportGenerator.generate(GeneratorConfig.of(b, 600, 8, START, 99).withDefects(0.05, 2));
    List<Path> files = files(a);
    assertThat(files).hasSize(8 * 10 + 7);
    assertThat(files(b)).isEqualTo(files);
    for (Path f : files) {
      assertThat(Files.mismatch(a.resolve(f), b.resolve(f))).as(f.toString()).isEqualTo(-1L);
    }
  }

  @Test
  void anotherSeedGivesOtherData() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    ExportGenerator.generate(GeneratorConfig.of(a, 300, 3, START, 1));
    ExportGenerator.generate(GeneratorConfig.of(b, 300, 3, START, 2));
    assertThat(Files.mismatch(a.resolve("_truth/persons.csv"), b.resolve("_truth/persons.csv"))).isNotEqualTo(-1L);
  }

  @Test
  void defectsDoNotChangeTheGroundTruth() throws IOException {
    Path clean = tmp.resolve("clean");
    Path broken = tmp.resolve("broken");
    ExportGenerator.generate(GeneratorConfig.of(clean, 600, 8, START, 5));
    GenerationSummary s = ExportGenerator.generate(GeneratorConfig.of(broken, 600, 8, START, 5).withDefects(0.1, 3));
    assertThat(s.defects()).isPositive();
    for (String f : List.of("_truth/channel_effects.csv", "_truth/config.json", "_truth/persons.csv",
        "_truth/purchase_process.csv")) {
      assertThat(Files.mismatch(clean.resolve(f), broken.resolve(f))).as(f).isEqualTo(-1L);
    }
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(broken.resolve("_truth/summary.json").toFile()).get("figures"))
        .isEqualTo(json.readTree(clean.resolve("_truth/summary.json").toFile()).get("figures"));
  }

  @Test
  void rerunningIntoAPreviousOutputReplacesIt() throws IOException {
    Path out = tmp.resolve("out");
    ExportGenerator.generate(GeneratorConfig.of(out, 300, 4, START, 3));
    ExportGenerator.generate(GeneratorConfig.of(out, 300, 2, START, 3));
    try (Stream<Path> days = Files.list(out.resolve("pos"))) {
      assertThat(days.count()).isEqualTo(2);
    }
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }
}
