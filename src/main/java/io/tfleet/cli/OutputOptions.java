package io.tfleet.cli;

import picocli.CommandLine.Option;

/** Where a fleet's results go and how much is printed while it runs. */
public final class OutputOptions extends TreeOptions {
  @Option(
      names = {"-v", "--verbose"},
      description =
          "Also print every HTTP exchange (credentials masked), and every machine at the end.")
  boolean verbose;

  @Option(
      names = "--no-progress",
      description = "No live status line on a terminal: plain timestamped lines, as in a pipe.")
  boolean noProgress;
}
