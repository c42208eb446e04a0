package io.touchpoint.cli;

import io.touchpoint.errors.Errors;
import io.touchpoint.errors.TouchpointException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code touchpoint} command: one subcommand per job. */
@Command(
    name = "touchpoint",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Batch analytics and attribution jobs for an omnichannel retailer (Spark + Delta Lake).",
    subcommands = {
        CommandLine.HelpCommand.class,
        DemoCommand.class,
        StageCommands.Nightly.class,
        StageCommands.Backfill.class,
        StageCommands.Ingest.class,
        StageCommands.Identity.class,
        StageCommands.Silver.class,
        StageCommands.Attribution.class,
        StageCommands.Clv.class,
        PublishCommand.class,
        AirflowCommand.class,
        MartsCommands.Marts.class,
        MartsCommands.Alerts.class,
        StageCommands.Maintain.class,
        io.touchpoint.jobs.generate.GenerateCommand.class,
        io.touchpoint.jobs.clv.ClvFitCommand.class,
        io.touchpoint.jobs.attribution.AttributionPathsCommand.class,
        io.touchpoint.jobs.serve.ServeCommand.class,
        ForgetCommand.class,
        LineageCommand.class,
        ReportCommand.class,
        BenchCommand.class,
    })
public final class Touchpoint implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--dry-run", scope = CommandLine.ScopeType.INHERIT,
      description = "Parse and validate the options, print what the command would do (dates, stages, tables it"
          + " would write) and exit 0 without starting Spark or contacting Airflow.")
  boolean dryRun;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: see the list above.");
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Touchpoint());
    cl.setExecutionExceptionHandler(Touchpoint::handle);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // The descriptions are written as lines of up to ~115 characters; at picocli's default 80 columns
    // each line wrapped mid-sentence and the next one started a new line.
    cl.setUsageHelpWidth(130);
    cl.setExecutionStrategy(parsed -> execute(cl, parsed));
    return cl;
  }

  /** Runs the chosen command, or under {@code --dry-run} prints its plan and runs nothing. */
  private static int execute(CommandLine cl, CommandLine.ParseResult parsed) {
    Touchpoint root = cl.getCommand();
    CommandLine.ParseResult last = parsed;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    if (!root.dryRun || last == parsed) {
      return new CommandLine.RunLast().execute(parsed);
    }
    Integer help = CommandLine.executeHelpRequest(parsed);
    if (help != null) {
      return help;
    }
    CommandLine leaf = last.commandSpec().commandLine();
    try {
      Plan plan = leaf.getCommand() instanceof Plannable p ? p.plan() : genericPlan(last);
      plan.print(leaf.getOut());
      return Errors.EXIT_OK;
    } catch (RuntimeException e) {
      return handle(e, leaf, parsed);
    }
  }

  /** Commands without their own plan: the parsed options, which picocli has type-checked. */
  private static Plan genericPlan(CommandLine.ParseResult last) {
    StringBuilder options = new StringBuilder();
    for (CommandLine.Model.OptionSpec o : last.matchedOptions()) {
      if (!o.longestName().equals("--dry-run")) {
        options.append(options.length() == 0 ? "" : " ").append(o.longestName()).append('=')
            .append(String.valueOf((Object) o.getValue()));
      }
    }
    last.matchedPositionals().forEach(p -> options.append(' ').append(String.valueOf((Object) p.getValue())));
    return Plan.of(last.commandSpec().qualifiedName(" ").replaceFirst("^touchpoint ", ""))
        .fact("options", options.length() == 0 ? "(none)" : options)
        .fact("note", "options parsed; this command has no detailed plan")
        .build();
  }

  private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    Throwable t = e;
    while (t != null && !(t instanceof TouchpointException)) {
      t = t.getCause();
    }
    if (t instanceof TouchpointException te) {
      cl.getErr().println(cl.getCommandSpec().qualifiedName(" ") + ": " + te.getMessage());
      return te.exitCode();
    }
    cl.getErr().println(cl.getCommandSpec().qualifiedName(" ") + ": internal error: " + e);
    e.printStackTrace(cl.getErr());
    return Errors.EXIT_INTERNAL;
  }

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    System.exit(code);
  }
}
