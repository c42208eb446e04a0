package io.touchpoint.jobs.support;

import io.touchpoint.cli.Touchpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM's main that runs several {@code touchpoint} commands one after another, like an
 * Airflow run whose tasks are the stage commands: {@code ingest --run-date D ... --then identity
 * --run-date D ...}. It stops at the first command that fails and exits with its code.
 */
public final class CommandSequence {
  public static final String THEN = "--then";

  private CommandSequence() {}

  public static void main(String[] args) {
    List<List<String>> commands = new ArrayList<>();
    commands.add(new ArrayList<>());
    for (String a : args) {
      if (a.equals(THEN)) {
        commands.add(new ArrayList<>());
      } else {
        commands.get(commands.size() - 1).add(a);
      }
    }
    int code = 0;
    for (List<String> c : commands) {
      code = Touchpoint.commandLine().execute(c.toArray(String[]::new));
      if (code != 0) {
        break;
      }
    }
    System.exit(code);
  }
}
