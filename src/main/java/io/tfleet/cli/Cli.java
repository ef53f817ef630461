package io.tfleet.cli;

import io.tfleet.fleet.FleetAbortedException;
import io.tfleet.job.InputException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.AutoComplete;
import picocli.CommandLine;

/** Builds the command line and runs it; the one place where exceptions become exit codes. */
public final class Cli {
  private Cli() {}

  /** Runs tfleet with the process environment. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, Environment.system());
  }

  /** Runs tfleet and returns its exit code; tests call this. */
  public static int run(String[] args, PrintStream out, PrintStream err, Environment env) {
    return commandLine(new Context(out, err, env)).execute(args);
  }

  static CommandLine commandLine(Context context) {
    CommandLine cli = new CommandLine(new TfleetCommand(context));
    cli.addSubcommand("run", new RunCommand(context));
    cli.addSubcommand("submit", new SubmitCommand(context));
    cli.addSubcommand("monitor", new MonitorCommand(context));
    cli.addSubcommand("status", new StatusCommand(context));
    cli.addSubcommand("cancel", new CancelCommand(context));
    cli.addSubcommand("report", new ReportCommand(context));
    cli.addSubcommand("login", new LoginCommand(context));
    cli.addSubcommand("logout", new LogoutCommand(context));
    cli.addSubcommand("whoami", new WhoamiCommand(context));
    cli.addSubcommand("lab", new LabCommand(context));
    cli.addSubcommand("demo", new DemoCommand(context));
    cli.addSubcommand("bench", new BenchCommand(context));
    cli.addSubcommand("generate-completion", new AutoComplete.GenerateCompletion());
    cli.setOut(new PrintWriter(context.out(), true));
    cli.setErr(new PrintWriter(context.err(), true));
    cli.setParameterExceptionHandler(
        (e, args) -> {
          PrintWriter w = e.getCommandLine().getErr();
          w.println("tfleet: " + e.getMessage().replaceFirst("^Error: ", ""));
          w.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return ExitCodes.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter w = commandLine.getErr();
          w.println("tfleet: " + message(e));
          if (!(e instanceof InputException
              || e instanceof FleetAbortedException
              || e instanceof UncheckedIOException)) {
            e.printStackTrace(w);
          }
          return exitCode(e);
        });
    return cli;
  }

  static int exitCode(Exception e) {
    if (e instanceof InputException) {
      return ExitCodes.USAGE;
    }
    if (e instanceof FleetAbortedException) {
      return ExitCodes.SERVER;
    }
    if (e instanceof InterruptedException) {
      return ExitCodes.INTERRUPTED;
    }
    return ExitCodes.FAILURES;
  }

  private static String message(Exception e) {
    if (e instanceof UncheckedIOException u) {
      return "cannot write the output tree: " + u.getCause().getMessage();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
