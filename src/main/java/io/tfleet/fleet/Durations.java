package io.tfleet.fleet;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them: {@code 90m}, {@code 1h30m}, {@code 45s}, {@code 2h}. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+)([hms])");

  private Durations() {}

  /** Parses {@code 1h30m}-style text (a bare number means seconds). */
  public static Duration parse(String text) {
    String t = text.strip().toLowerCase();
    if (t.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(t));
    }
    if (!t.matches("(\\d+[hms])+")) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration such as 90m, 1h30m or 45s");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(t);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
              });
    }
    return total;
  }

  /** Formats the way {@link #parse} reads, with milliseconds under a second. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    StringBuilder out = new StringBuilder();
    if (s >= 3600) {
      out.append(s / 3600).append('h');
    }
    if (s % 3600 >= 60) {
      out.append(s % 3600 / 60).append('m');
    }
    if (s % 60 > 0 || out.length() == 0) {
      out.append(s % 60).append('s');
    }
    return out.toString();
  }
}
