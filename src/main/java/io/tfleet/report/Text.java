package io.tfleet.report;

/** Makes machine output safe to put in a report: legal XML 1.0 characters, bounded length. */
final class Text {
  /**
   * How much of a machine's output tail a report carries. Jenkins keeps every failure's text in the
   * build record and GitHub caps an annotation at 64 KB, so a fleet of chatty machines must not put
   * megabytes each into junit.xml; 16 KiB is still a couple of hundred lines of context.
   */
  static final int MAX_TAIL_CHARS = 16 * 1024;

  private Text() {}

  /**
   * Returns {@code s} without the characters XML 1.0 cannot carry (C0 controls other than tab and
   * newline, U+FFFE, U+FFFF, unpaired surrogates) or discourages (DEL and C1 controls), without
   * terminal escape sequences such as colours, with CR and CRLF turned into LF; null for null. HTML
   * gets the same treatment: a terminal's control codes mean nothing in a page.
   */
  static String clean(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      int width = Character.charCount(c);
      if (c == 0x1B) {
        width = escapeSequenceLength(s, i);
      } else if (c == '\r') {
        out.append('\n');
        if (i + 1 < s.length() && s.charAt(i + 1) == '\n') {
          width = 2;
        }
      } else if (isKept(c)) {
        out.appendCodePoint(c);
      }
      i += width;
    }
    return out.toString();
  }

  /** Returns {@link #clean} of {@code s} on one line: a message attribute, a table cell. */
  static String oneLine(String s) {
    String clean = clean(s);
    return clean == null ? null : clean.replace('\n', ' ').replace('\t', ' ');
  }

  /**
   * Returns the cleaned end of {@code output}, at most {@link #MAX_TAIL_CHARS} long plus a first
   * line that says how much was cut; the cut falls on a line start where one is near.
   */
  static String tail(String output) {
    String clean = clean(output);
    if (clean == null || clean.length() <= MAX_TAIL_CHARS) {
      return clean;
    }
    int from = clean.length() - MAX_TAIL_CHARS;
    if (Character.isLowSurrogate(clean.charAt(from))) {
      from++;
    }
    int nextLine = clean.indexOf('\n', from);
    // A line longer than a quarter of the budget is cut through rather than dropped whole.
    if (nextLine >= 0 && nextLine - from < MAX_TAIL_CHARS / 4) {
      from = nextLine + 1;
    }
    return "[... " + from + " earlier characters cut ...]\n" + clean.substring(from);
  }

  /**
   * Returns the length of the ANSI control sequence (ESC [ parameters intermediates final) at
   * {@code start}, or 1 for an ESC that starts none, so that only the ESC goes.
   */
  private static int escapeSequenceLength(String s, int start) {
    int i = start + 1;
    if (i >= s.length() || s.charAt(i) != '[') {
      return 1;
    }
    i++;
    while (i < s.length() && s.charAt(i) >= 0x30 && s.charAt(i) <= 0x3F) {
      i++;
    }
    while (i < s.length() && s.charAt(i) >= 0x20 && s.charAt(i) <= 0x2F) {
      i++;
    }
    return i < s.length() && s.charAt(i) >= 0x40 && s.charAt(i) <= 0x7E ? i + 1 - start : 1;
  }

  private static boolean isKept(int c) {
    return c == '\t'
        || c == '\n'
        || (c >= 0x20 && c < 0x7F)
        || (c > 0x9F && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD)
        || (c >= 0x10000 && c <= 0x10FFFF);
  }
}
