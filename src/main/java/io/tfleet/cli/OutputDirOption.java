package io.tfleet.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which output tree a command works on. */
public class OutputDirOption {
  @Option(
      names = {"-o", "--output-dir"},
      paramLabel = "DIR",
      defaultValue = "job_outputs",
      description = "The output tree: one folder per machine (default: ${DEFAULT-VALUE}).")
  Path outputDir;
}
