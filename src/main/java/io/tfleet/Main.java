package io.tfleet;

import io.tfleet.cli.Cli;

/** Process entry point; everything else is testable through {@link Cli#run}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Cli.run(args, System.out, System.err));
  }
}
