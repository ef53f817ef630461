package io.tfleet.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * What a terminal of a given width shows after receiving some output: carriage returns, line feeds,
 * erase-to-end-of-line ({@code ESC [ K}) and automatic wrapping at the last column, as an xterm
 * does. Other escape sequences are skipped. Enough to see the copies a status line leaves behind
 * when it is wider than the terminal.
 */
public final class TerminalScreen {
  private TerminalScreen() {}

  /** Every line the terminal shows, scrolled-off ones included, without trailing blanks. */
  public static List<String> render(String output, int columns) {
    List<StringBuilder> lines = new ArrayList<>();
    lines.add(new StringBuilder());
    int row = 0;
    int col = 0;
    boolean wrapNext = false;
    for (int i = 0; i < output.length(); i++) {
      char c = output.charAt(i);
      if (c == '\033') {
        int end = i + 1;
        if (end < output.length() && output.charAt(end) == '[') {
          end++;
          while (end < output.length() && (output.charAt(end) < '@' || output.charAt(end) > '~')) {
            end++;
          }
          if (end < output.length() && output.charAt(end) == 'K') {
            StringBuilder line = lines.get(row);
            line.setLength(Math.min(line.length(), col));
          }
        }
        i = end;
      } else if (c == '\r') {
        col = 0;
        wrapNext = false;
      } else if (c == '\n') {
        row++;
        if (row == lines.size()) {
          lines.add(new StringBuilder());
        }
        wrapNext = false;
      } else if (c == '\b') {
        col = Math.max(0, col - 1);
      } else if (c >= ' ') {
        if (wrapNext) {
          row++;
          if (row == lines.size()) {
            lines.add(new StringBuilder());
          }
          col = 0;
          wrapNext = false;
        }
        StringBuilder line = lines.get(row);
        while (line.length() < col) {
          line.append(' ');
        }
        if (col < line.length()) {
          line.setCharAt(col, c);
        } else {
          line.append(c);
        }
        if (col == columns - 1) {
          wrapNext = true;
        } else {
          col++;
        }
      }
    }
    List<String> shown = new ArrayList<>(lines.size());
    lines.forEach(l -> shown.add(l.toString().stripTrailing()));
    return shown;
  }
}
