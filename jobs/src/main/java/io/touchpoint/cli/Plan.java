package io.touchpoint.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a command would do, printed by {@code touchpoint --dry-run ...} instead of running it: the
 * command, its dates, stages and the tables it would write. Nothing is started to build it.
 */
public record Plan(String command, Map<String, String> facts) {

  public Plan {
    facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
  }

  public static Builder of(String command) {
    return new Builder(command);
  }

  public void print(PrintWriter out) {
    out.println("dry run: touchpoint " + command + " (validated; nothing was started)");
    facts.forEach((k, v) -> out.printf("  %-10s %s%n", k + ":", v));
    out.flush();
  }

  /** Facts in the order they are added. */
  public static final class Builder {
    private final String command;
    private final Map<String, String> facts = new LinkedHashMap<>();

    Builder(String command) {
      this.command = command;
    }

    public Builder fact(String name, Object value) {
      facts.put(name, String.valueOf(value));
      return this;
    }

    public Plan build() {
      return new Plan(command, facts);
    }
  }
}
