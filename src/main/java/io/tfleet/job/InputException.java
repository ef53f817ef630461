package io.tfleet.job;

import java.nio.file.Path;

/** Bad user input (a machines file, a template, a flag value): nothing may be submitted. */
public final class InputException extends Exception {
  public InputException(String message) {
    super(message);
  }

  /** An error located in a file, and on a line of it when {@code line > 0}. */
  public static InputException at(Path file, int line, String problem) {
    return new InputException(
        line > 0 ? file + ":" + line + ": " + problem : file + ": " + problem);
  }
}
