package io.touchpoint.jobs.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An analyst notebook ({@code notebooks/*.ipynb}) read back for its SQL, the way papermill would
 * run it: the cell tagged {@code parameters} gives each parameter's default, a caller may inject
 * other values, and every {@code spark.sql("""...""")} or {@code spark.sql(f"""...""")} call of a code
 * cell is one statement, its {@code {NAME}} placeholders replaced by the parameters. The notebook
 * tests in {@code notebooks/tests} check (with Python's own parser) that no notebook reaches data any
 * other way, so these statements are all the SQL a notebook runs.
 */
final class Notebook {
  /** One SQL statement of a notebook: its cell, the cell's source and the statement after substitution. */
  record Statement(String notebook, int cell, String cellSource, String sql) {
    /** Marked {@code -- may be empty: <why>}: a healthy warehouse may return no row (e.g. no alert fired). */
    boolean mayBeEmpty() {
      return sql.contains("-- may be empty:");
    }

    @Override
    public String toString() {
      return notebook + " cell " + cell + ":\n" + sql;
    }
  }

  static final Pattern SQL_CALL = Pattern.compile("spark\\.sql\\(\\s*(f?)\"\"\"(.*?)\"\"\"\\s*\\)", Pattern.DOTALL);
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)\\}");
  private static final Pattern ASSIGNMENT = Pattern.compile("^([A-Z][A-Z0-9_]*)\\s*=\\s*(.+?)\\s*(#.*)?$");

  final String name;
  final List<String> codeCells;
  final List<Integer> codeCellIndexes;
  /** The defaults of the cell tagged {@code parameters}, in order; {@code None} is null. */
  final Map<String, String> parameters;

  private Notebook(String name, List<String> codeCells, List<Integer> codeCellIndexes, Map<String, String> parameters) {
    this.name = name;
    this.codeCells = codeCells;
    this.codeCellIndexes = codeCellIndexes;
    this.parameters = parameters;
  }

  /** The repository's notebooks folder, from the jobs module or the repository root. */
  static Path folder() {
    return Path.of(System.getProperty("touchpoint.root", ".."), "notebooks");
  }

  static List<Notebook> all() throws IOException {
    try (Stream<Path> files = Files.list(folder())) {
      List<Notebook> out = new ArrayList<>();
      for (Path p : files.filter(f -> f.toString().endsWith(".ipynb")).sorted().toList()) {
        out.add(read(p));
      }
      return out;
    }
  }

  static Notebook read(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    List<String> code = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    Map<String, String> parameters = null;
    JsonNode cells = root.get("cells");
    for (int i = 0; i < cells.size(); i++) {
      JsonNode cell = cells.get(i);
      if (!"code".equals(cell.path("cell_type").asText())) {
        continue;
      }
      String source = source(cell.get("source"));
      code.add(source);
      indexes.add(i);
      for (JsonNode tag : cell.path("metadata").path("tags")) {
        if ("parameters".equals(tag.asText())) {
          if (parameters != null) {
            throw new IllegalStateException(file + ": more than one cell is tagged 'parameters'");
          }
          parameters = parameters(file, source);
        }
      }
    }
    return new Notebook(file.getFileName().toString(), List.copyOf(code), List.copyOf(indexes),
        parameters == null ? Map.of() : Collections.unmodifiableMap(parameters));
  }

  /** nbformat stores a source as one string or as a list of lines (each with its newline). */
  private static String source(JsonNode source) {
    if (source.isTextual()) {
      return source.asText();
    }
    StringBuilder sb = new StringBuilder();
    source.forEach(line -> sb.append(line.asText()));
    return sb.toString();
  }

  /** {@code NAME = "text"}, {@code NAME = 12} or {@code NAME = None} per line, as papermill's parameter cells are written. */
  private static Map<String, String> parameters(Path file, String source) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : source.split("\n")) {
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      Matcher m = ASSIGNMENT.matcher(line.strip());
      if (!m.matches()) {
        throw new IllegalStateException(file + ": the parameters cell may only assign literals to upper-case names,"
            + " one per line; found: " + line);
      }
      String value = m.group(2);
      if (value.equals("None")) {
        out.put(m.group(1), null);
      } else if (value.matches("\"[^\"\\\\{}]*\"")) {
        out.put(m.group(1), value.substring(1, value.length() - 1));
      } else if (value.matches("-?[0-9]+(\\.[0-9]+)?")) {
        out.put(m.group(1), value);
      } else {
        throw new IllegalStateException(file + ": parameter " + m.group(1) + " is not a string, number or None: " + value);
      }
    }
    return out;
  }

  /** Every SQL statement, with the notebook's parameters overridden by {@code injected} (which must all exist). */
  List<Statement> statements(Map<String, String> injected) {
    Map<String, String> values = new LinkedHashMap<>(parameters);
    injected.forEach((k, v) -> {
      if (!parameters.containsKey(k)) {
        throw new IllegalStateException(name + " has no parameter " + k + " (its parameters: " + parameters.keySet() + ")");
      }
      values.put(k, v);
    });
    List<Statement> out = new ArrayList<>();
    for (int c = 0; c < codeCells.size(); c++) {
      Matcher m = SQL_CALL.matcher(codeCells.get(c));
      while (m.find()) {
        String sql = m.group(1).isEmpty() ? m.group(2) : substitute(values, m.group(2), codeCellIndexes.get(c));
        out.add(new Statement(name, codeCellIndexes.get(c), codeCells.get(c), sql.strip()));
      }
    }
    return out;
  }

  private String substitute(Map<String, String> values, String template, int cell) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      if (!values.containsKey(key) || values.get(key) == null) {
        throw new IllegalStateException(name + " cell " + cell + ": placeholder {" + key + "} is not a parameter with a"
            + " value (parameters " + values + ")");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(values.get(key)));
    }
    m.appendTail(sb);
    String sql = sb.toString();
    if (sql.contains("{") || sql.contains("}")) {
      throw new IllegalStateException(name + " cell " + cell + ": an f-string placeholder other than {NAME} remains in\n" + sql);
    }
    return sql;
  }
}
