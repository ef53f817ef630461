package io.tfleet.client.auth;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The INI files the upstream CLI reads and writes with Python's configparser: {@code [SECTION]}
 * headers, {@code key = value} or {@code key: value} lines, keys case-insensitive, {@code #} and
 * {@code ;} comment lines. Enough for its two small files; no interpolation, no continuation lines.
 */
final class Ini {
  private Ini() {}

  /** Sections by name, each with its keys in lower case. */
  static Map<String, Map<String, String>> parse(String text) {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    Map<String, String> current = null;
    for (String raw : text.split("\r?\n", -1)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        current =
            sections.computeIfAbsent(
                line.substring(1, line.length() - 1), k -> new LinkedHashMap<>());
        continue;
      }
      int eq = line.indexOf('=');
      int colon = line.indexOf(':');
      int split = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
      if (current == null || split <= 0) {
        continue;
      }
      current.put(
          line.substring(0, split).strip().toLowerCase(Locale.ROOT),
          line.substring(split + 1).strip());
    }
    return sections;
  }

  /** One section as configparser writes it: {@code key = value} lines and a blank line. */
  static String format(String section, Map<String, String> values) {
    StringBuilder text = new StringBuilder("[").append(section).append("]\n");
    values.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
    return text.append('\n').toString();
  }
}
