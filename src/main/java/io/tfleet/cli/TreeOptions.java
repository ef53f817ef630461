package io.tfleet.cli;

import picocli.CommandLine.Option;

/** The output tree, and whether to print only the summary: for commands that use no server. */
public class TreeOptions extends OutputDirOption {
  @Option(
      names = {"-q", "--quiet"},
      description = "Print only the summary.")
  boolean quiet;
}
