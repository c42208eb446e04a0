package io.touchpoint.jobs.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.pii.Pii;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test-only list of generated personal data is the generator's: same people, and in the exports. */
class GeneratedPiiTest {
  @TempDir Path tmp;

  @Test
  void theListMatchesTheTruthFileAndTheExports() throws IOException {
    GeneratorConfig config = GeneratorConfig.of(tmp.resolve("exports"), 300, 2, LocalDate.of(2026, 3, 1), 5);
    ExportGenerator.generate(config);
    GeneratedPii pii = GeneratedPii.of(config);
    assertThat(pii.phones).hasSize(300);
    List<String> truth = Files.readAllLines(tmp.resolve("exports/_truth/persons.csv"));
    List<String> hashes = new ArrayList<>();
    for (String line : truth.subList(1, truth.size())) {
      hashes.add(line.split(",", -1)[2]);
    }
    assertThat(pii.phones.stream().map(p -> Pii.demo().phoneHash(p)).toList())
        .as("each person's phone hashes to the truth file's phone_hash, in order").isEqualTo(hashes);
    assertThat(pii.emails).isNotEmpty();
    assertThat(pii.names).isNotEmpty();
    StringBuilder exports = new StringBuilder();
    try (Stream<Path> files = Files.walk(tmp.resolve("exports"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".csv") || p.toString().endsWith(".jsonl")).toList()) {
        Charset cs = f.toString().contains("tmall") || f.toString().contains("pinduoduo") ? Charset.forName("GBK") : StandardCharsets.UTF_8;
        exports.append(new String(Files.readAllBytes(f), cs)).append('\n');
      }
    }
    List<String> found = pii.scan().leaks("exports", exports.toString());
    assertThat(found).as("the exports hold phones, e-mails and names in clear, and the scan sees them")
        .anySatisfy(x -> assertThat(x).contains("phone"))
        .anySatisfy(x -> assertThat(x).contains("e-mail"))
        .anySatisfy(x -> assertThat(x).contains("name"));
  }
}
