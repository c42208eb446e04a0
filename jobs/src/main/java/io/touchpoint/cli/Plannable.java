package io.touchpoint.cli;

/**
 * A command that can say what it would do. {@code touchpoint --dry-run} calls {@link #plan()}
 * after picocli has parsed the options: it validates them as the real run would (throwing the same
 * {@link io.touchpoint.errors.TouchpointException}s) and starts nothing: no Spark, no HTTP.
 */
public interface Plannable {
  Plan plan();
}
