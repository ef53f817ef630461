package io.tfleet.cli;

import io.tfleet.client.ApiException;
import io.tfleet.fleet.FleetAbortedException;
import io.tfleet.job.InputException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.UnmatchedArgumentException;

/** Builds the command line and runs it; the one place where exceptions become exit codes. */
public final class Cli {
  /** picocli's message for a map option's value without '=' (it says "option option"). */
  private static final Pattern KEY_VALUE =
      Pattern.compile(
          "Value for option (?:option )?'(\\S+)' \\((\\S+)\\) should be in KEY=VALUE format but was (.*)");

  /** Help reads well on the classic terminal, and no wider. */
  static final int HELP_WIDTH = 80;

  private Cli() {}

  /** Runs tfleet with the process environment. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, Environment.system());
  }

  /** Runs tfleet and returns its exit code; tests call this. */
  public static int run(String[] args, PrintStream out, PrintStream err, Environment env) {
    Context context = new Context(out, err, env);
    CommandLine cli = commandLine(context);
    int code = cli.execute(args);
    GithubActions.afterCommand(cli, context, code);
    return code;
  }

  static CommandLine commandLine(Context context) {
    CommandLine cli = new CommandLine(new TfleetCommand(context));
    cli.addSubcommand("run", new RunCommand(context));
    cli.addSubcommand("submit", new SubmitCommand(context));
    cli.addSubcommand("monitor", new MonitorCommand(context));
    cli.addSubcommand("status", new StatusCommand(context));
    cli.addSubcommand("cancel", new CancelCommand(context));
    cli.addSubcommand("report", new ReportCommand(context));
    cli.addSubcommand("merge", new MergeCommand(context));
    cli.addSubcommand("compare", new CompareCommand(context));
    cli.addSubcommand("login", new LoginCommand(context));
    cli.addSubcommand("logout", new LogoutCommand(context));
    cli.addSubcommand("whoami", new WhoamiCommand(context));
    cli.addSubcommand("lab", new LabCommand(context));
    cli.addSubcommand("demo", new DemoCommand(context));
    cli.addSubcommand("bench", new BenchCommand(context));
    cli.addSubcommand("generate-completion", new AutoComplete.GenerateCompletion());
    HelpLayout.install(cli, HELP_WIDTH);
    cli.setOut(new PrintWriter(context.out(), true));
    cli.setErr(new PrintWriter(context.err(), true));
    cli.setParameterExceptionHandler(
        (e, args) -> {
          PrintWriter w = e.getCommandLine().getErr();
          w.println("tfleet: " + usageMessage(e));
          // A short option has too few letters to be mistyped as another: -v is not --version.
          if (e instanceof UnmatchedArgumentException unmatched
              && !unmatched.getSuggestions().isEmpty()
              && unmatched.getUnmatched().get(0).length() > 2) {
            List<String> quoted =
                unmatched.getSuggestions().stream().limit(3).map(x -> "'" + x + "'").toList();
            w.println("Did you mean " + String.join(" or ", quoted) + "?");
          }
          w.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return ExitCodes.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter w = commandLine.getErr();
          int code = exitCode(e);
          w.println("tfleet: " + message(e));
          if (verbose(parseResult)) {
            e.printStackTrace(w);
          } else if (code == ExitCodes.INTERNAL) {
            w.println(
                "tfleet: this is a bug in tfleet; run again with -v to see where it happened");
          }
          return code;
        });
    return cli;
  }

  /** A usage error in words a person reads: picocli's, reworded where they puzzle. */
  static String usageMessage(CommandLine.ParameterException e) {
    String message = e.getMessage().replaceFirst("^Error: ", "");
    Matcher keyValue = KEY_VALUE.matcher(message);
    if (keyValue.matches()) {
      return keyValue.group(1)
          + " takes "
          + keyValue.group(2)
          + ", not '"
          + keyValue.group(3)
          + "'";
    }
    if (e instanceof UnmatchedArgumentException unmatched
        && unmatched.isUnknownOption()
        && !unmatched.getUnmatched().isEmpty()) {
      return "unknown option '" + unmatched.getUnmatched().get(0) + "'";
    }
    if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
      String first = unmatched.getUnmatched().get(0);
      return e.getCommandLine().getSubcommands().isEmpty()
          ? "unexpected argument '" + first + "'"
          : "'" + first + "' is not a tfleet command";
    }
    return message;
  }

  /** The one mapping from what went wrong to the exit code, as the README's table says. */
  static int exitCode(Exception e) {
    if (e instanceof InputException) {
      return ExitCodes.USAGE;
    }
    if (e instanceof InterruptedException || e instanceof InterruptedIOException) {
      return ExitCodes.INTERRUPTED;
    }
    if (e instanceof FleetAbortedException
        || e instanceof IOException
        || e instanceof ApiException) {
      return ExitCodes.SERVER; // what escapes as an IOException is a call to the server that failed
    }
    if (e instanceof UncheckedIOException) {
      return ExitCodes.TREE; // the convention: a file operation on the output tree failed
    }
    return ExitCodes.INTERNAL;
  }

  private static String message(Exception e) {
    if (e instanceof UncheckedIOException u) {
      return "cannot write the output tree: " + u.getCause().getMessage();
    }
    if (e instanceof InterruptedException || e instanceof InterruptedIOException) {
      return "interrupted";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private static boolean verbose(CommandLine.ParseResult parseResult) {
    List<String> args = parseResult.originalArgs();
    return args.contains("-v") || args.contains("--verbose");
  }
}
