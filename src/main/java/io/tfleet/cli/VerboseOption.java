package io.tfleet.cli;

import picocli.CommandLine.Option;

/** {@code -v}: for commands that talk to a server, every HTTP exchange. */
public final class VerboseOption {
  @Option(
      names = {"-v", "--verbose"},
      description = "Also print every HTTP exchange (credentials masked).")
  boolean verbose;
}
