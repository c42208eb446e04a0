package io.touchpoint.jobs.marts;

import io.touchpoint.errors.Errors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads the SQL models from the classpath ({@code sql/} of the repository is packed into the jobs
 * jar under {@value #ROOT}, so {@code spark-submit} finds them) and orders them by the table
 * references in their text: no hand-kept list. A reference that is neither a model nor a table an
 * earlier stage writes, and a cycle, are errors that name the models involved.
 *
 * <p>Java rather than SQL because reading files, parsing headers and sorting a graph are not
 * things SQL does.
 */
public final class SqlModels {
  /** Classpath folder holding {@code gold/*.sql} and {@code staging/*.sql}. */
  public static final String ROOT = "io/touchpoint/sql";
  static final String VIEW_PREFIX = "stg_";
  private static final List<String> SCHEMAS = List.of("bronze", "silver", "ops", "restricted", "gold");
  private static final Pattern TABLE_REF = Pattern.compile(
      "(?<![A-Za-z0-9_.`])(" + String.join("|", SCHEMAS) + ")\\.([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_])");
  private static final Pattern VIEW_REF = Pattern.compile("(?<![A-Za-z0-9_.])(" + VIEW_PREFIX + "[a-z0-9_]+)(?![A-Za-z0-9_])");
  private static final Pattern HEADER = Pattern.compile("^--\\s*([a-z_]+):\\s*(.*)$");
  private static final Pattern CONTINUATION = Pattern.compile("^--\\s{2,}(\\S.*)$");
  private static final Set<String> KEYS = Set.of("table", "view", "grain", "sources", "owner", "params", "write");

  private SqlModels() {}

  /** Every model under {@link #ROOT} of the classpath, sorted by name. */
  public static List<SqlModel> load() {
    Map<String, String> files = new TreeMap<>();
    try {
      Enumeration<URL> roots = SqlModels.class.getClassLoader().getResources(ROOT);
      if (!roots.hasMoreElements()) {
        throw Errors.badSqlModel(ROOT, "no SQL models on the classpath",
            "Build the jobs jar with the sql/ folder as a resource (see jobs/pom.xml)");
      }
      URL root = roots.nextElement();
      if ("jar".equals(root.getProtocol())) {
        JarURLConnection c = (JarURLConnection) root.openConnection();
        c.setUseCaches(false);
        try (JarFile jar = c.getJarFile()) {
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
            JarEntry entry = e.nextElement();
            if (entry.getName().startsWith(ROOT + "/") && entry.getName().endsWith(".sql")) {
              try (InputStream in = jar.getInputStream(entry)) {
                files.put(entry.getName().substring(ROOT.length() + 1), new String(in.readAllBytes(), StandardCharsets.UTF_8));
              }
            }
          }
        }
      } else {
        Path dir = Path.of(root.toURI());
        try (Stream<Path> walk = Files.walk(dir)) {
          for (Path p : walk.filter(f -> f.toString().endsWith(".sql")).toList()) {
            files.put(dir.relativize(p).toString().replace('\\', '/'), Files.readString(p, StandardCharsets.UTF_8));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    List<SqlModel> out = new ArrayList<>();
    files.forEach((path, text) -> out.add(parse("sql/" + path, text)));
    return out;
  }

  /**
   * Parses one file: {@code sql/gold/<t>.sql} is the table {@code gold.<t>} (header {@code table:}),
   * {@code sql/staging/stg_<v>.sql} the view {@code stg_<v>} (header {@code view:}).
   */
  public static SqlModel parse(String resource, String text) {
    String[] parts = resource.split("/");
    String file = parts[parts.length - 1].replaceFirst("\\.sql$", "");
    String folder = parts.length >= 2 ? parts[parts.length - 2] : "";
    Map<String, String> header = header(text);
    String name;
    SqlModel.Write write;
    if (folder.equals("staging")) {
      name = file;
      if (!name.startsWith(VIEW_PREFIX)) {
        throw Errors.badSqlModel(resource, "a staging view's file name must start with " + VIEW_PREFIX,
            "Rename it to " + VIEW_PREFIX + file + ".sql");
      }
      expectHeader(resource, header, "view", name);
      write = SqlModel.Write.VIEW;
    } else if (folder.equals("gold")) {
      name = "gold." + file;
      expectHeader(resource, header, "table", name);
      write = switch (header.getOrDefault("write", "").split(",")[0].strip()) {
        case "periods" -> SqlModel.Write.PERIODS;
        case "overwrite" -> SqlModel.Write.OVERWRITE;
        default -> throw Errors.badSqlModel(resource, "its header has no '-- write: periods' or '-- write: overwrite' line",
            "Say how the table is written: per recomputed period, or whole");
      };
    } else {
      throw Errors.badSqlModel(resource, "models live in sql/gold/ (tables) or sql/staging/ (views)",
          "Move the file into one of those folders");
    }
    for (String key : List.of("grain", "sources", "owner", "params")) {
      if (!header.containsKey(key)) {
        throw Errors.badSqlModel(resource, "its header has no '-- " + key + ":' line",
            "Start the file with the table, grain, sources, owner, params (and for a table write) lines");
      }
    }
    List<String> scope = new ArrayList<>();
    if (write == SqlModel.Write.PERIODS) {
      String[] w = header.get("write").split(",");
      for (int i = 1; i < w.length; i++) {
        scope.add(w[i].strip());
      }
    }
    return new SqlModel(name, resource, header, text, references(text), write, List.copyOf(scope));
  }

  private static void expectHeader(String resource, Map<String, String> header, String key, String name) {
    String declared = header.get(key);
    if (declared == null || !declared.strip().equals(name)) {
      throw Errors.badSqlModel(resource, "its header says '" + key + ": " + declared + "', not '" + name + "'",
          "Start the file with '-- " + key + ": " + name + "' (the name follows the file name)");
    }
  }

  /** The leading comment block's {@code -- key: value} lines; indented comment lines continue the value. */
  static Map<String, String> header(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    String last = null;
    for (String line : text.split("\n")) {
      if (!line.startsWith("--")) {
        break;
      }
      Matcher h = HEADER.matcher(line);
      Matcher c = CONTINUATION.matcher(line);
      if (h.matches() && KEYS.contains(h.group(1))) {
        last = h.group(1);
        out.put(last, h.group(2).strip());
      } else if (last != null && c.matches() && !HEADER.matcher("-- " + c.group(1)).matches()) {
        out.put(last, out.get(last) + " " + c.group(1).strip());
      } else {
        last = null;
      }
    }
    return out;
  }

  /** Tables ({@code schema.table}) and staging views the SQL reads; comments and string literals are ignored. */
  public static Set<String> references(String sql) {
    String code = stripCommentsAndStrings(sql);
    Set<String> out = new TreeSet<>();
    Matcher t = TABLE_REF.matcher(code);
    while (t.find()) {
      out.add(t.group(1) + "." + t.group(2));
    }
    Matcher v = VIEW_REF.matcher(code);
    while (v.find()) {
      out.add(v.group(1));
    }
    return out;
  }

  static String stripCommentsAndStrings(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    int i = 0;
    while (i < sql.length()) {
      char ch = sql.charAt(i);
      if (ch == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
        while (i < sql.length() && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (ch == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? sql.length() : end + 2;
        out.append(' ');
      } else if (ch == '\'' || ch == '"') {
        int j = i + 1;
        while (j < sql.length() && sql.charAt(j) != ch) {
          j += sql.charAt(j) == '\\' ? 2 : 1;
        }
        i = j + 1;
        out.append("''");
      } else {
        out.append(ch);
        i++;
      }
    }
    return out.toString();
  }

  /**
   * The models in an order where every model comes after the models it reads (ties by name, so
   * the order is stable).
   *
   * @param sources tables the earlier stages write, which a model may read
   */
  public static List<SqlModel> order(List<SqlModel> models, Set<String> sources) {
    Map<String, SqlModel> byName = new TreeMap<>();
    for (SqlModel m : models) {
      if (byName.put(m.name(), m) != null) {
        throw Errors.badSqlModel(m.resource(), "two models are named " + m.name(), "Rename one of them");
      }
    }
    Map<String, Set<String>> dependsOn = new TreeMap<>();
    for (SqlModel m : byName.values()) {
      Set<String> deps = new TreeSet<>();
      for (String ref : m.references()) {
        if (byName.containsKey(ref)) {
          if (!ref.equals(m.name())) {
            deps.add(ref);
          }
        } else if (!sources.contains(ref)) {
          throw Errors.badSqlModel(m.resource(), "it reads " + ref + ", which is neither a model in sql/ nor a table"
              + " an earlier stage writes (" + String.join(", ", new TreeSet<>(sources)) + ")",
              "Fix the name, or add the model sql/" + (ref.startsWith(VIEW_PREFIX) ? "staging/" + ref
                  : ref.replace('.', '/')) + ".sql");
        }
      }
      dependsOn.put(m.name(), deps);
    }
    List<SqlModel> out = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    Set<String> onPath = new LinkedHashSet<>();
    for (String name : byName.keySet()) {
      visit(name, byName, dependsOn, done, onPath, out, new ArrayDeque<>());
    }
    return out;
  }

  private static void visit(String name, Map<String, SqlModel> byName, Map<String, Set<String>> dependsOn,
      Set<String> done, Set<String> onPath, List<SqlModel> out, Deque<String> path) {
    if (done.contains(name)) {
      return;
    }
    path.addLast(name);
    if (!onPath.add(name)) {
      List<String> cycle = new ArrayList<>(path);
      cycle = cycle.subList(cycle.indexOf(name), cycle.size());
      throw Errors.badSqlModel(byName.get(name).resource(), "the models read each other in a cycle: "
          + String.join(" → ", cycle), "Remove one of those references");
    }
    for (String dep : dependsOn.get(name)) {
      visit(dep, byName, dependsOn, done, onPath, out, path);
    }
    onPath.remove(name);
    path.removeLast();
    done.add(name);
    out.add(byName.get(name));
  }
}
