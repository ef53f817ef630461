package io.tfleet.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where results go and how much is printed. */
public final class OutputOptions {
  @Option(
      names = "--output-dir",
      paramLabel = "DIR",
      defaultValue = "job_outputs",
      description = "The output tree: one folder per machine (default: ${DEFAULT-VALUE}).")
  Path outputDir;

  @Option(names = {"-q", "--quiet"}, description = "Print only the summary.")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      description = "Also print every HTTP exchange (credentials masked).")
  boolean verbose;

  @Option(
      names = "--no-progress",
      description = "No live status area on a terminal: plain timestamped lines, as in a pipe.")
  boolean noProgress;
}
