package io.tfleet.cli;

import io.tfleet.client.ApiException;
import io.tfleet.client.TestflingerClient;
import io.tfleet.client.auth.AuthFileException;
import io.tfleet.fleet.FleetAbortedException;
import io.tfleet.job.InputException;
import io.tfleet.store.TreeException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
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

  /** What asks for help, which lists every command. */
  private static final Set<String> HELP = Set.of("-h", "--help", "help");

  /** Help reads well on the classic terminal, and no wider. */
  static final int HELP_WIDTH = 80;

  private Cli() {}

  /**
   * Runs tfleet as the process's main program and returns the exit code, with the process ready to
   * exit at once (see {@link TestflingerClient#closeForExit}).
   */
  public static int runAsProcess(String[] args) {
    // Out of memory in a thread tfleet does not own (the HTTP client's) would leave the call it
    // served waiting for ever: the process ends as it does for the main thread's, with 70.
    // The message is made now: with no memory left, making it could fail too.
    byte[] message = (outOfMemory("Java heap space") + "\n").getBytes(StandardCharsets.UTF_8);
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> {
          if (e instanceof OutOfMemoryError) {
            System.err.write(message, 0, message.length);
            System.err.flush();
            Runtime.getRuntime().halt(ExitCodes.INTERNAL);
          }
          System.err.println("tfleet: " + thread.getName() + ": " + e);
        });
    int code = run(args, System.out, System.err);
    TestflingerClient.closeForExit();
    return code;
  }

  private static String outOfMemory(String what) {
    return "tfleet: out of memory ("
        + what
        + "); give Java more with TFLEET_JAVA_OPTS, e.g. TFLEET_JAVA_OPTS=-Xmx1g, and report it if"
        + " the fleet is not unusually large";
  }

  /** Runs tfleet with the process environment. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, Environment.system());
  }

  /** Runs tfleet and returns its exit code; tests call this. */
  public static int run(String[] args, PrintStream out, PrintStream err, Environment env) {
    Context context = new Context(out, err, env);
    CommandLine cli = commandLine(context, args);
    int code;
    try {
      code = cli.execute(args);
    } catch (OutOfMemoryError e) {
      // Not retried, not hidden: a run that ran out of memory is a bug or a heap set too small.
      context.err().println(outOfMemory(e.getMessage()));
      return ExitCodes.INTERNAL;
    }
    GithubActions.afterCommand(cli, context, code);
    return code;
  }

  /** The commands, by name, in the order the help lists them. */
  private static Map<String, Function<Context, Object>> commands() {
    Map<String, Function<Context, Object>> commands = new LinkedHashMap<>();
    commands.put("run", RunCommand::new);
    commands.put("submit", SubmitCommand::new);
    commands.put("monitor", MonitorCommand::new);
    commands.put("status", StatusCommand::new);
    commands.put("cancel", CancelCommand::new);
    commands.put("logs", LogsCommand::new);
    commands.put("queues", QueuesCommand::new);
    commands.put("reserve", ReserveCommand::new);
    commands.put("report", ReportCommand::new);
    commands.put("merge", MergeCommand::new);
    commands.put("compare", CompareCommand::new);
    commands.put("login", LoginCommand::new);
    commands.put("logout", LogoutCommand::new);
    commands.put("whoami", WhoamiCommand::new);
    commands.put("lab", LabCommand::new);
    commands.put("demo", DemoCommand::new);
    commands.put("bench", BenchCommand::new);
    commands.put("generate-completion", c -> new AutoComplete.GenerateCompletion());
    return commands;
  }

  /** The whole command line, every command included. */
  static CommandLine commandLine(Context context) {
    return commandLine(context, commands().keySet());
  }

  /**
   * The command line that {@code args} need. picocli reads every option of every command it is
   * given, about a quarter of a second on a cold JVM. A command named first needs only itself;
   * options of the original script alone (no command named, no help asked) need none. Anything else
   * (help, a misspelt command, completion) gets every command, so help lists them all and a
   * misspelling finds its suggestions.
   */
  static CommandLine commandLine(Context context, String[] args) {
    Set<String> all = commands().keySet();
    if (args.length > 0 && all.contains(args[0]) && !args[0].equals("generate-completion")) {
      return commandLine(context, List.of(args[0]));
    }
    boolean scriptOptionsOnly =
        args.length > 0
            && args[0].startsWith("-")
            && Arrays.stream(args).noneMatch(a -> all.contains(a) || HELP.contains(a));
    return commandLine(context, scriptOptionsOnly ? List.of() : all);
  }

  private static CommandLine commandLine(Context context, Collection<String> names) {
    CommandLine cli = new CommandLine(new TfleetCommand(context));
    Map<String, Function<Context, Object>> commands = commands();
    for (String name : names) {
      cli.addSubcommand(name, commands.get(name).apply(context));
    }
    // Every path on the command line starts where the user is (the same as Path.of for a process).
    cli.registerConverter(Path.class, context.env()::path);
    HelpLayout.install(cli, HELP_WIDTH);
    cli.setExecutionStrategy(Cli::refuseUnmatchedThenRun);
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

  /**
   * picocli lets arguments it does not know pass when help is asked for, so {@code tfleet
   * frobnicate --help} would print the whole help and exit 0; such a word is refused as it is
   * without --help.
   */
  private static int refuseUnmatchedThenRun(CommandLine.ParseResult parseResult) {
    for (CommandLine.ParseResult level = parseResult; level != null; level = level.subcommand()) {
      if (!level.unmatched().isEmpty()) {
        throw new UnmatchedArgumentException(level.commandSpec().commandLine(), level.unmatched());
      }
    }
    return new CommandLine.RunLast().execute(parseResult);
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
    if (e instanceof TreeException || e instanceof AuthFileException) {
      return ExitCodes.TREE; // a local file: the output tree, the saved login
    }
    if (e instanceof FleetAbortedException
        || e instanceof IOException
        || e instanceof ApiException) {
      return ExitCodes.SERVER; // what escapes as an IOException is a call to the server that failed
    }
    return ExitCodes.INTERNAL;
  }

  private static String message(Exception e) {
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
