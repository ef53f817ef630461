package io.tfleet.cli;

import java.io.PrintStream;

/** Builds the command line and runs it. */
public final class Cli {
  private Cli() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    out.println("tfleet");
    return 0;
  }
}
