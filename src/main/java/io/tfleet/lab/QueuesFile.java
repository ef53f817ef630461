package io.tfleet.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a queues file: one queue a line, optionally followed by its machine's state ({@code
 * offline} or {@code maintenance}) and settings ({@code test-status=1}, {@code
 * provision-streak=fail:3}, {@code test-output=32M}); blank lines and '#' comments are skipped.
 */
public final class QueuesFile {
  /**
   * The queues in file order, the machines set to a state other than working, and the machines set
   * up by settings.
   */
  public record Queues(
      Set<String> names, Map<String, String> machineStates, Map<String, MachineSetup> setups) {}

  private static final String SETTINGS =
      "test-status=N (0..255), provision-streak=pass:N or fail:N, test-output=SIZE (bytes, or with"
          + " K, M or G)";

  private QueuesFile() {}

  /**
   * Returns the queues in file order.
   *
   * @throws IOException when the file cannot be read, or a line is bad; the message names the file
   *     and line
   */
  public static Set<String> read(Path file) throws IOException {
    return parse(file).names();
  }

  /**
   * Returns the queues in file order and their machines' states.
   *
   * @throws IOException when the file cannot be read, or a line holds a bad or repeated name or an
   *     unknown state; the message names the file and line
   */
  public static Queues parse(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Map<String, Integer> firstLine = new LinkedHashMap<>();
    Map<String, String> states = new LinkedHashMap<>();
    Map<String, MachineSetup> setups = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      int lineNo = i + 1;
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (content.isEmpty()) {
        continue;
      }
      String[] words = content.split("\\s+");
      String name = words[0];
      try {
        LabConfig.checkQueueName(name);
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ":" + lineNo + ": " + e.getMessage());
      }
      MachineSetup setup = MachineSetup.plain();
      String state = null;
      for (int w = 1; w < words.length; w++) {
        String word = words[w];
        if (word.contains("=")) {
          try {
            setup = setting(setup, word);
          } catch (IllegalArgumentException e) {
            throw new IOException(file + ":" + lineNo + ": queue " + name + ": " + e.getMessage());
          }
        } else if (state != null) {
          throw new IOException(
              file
                  + ":"
                  + lineNo
                  + ": expected a queue name and at most a state, got '"
                  + content
                  + "' (a queue name has no spaces)");
        } else if (!LabConfig.UNAVAILABLE_STATES.contains(word)) {
          throw new IOException(
              file
                  + ":"
                  + lineNo
                  + ": unknown state '"
                  + word
                  + "' for queue "
                  + name
                  + " (use offline or maintenance, or nothing for a working machine)");
        } else {
          state = word;
        }
      }
      Integer earlier = firstLine.putIfAbsent(name, lineNo);
      if (earlier != null) {
        // A repeated name is most likely a paste error; say where the first one is.
        throw new IOException(file + ":" + lineNo + ": queue " + name + " repeats line " + earlier);
      }
      if (state != null) {
        states.put(name, state);
      }
      if (!setup.equals(MachineSetup.plain())) {
        setups.put(name, setup);
      }
    }
    return new Queues(
        Collections.unmodifiableSet(new LinkedHashSet<>(firstLine.keySet())),
        Collections.unmodifiableMap(states),
        Collections.unmodifiableMap(setups));
  }

  /** The setup with one {@code key=value} setting applied. */
  private static MachineSetup setting(MachineSetup setup, String word) {
    int eq = word.indexOf('=');
    String key = word.substring(0, eq);
    String value = word.substring(eq + 1);
    switch (key) {
      case "test-status":
        return setup.withTestStatus(number(word, value, MachineSetup.MAX_STATUS));
      case "provision-streak":
        int colon = value.indexOf(':');
        String type = colon < 0 ? "" : value.substring(0, colon);
        if (!MachineSetup.STREAK_TYPES.contains(type)) {
          throw new IllegalArgumentException(
              "bad setting '" + word + "': expected provision-streak=pass:N or fail:N");
        }
        return setup.withProvisionStreak(
            type, number(word, value.substring(colon + 1), Integer.MAX_VALUE));
      case "test-output":
        return setup.withTestOutput(size(word, value));
      default:
        throw new IllegalArgumentException("unknown setting '" + word + "' (use " + SETTINGS + ")");
    }
  }

  private static int number(String word, String value, int max) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 0 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Said below.
    }
    throw new IllegalArgumentException(
        "bad setting '" + word + "': expected a whole number from 0 to " + max);
  }

  /** A size in bytes: digits, then optionally K, M or G (powers of 1024). */
  static long size(String word, String value) {
    String digits = value;
    long unit = 1;
    if (!value.isEmpty()) {
      int at = "KMG".indexOf(Character.toUpperCase(value.charAt(value.length() - 1)));
      if (at >= 0) {
        unit = 1L << (10 * (at + 1));
        digits = value.substring(0, value.length() - 1);
      }
    }
    try {
      long n = Long.parseLong(digits);
      if (n >= 0 && n <= Long.MAX_VALUE / unit) {
        return n * unit;
      }
    } catch (NumberFormatException e) {
      // Said below.
    }
    throw new IllegalArgumentException(
        "bad setting '" + word + "': expected a size in bytes, such as 1048576, 512K, 32M or 1G");
  }
}
