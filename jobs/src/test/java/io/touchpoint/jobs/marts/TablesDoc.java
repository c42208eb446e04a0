package io.touchpoint.jobs.marts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docs/TABLES.md read back: table → column → documented type. */
final class TablesDoc {
  private static final Pattern HEADING = Pattern.compile("^## ([a-z_]+\\.[a-z_]+)\\s*$");
  private static final Pattern ROW = Pattern.compile("^\\| ([a-z_0-9]+) \\| ([a-z0-9(),]+) \\| (.+) \\|\\s*$");

  private TablesDoc() {}

  static Path file() {
    return Path.of(System.getProperty("touchpoint.root", ".."), "docs", "TABLES.md");
  }

  static Map<String, Map<String, String>> read() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    Map<String, String> current = null;
    try {
      for (String line : Files.readAllLines(file())) {
        Matcher h = HEADING.matcher(line);
        Matcher r = ROW.matcher(line);
        if (h.matches()) {
          current = new LinkedHashMap<>();
          out.put(h.group(1), current);
        } else if (current != null && r.matches() && !r.group(1).equals("column")) {
          current.put(r.group(1), r.group(2));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
