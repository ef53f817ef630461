package io.tfleet.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** The command line as the user typed it. */
final class Args {
  private Args() {}

  /** Every argument given to tfleet, subcommand included, from the top-level parse. */
  static List<String> of(CommandSpec spec) {
    return spec.root().commandLine().getParseResult().originalArgs();
  }
}
