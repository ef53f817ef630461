package io.tfleet.cli;

/** The process exit codes, documented in the README. */
public final class ExitCodes {
  /** Every machine's job completed and its test command exited 0. */
  public static final int OK = 0;

  /** At least one machine failed, was cancelled, timed out, was not submitted, or has no result. */
  public static final int FAILURES = 1;

  /** Bad usage or bad input; nothing was submitted. */
  public static final int USAGE = 2;

  /** The server cannot be reached, or it refuses our credentials. */
  public static final int SERVER = 3;

  /** The output tree cannot be read or written (a full disk, a file where a folder should be). */
  public static final int TREE = 4;

  /** A bug in tfleet: an exception nobody expected; {@code -v} shows where. */
  public static final int INTERNAL = 70;

  /** Stopped by Ctrl-C or SIGTERM (128 + SIGINT). */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
