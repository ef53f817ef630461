package io.tfleet.client;

import java.io.IOException;

/**
 * The server, or something between it and us, answered a success whose body is not what the API
 * promises: no JSON (a proxy's or a login portal's page), JSON cut short, or JSON of another shape.
 * Such an answer says nothing about the job, so it is trouble that may pass, never a verdict.
 */
public final class BadAnswerException extends IOException {
  /** What was wrong with the answer. */
  public enum Kind {
    NOT_JSON,
    CUT_SHORT,
    WRONG_SHAPE
  }

  private final Kind kind;

  public BadAnswerException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** What a person should suspect when answers like this keep coming; said once per run. */
  public static String hint() {
    return "the server's answers are not JSON — a proxy or login page in between?";
  }

  /** The first characters of {@code body}, on one line, for a message. */
  static String opening(String body) {
    String line = body.strip().replaceAll("\\s+", " ");
    return line.length() > 40 ? line.substring(0, 40) + "…" : line;
  }
}
