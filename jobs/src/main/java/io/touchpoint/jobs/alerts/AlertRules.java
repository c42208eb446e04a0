package io.touchpoint.jobs.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.touchpoint.errors.Errors;
import io.touchpoint.jobs.marts.MartsJob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads alert rules from YAML (Jackson's YAML module, the Jackson version Spark already brings)
 * and checks every field, so that a mistake is reported as exit code 5 with the file, the rule and
 * the field, before anything runs. Format (README "Alert rules"):
 * <pre>
 * rules:
 *   - name: data-accuracy
 *     kpi: data_accuracy
 *     period: day            # day | week | month | quarter
 *     channels: each         # all (default) | each | [pos, webshop]
 *     severity: critical     # warning | critical
 *     below: 0.98            # exactly one of below, above, drop, rise, drop_relative, rise_relative
 *     min_denominator: 100   # optional
 *     description: ...       # optional
 * </pre>
 */
public final class AlertRules {
  /** The rules file inside the jobs jar: a copy of conf/alerts.yaml. */
  public static final String BUILT_IN = "io/touchpoint/conf/alerts.yaml";
  public static final String ENV = "TOUCHPOINT_ALERTS_FILE";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Set<String> FIELDS = Set.of("name", "kpi", "period", "channels", "severity", "min_denominator",
      "description", "below", "above", "drop", "rise", "drop_relative", "rise_relative");
  private static final String FORMAT = "See README \"Alert rules\" for the format";

  private AlertRules() {}

  /**
   * The rules of a run: {@code --rules FILE}, else {@code $TOUCHPOINT_ALERTS_FILE}, else
   * {@code <touchpoint.home>/conf/alerts.yaml} when present, else the copy of conf/alerts.yaml in the jar.
   */
  public static List<AlertRule> resolve(Path explicit, Map<String, String> env) {
    Path path = explicit;
    if (path == null && env.get(ENV) != null && !env.get(ENV).isBlank()) {
      path = Path.of(env.get(ENV));
    }
    if (path == null && System.getProperty("touchpoint.home") != null) {
      Path home = Path.of(System.getProperty("touchpoint.home"), "conf", "alerts.yaml");
      path = Files.isRegularFile(home) ? home : null;
    }
    if (path != null) {
      return read(path);
    }
    try (InputStream in = AlertRules.class.getClassLoader().getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw Errors.config("read the alert rules", "no --rules file, no $" + ENV + " and no " + BUILT_IN + " in the jar",
            "Pass --rules conf/alerts.yaml");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "conf/alerts.yaml (built in)");
    } catch (IOException e) {
      throw Errors.config("read the built-in alert rules", e.toString(), "Pass --rules conf/alerts.yaml");
    }
  }

  public static List<AlertRule> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw Errors.config("read the alert rules " + file, e.getClass().getSimpleName() + " " + e.getMessage(),
          "Pass --rules with a readable YAML file (or set $" + ENV + ")");
    }
    return parse(text, file.toString());
  }

  /** Parses and checks a rules document; {@code source} names it in messages. */
  public static List<AlertRule> parse(String yaml, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw Errors.config("read the alert rules " + source, "it is not valid YAML" + where + ": " + e.getOriginalMessage(),
          "Fix the YAML syntax (indentation, colons, dashes)");
    }
    if (root == null || !root.isObject() || !root.has("rules") || !root.get("rules").isArray()) {
      throw Errors.config("read the alert rules " + source, "it has no 'rules:' list at the top",
          "Start the file with 'rules:' and one '- name: ...' item per rule. " + FORMAT);
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
      String f = it.next();
      if (!f.equals("rules")) {
        throw Errors.config("read the alert rules " + source, "unknown top-level key '" + f + "'",
            "Keep only 'rules:' at the top. " + FORMAT);
      }
    }
    List<AlertRule> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int index = 0;
    for (JsonNode r : root.get("rules")) {
      index++;
      String id = r.isObject() && r.hasNonNull("name") ? r.get("name").asText() : "#" + index;
      if (!r.isObject()) {
        throw bad(source, id, "-", "the item is not a mapping of fields", "Write each rule as '- name: ...' with its fields");
      }
      for (Iterator<String> it = r.fieldNames(); it.hasNext();) {
        String f = it.next();
        if (!FIELDS.contains(f)) {
          throw bad(source, id, f, "unknown field", "Use only " + new java.util.TreeSet<>(FIELDS));
        }
      }
      String name = text(source, id, r, "name");
      if (!NAME.matcher(name).matches()) {
        throw bad(source, id, "name", "'" + name + "' has characters other than letters, digits, '-' and '_'",
            "Rename the rule, e.g. channel-roi-drop");
      }
      if (!names.add(name)) {
        throw bad(source, id, "name", "two rules are named '" + name + "'", "Give every rule its own name");
      }
      String kpi = text(source, id, r, "kpi");
      String period = text(source, id, r, "period").toLowerCase(Locale.ROOT);
      if (!MartsJob.PERIOD_TYPES.contains(period)) {
        throw bad(source, id, "period", "'" + period + "' is not a period type", "Use one of " + MartsJob.PERIOD_TYPES);
      }
      AlertRule.Severity severity;
      String sev = text(source, id, r, "severity");
      try {
        severity = AlertRule.Severity.valueOf(sev.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw bad(source, id, "severity", "'" + sev + "' is not a severity", "Use warning or critical");
      }
      List<AlertRule.Condition> conditions = new ArrayList<>();
      for (AlertRule.Condition c : AlertRule.Condition.values()) {
        if (r.has(c.label())) {
          conditions.add(c);
        }
      }
      if (conditions.size() != 1) {
        throw bad(source, id, conditions.isEmpty() ? "below|above|drop|rise|drop_relative|rise_relative"
                : conditions.get(0).label() + ", " + conditions.get(1).label(),
            conditions.isEmpty() ? "no condition" : "more than one condition",
            "Give exactly one of below / above (absolute bounds), drop / rise (change in the KPI's unit against the"
                + " previous period) or drop_relative / rise_relative (relative change, 0.20 = 20 %)");
      }
      AlertRule.Condition condition = conditions.get(0);
      double threshold = number(source, id, r, condition.label());
      if (condition.isChange() && !(threshold >= 0)) {
        throw bad(source, id, condition.label(), "a change threshold must be 0 or more, got " + threshold,
            "Give the size of the change, e.g. drop: 0.05; the direction is in the field name");
      }
      double minDenominator = r.has("min_denominator") ? number(source, id, r, "min_denominator") : 0;
      if (minDenominator < 0) {
        throw bad(source, id, "min_denominator", "it must be 0 or more, got " + minDenominator, "e.g. min_denominator: 100");
      }
      String description = r.hasNonNull("description") ? r.get("description").asText() : "";
      out.add(new AlertRule(name, kpi, period, channels(source, id, r), severity, condition, threshold, minDenominator,
          description));
    }
    return List.copyOf(out);
  }

  private static AlertRule.Channels channels(String source, String id, JsonNode r) {
    JsonNode c = r.get("channels");
    if (c == null || c.isNull()) {
      return AlertRule.Channels.ALL;
    }
    if (c.isTextual()) {
      return switch (c.asText()) {
        case "all" -> AlertRule.Channels.ALL;
        case "each" -> AlertRule.Channels.EACH;
        default -> throw bad(source, id, "channels", "'" + c.asText() + "' is not all, each or a list",
            "Write channels: all, channels: each, or channels: [pos, webshop]");
      };
    }
    if (c.isArray() && c.size() > 0) {
      List<String> listed = new ArrayList<>();
      for (JsonNode n : c) {
        if (!n.isTextual() || n.asText().isBlank()) {
          throw bad(source, id, "channels", "the list holds '" + n + "', not a channel name", "List channel names");
        }
        listed.add(n.asText());
      }
      return new AlertRule.Channels(false, false, List.copyOf(listed));
    }
    throw bad(source, id, "channels", "it is " + c, "Write channels: all, channels: each, or channels: [pos, webshop]");
  }

  private static String text(String source, String id, JsonNode r, String field) {
    JsonNode v = r.get(field);
    if (v == null || v.isNull()) {
      throw bad(source, id, field, "it is missing", "Add '" + field + ":' to the rule. " + FORMAT);
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw bad(source, id, field, "it is " + v + ", not a name", "Write a name, e.g. " + field + ": ...");
    }
    return v.asText().strip();
  }

  private static double number(String source, String id, JsonNode r, String field) {
    JsonNode v = r.get(field);
    if (v == null || !v.isNumber()) {
      throw bad(source, id, field, "it is " + v + ", not a number", "Write a number, e.g. " + field + ": 0.05");
    }
    double d = v.asDouble();
    if (!Double.isFinite(d)) {
      throw bad(source, id, field, "it is not a finite number", "Write a number, e.g. " + field + ": 0.05");
    }
    return d;
  }

  private static RuntimeException bad(String source, String rule, String field, String reason, String fix) {
    return Errors.badAlertRule(source, rule, field, reason, fix);
  }
}
