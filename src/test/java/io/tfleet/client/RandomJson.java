package io.tfleet.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random JSON text shaped like a result object, written by hand so that every legal spelling turns
 * up: each escape, {@code \}{@code u} escapes in either case and for surrogate pairs, white space
 * between any two tokens, numbers of every form.
 */
final class RandomJson {
  static final List<String> STREAMED =
      List.of("test_output", "setup_output", "provision_output", "log_data");

  private static final String[] SPACE = {"", "", "", " ", "  ", "\n", "\t", "\r\n", "\n  "};

  private static final int[] SPECIAL = {
    '"', '\\', '/', 0, 1, 8, 9, 10, 12, 13, 0x1f, 0x7f, 'é', 'ß', '中', 0x2028, 0xfeff, 0xffff,
    0x1f600, 0x1d11e, 0x10ffff
  };

  private final Random random;
  private final int maxStreamedChars;
  private final StringBuilder out = new StringBuilder();

  private RandomJson(Random random, int maxStreamedChars) {
    this.random = random;
    this.maxStreamedChars = maxStreamedChars;
  }

  /** A result-like object as UTF-8; its streamed strings are up to {@code maxStreamedChars}. */
  static byte[] resultObject(Random random, int maxStreamedChars) {
    RandomJson json = new RandomJson(random, maxStreamedChars);
    if (random.nextInt(20) == 0) {
      json.out.append('\uFEFF');
    }
    json.space();
    json.top();
    json.space();
    return json.out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void top() {
    List<Runnable> fields = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (String name : STREAMED) {
      if (random.nextInt(4) != 0) {
        names.add(name);
        fields.add(() -> field(name, this::streamedValue));
      }
    }
    int others = random.nextInt(8);
    for (int i = 0; i < others; i++) {
      String name = text(12);
      if (names.add(name)) {
        fields.add(() -> field(name, () -> value(2)));
      }
    }
    // Only top-level fields stream: the same name further in is an ordinary value.
    if (names.add("nested")) {
      fields.add(
          () ->
              field(
                  "nested",
                  () -> {
                    out.append('{');
                    space();
                    name("test_output");
                    space();
                    out.append(':');
                    space();
                    string(text(50));
                    space();
                    out.append('}');
                  }));
    }
    Collections.shuffle(fields, random);
    out.append('{');
    space();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
        space();
      }
      fields.get(i).run();
      space();
    }
    out.append('}');
  }

  private void field(String name, Runnable value) {
    name(name);
    space();
    out.append(':');
    space();
    value.run();
  }

  private void streamedValue() {
    int kind = random.nextInt(10);
    if (kind == 0) {
      out.append("null");
    } else if (kind == 1) {
      value(2); // not a string: stays in the tree
    } else {
      int max = random.nextInt(4) == 0 ? maxStreamedChars : Math.min(maxStreamedChars, 300);
      string(text(max));
    }
  }

  private void value(int depth) {
    int kind = random.nextInt(depth > 5 ? 5 : 8);
    switch (kind) {
      case 0 -> string(text(random.nextInt(3) == 0 ? 2000 : 30));
      case 1 -> number();
      case 2 -> out.append(random.nextBoolean() ? "true" : "false");
      case 3 -> out.append("null");
      case 4 -> string("");
      case 5, 6 -> {
        out.append('{');
        space();
        int n = random.nextInt(5);
        Set<String> names = new HashSet<>();
        boolean first = true;
        for (int i = 0; i < n; i++) {
          String name = text(8);
          if (!names.add(name)) {
            continue;
          }
          if (!first) {
            out.append(',');
            space();
          }
          first = false;
          field(name, () -> value(depth + 1));
          space();
        }
        out.append('}');
      }
      default -> {
        out.append('[');
        space();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            out.append(',');
            space();
          }
          value(depth + 1);
          space();
        }
        out.append(']');
      }
    }
  }

  private void number() {
    String[] fixed = {
      "0",
      "-0",
      "-0.0",
      "2147483647",
      "2147483648",
      "-2147483648",
      "-2147483649",
      "9223372036854775807",
      "9223372036854775808",
      "-9223372036854775808",
      "-9223372036854775809",
      "123456789012345678901234567890",
      "1e3",
      "1E+3",
      "2.5e-3",
      "-0.125",
      "1.7976931348623157E308",
      "4.9E-324"
    };
    int kind = random.nextInt(5);
    switch (kind) {
      case 0 -> out.append(fixed[random.nextInt(fixed.length)]);
      case 1 -> out.append(random.nextInt());
      case 2 -> out.append(random.nextLong());
      case 3 -> out.append(random.nextInt(1000) - 500).append('.').append(random.nextInt(100000));
      default -> {
        out.append(random.nextBoolean() ? "-" : "").append(1 + random.nextInt(9));
        if (random.nextBoolean()) {
          out.append('.').append(random.nextInt(1000));
        }
        out.append(random.nextBoolean() ? 'e' : 'E');
        out.append(new String[] {"", "+", "-"}[random.nextInt(3)]).append(random.nextInt(40));
      }
    }
  }

  /** Random text of up to {@code max} characters, plain runs among special characters. */
  private String text(int max) {
    int length = random.nextInt(max + 1);
    StringBuilder text = new StringBuilder(length + 2);
    while (text.length() < length) {
      if (random.nextInt(4) == 0) {
        text.appendCodePoint(SPECIAL[random.nextInt(SPECIAL.length)]);
      } else {
        int run = 1 + random.nextInt(40);
        for (int i = 0; i < run && text.length() < length; i++) {
          text.append((char) (' ' + 1 + random.nextInt(90)));
        }
      }
    }
    return text.toString();
  }

  /** A field name: as a string, but Jackson refuses a lone surrogate in one. */
  private void name(String text) {
    chars(text);
    out.append('"');
  }

  /** A string value, which may end with a lone surrogate. */
  private void string(String text) {
    chars(text);
    if (random.nextInt(30) == 0) {
      out.append("\\ud800"); // a lone surrogate, which only an escape can spell
    }
    out.append('"');
  }

  /** Opens a string and spells each character of {@code text} one of its legal ways. */
  private void chars(String text) {
    out.append('"');
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      boolean mustEscape = cp == '"' || cp == '\\' || cp < 0x20;
      if (!mustEscape && random.nextInt(8) != 0) {
        out.appendCodePoint(cp);
      } else if (cp == '/' && random.nextBoolean()) {
        out.append("\\/");
      } else if (random.nextBoolean() && shortEscape(cp) != null) {
        out.append(shortEscape(cp));
      } else {
        for (char c : Character.toChars(cp)) {
          String hex = String.format("%04x", (int) c);
          out.append("\\u").append(random.nextBoolean() ? hex : hex.toUpperCase());
        }
      }
    }
  }

  private static String shortEscape(int cp) {
    return switch (cp) {
      case '"' -> "\\\"";
      case '\\' -> "\\\\";
      case '\b' -> "\\b";
      case '\f' -> "\\f";
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      default -> null;
    };
  }

  private void space() {
    out.append(SPACE[random.nextInt(SPACE.length)]);
  }
}
