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
        io.touchpoint.jobs.generate.GenerateCommand.class,
        io.touchpoint.jobs.clv.ClvFitCommand.class,
        io.touchpoint.jobs.attribution.AttributionPathsCommand.class,
        io.touchpoint.jobs.serve.ServeCommand.class,
    })
public final class Touchpoint implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: see the list above.");
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Touchpoint());
    cl.setExecutionExceptionHandler(Touchpoint::handle);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }

  private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    Throwable t = e;
    while (t != null && !(t instanceof TouchpointException)) {
      t = t.getCause();
    }
    if (t instanceof TouchpointException te) {
      cl.getErr().println("touchpoint " + cl.getCommandName() + ": " + te.getMessage());
      return te.exitCode();
    }
    cl.getErr().println("touchpoint " + cl.getCommandName() + ": internal error: " + e);
    e.printStackTrace(cl.getErr());
    return Errors.EXIT_INTERNAL;
  }

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    System.exit(code);
  }
}
