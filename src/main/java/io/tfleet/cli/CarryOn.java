package io.tfleet.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The command lines tfleet prints so that a person can finish a run with one paste. */
final class CarryOn {
  /** Flags that must not be repeated when carrying on: they start new rounds or send nothing. */
  private static final Set<String> DROPPED = Set.of("--resubmit", "--retry-failed", "--dry-run");

  /** Flags whose values are secrets: never printed; the environment variables serve instead. */
  private static final Set<String> SECRET = Set.of("--client-id", "--secret-key");

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

  private CarryOn() {}

  /**
   * The command that was run, without the flags that must not be repeated and without credentials,
   * with {@code --server} added when it came from elsewhere; shell-quoted.
   */
  static String again(List<String> args, URI server) {
    List<String> kept = new ArrayList<>();
    boolean hasServer = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (DROPPED.contains(name)) {
        continue;
      }
      if (SECRET.contains(name)) {
        if (!arg.contains("=")) {
          i++;
        }
        continue;
      }
      hasServer |= name.equals("--server");
      kept.add(arg);
    }
    if (!hasServer) {
      kept.add("--server");
      kept.add(server.toString());
    }
    return command(kept);
  }

  /** The command that monitors the tree at {@code outputDir} to the end. */
  static String checkStatus(URI server, Path outputDir) {
    return command(
        List.of(
            "--check-status", "--server", server.toString(), "--output-dir", outputDir.toString()));
  }

  /**
   * The command that cancels the unfinished jobs of the tree at {@code outputDir}; {@code server}
   * is named when not null (a tree that does not record its server).
   */
  static String cancel(Path outputDir, URI server) {
    List<String> args = new ArrayList<>(List.of("cancel", "--output-dir", outputDir.toString()));
    if (server != null) {
      args.add("--server");
      args.add(server.toString());
    }
    return command(args);
  }

  private static String command(List<String> args) {
    StringBuilder line = new StringBuilder("tfleet");
    for (String arg : args) {
      line.append(' ')
          .append(PLAIN.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'");
    }
    return line.toString();
  }
}
