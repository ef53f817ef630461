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
 * offline} or {@code maintenance}); blank lines and '#' comments are skipped.
 */
public final class QueuesFile {
  /** The queues in file order, and the machines set to a state other than working. */
  public record Queues(Set<String> names, Map<String, String> machineStates) {}

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
      if (words.length > 2) {
        throw new IOException(
            file
                + ":"
                + lineNo
                + ": expected a queue name and at most a state, got '"
                + content
                + "' (a queue name has no spaces)");
      }
      if (words.length == 2) {
        if (!LabConfig.UNAVAILABLE_STATES.contains(words[1])) {
          throw new IOException(
              file
                  + ":"
                  + lineNo
                  + ": unknown state '"
                  + words[1]
                  + "' for queue "
                  + name
                  + " (use offline or maintenance, or nothing for a working machine)");
        }
        states.put(name, words[1]);
      }
      Integer earlier = firstLine.putIfAbsent(name, lineNo);
      if (earlier != null) {
        // A repeated name is most likely a paste error; say where the first one is.
        throw new IOException(file + ":" + lineNo + ": queue " + name + " repeats line " + earlier);
      }
    }
    return new Queues(
        Collections.unmodifiableSet(new LinkedHashSet<>(firstLine.keySet())),
        Collections.unmodifiableMap(states));
  }
}
