package io.touchpoint.jobs.spark;

import io.touchpoint.errors.Errors;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An analyst's output schema, {@code sandbox_<name>} ({@code --output-schema NAME}). A run with a
 * sandbox writes every table it writes to {@code <warehouse>/sandbox_<name>/<table>} instead of
 * {@code <schema>/<table>}, and reads back from the sandbox only the tables it wrote itself; every
 * other table (its upstream inputs) is read from production. So an ad-hoc run sees today's
 * production inputs, leaves every production table as it was, and its sandbox accumulates the
 * ad-hoc results run after run (each write keeps its usual replaceWhere/MERGE scope).
 *
 * <p>The state schemas ({@link #STATE_SCHEMAS}: bronze and silver, which ingest, identity and silver
 * build incrementally and every later run continues from) are never written from a sandbox run: a
 * sandbox copy holding only the run's dates would be partial, and a later read of it would be wrong.
 * Experiment with those stages on a separate {@code --warehouse} instead.
 *
 * @param name the sandbox name without the {@code sandbox_} prefix
 */
public record Sandbox(String name) {
  public static final String PREFIX = "sandbox_";
  /** Written only by production runs: incremental state that later runs build on. */
  public static final Set<String> STATE_SCHEMAS = Set.of("bronze", "silver");
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");

  public Sandbox {
    if (name == null || !NAME.matcher(name).matches()) {
      throw Errors.usage("use --output-schema " + name,
          "a sandbox name is a lower-case identifier: a letter, then up to 39 letters, digits or underscores",
          "Pass e.g. --output-schema alice_q2 (the run then writes sandbox_alice_q2.<table>)");
    }
  }

  /** From {@code --output-schema}: {@code NAME} or the full {@code sandbox_NAME}. */
  public static Sandbox parse(String option) {
    return new Sandbox(option != null && option.startsWith(PREFIX) ? option.substring(PREFIX.length()) : option);
  }

  /** The schema (warehouse folder) the run writes: {@code sandbox_<name>}. */
  public String schema() {
    return PREFIX + name;
  }
}
