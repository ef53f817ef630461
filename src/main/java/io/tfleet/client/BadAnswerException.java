package io.tfleet.client;

import java.io.IOException;
import java.util.Objects;

/**
 * The server, or something in between, answered with success but with a body that is not what the
 * API promises; {@link #getMessage()} is one line for a person.
 */
public final class BadAnswerException extends IOException {
  /** What is wrong with the answer. */
  public enum Kind {
    /** Not JSON at all: a proxy's or a login page's HTML, plain text, an empty body. */
    NOT_JSON,
    /** JSON that stops before its end: the connection closed early. */
    CUT_SHORT,
    /** Well-formed JSON, but not an object, or with a value too big or too deep to keep. */
    WRONG_SHAPE
  }

  /** How much of the answer a message quotes. */
  private static final int QUOTE_CHARS = 40;

  private final Kind kind;

  public BadAnswerException(Kind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
    if (message == null || message.isBlank() || message.contains("\n")) {
      throw new IllegalArgumentException("a bad answer's message is one line: " + message);
    }
  }

  /** What is wrong with the answer. */
  public Kind kind() {
    return kind;
  }

  /**
   * A notice to print once per run when answers keep coming back as something other than JSON: the
   * usual cause is not the server but what stands in front of it.
   */
  public static String hint() {
    return "the server's answers are not JSON — a proxy or login page in between?";
  }

  static BadAnswerException empty() {
    return new BadAnswerException(
        Kind.NOT_JSON, "the server's answer is empty, where JSON was expected");
  }

  /** A body that does not even begin as JSON, such as an HTML page; {@code start} its beginning. */
  static BadAnswerException notJson(String start) {
    String quoted = quote(start);
    return new BadAnswerException(
        Kind.NOT_JSON,
        quoted.isEmpty()
            ? "the server's answer is not JSON"
            : "the server's answer is not JSON (it starts with \"" + quoted + "\")");
  }

  /** Character {@code c} (-1: the end of the body) where {@code wanted} should have been. */
  static BadAnswerException unexpected(int c, String wanted, long offset) {
    if (c == -1) {
      return cutShort();
    }
    return notValid(
        "has " + describe(c) + " at character " + offset + " where " + wanted + " belongs");
  }

  /** A body with more after its JSON, {@code rest} from where that begins. */
  static BadAnswerException goesOn(String rest) {
    return new BadAnswerException(
        Kind.NOT_JSON, "the server's answer goes on after its JSON (with \"" + quote(rest) + "\")");
  }

  static BadAnswerException cutShort() {
    return new BadAnswerException(
        Kind.CUT_SHORT, "the server's answer ends in the middle of its JSON");
  }

  static BadAnswerException notValid(String what) {
    return new BadAnswerException(
        Kind.NOT_JSON, "the server's answer is not valid JSON: it " + what);
  }

  static BadAnswerException wrongShape(String what) {
    return new BadAnswerException(Kind.WRONG_SHAPE, "the server's answer " + what);
  }

  private static String describe(int c) {
    return c > ' ' && c != 0x7f && !Character.isWhitespace(c) && !Character.isISOControl(c)
        ? "'" + (char) c + "'"
        : String.format("U+%04X", c);
  }

  /** Text from the answer made fit for a one-line message: its first line, cut short. */
  static String quote(String text) {
    int end = 0;
    while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
      end++;
    }
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < end && line.length() < QUOTE_CHARS; i++) {
      char c = text.charAt(i);
      line.append(Character.isISOControl(c) ? ' ' : c);
    }
    if (line.length() > 0 && Character.isHighSurrogate(line.charAt(line.length() - 1))) {
      line.setLength(line.length() - 1);
    }
    String quoted = line.toString().strip();
    return line.length() < end ? quoted + "..." : quoted;
  }
}
