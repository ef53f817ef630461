package io.tfleet.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Sentences for the person at the terminal, broken between words to its width. Only a terminal gets
 * them broken: a file or a pipe keeps each sentence on one line, for grep. A line that starts with
 * spaces is a command to copy and is never broken, nor is a word wider than the terminal (a long
 * path).
 */
final class Prose {
  /** The width that breaks nothing. */
  static final int UNLIMITED = Integer.MAX_VALUE;

  private Prose() {}

  /** Prints {@code text} on the command's standard error, broken to the terminal's width. */
  static void println(Context context, String text) {
    context.err().println(wrap(text, width(context)));
  }

  /**
   * The terminal's width when the command's standard error is the process's and a terminal, else
   * {@link #UNLIMITED}.
   */
  static int width(Context context) {
    return context.err() == System.err && Terminal.stderrIsTerminal()
        ? new Terminal(context.env()).columns()
        : UNLIMITED;
  }

  /** Breaks each line of {@code text} longer than {@code width} at spaces. */
  static String wrap(String text, int width) {
    List<String> out = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.length() <= width || line.startsWith(" ")) {
        out.add(line);
        continue;
      }
      StringBuilder current = new StringBuilder();
      for (String word : line.split(" +")) {
        if (current.length() > 0 && current.length() + 1 + word.length() > width) {
          out.add(current.toString());
          current.setLength(0);
        }
        if (current.length() > 0) {
          current.append(' ');
        }
        current.append(word);
      }
      out.add(current.toString());
    }
    return String.join("\n", out);
  }
}
