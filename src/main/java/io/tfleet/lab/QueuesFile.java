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

/** Reads a queues file: one queue name a line, blank lines and '#' comments skipped. */
public final class QueuesFile {
  private QueuesFile() {}

  /**
   * Returns the queues in file order.
   *
   * @throws IOException when the file cannot be read, or a line holds a bad or repeated name; the
   *     message names the file and line
   */
  public static Set<String> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Map<String, Integer> firstLine = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      int lineNo = i + 1;
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String name = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (name.isEmpty()) {
        continue;
      }
      try {
        LabConfig.checkQueueName(name);
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ":" + lineNo + ": " + e.getMessage());
      }
      Integer earlier = firstLine.putIfAbsent(name, lineNo);
      if (earlier != null) {
        // A repeated name is most likely a paste error; say where the first one is.
        throw new IOException(
            file + ":" + lineNo + ": queue " + name + " repeats line " + earlier);
      }
    }
    return Collections.unmodifiableSet(new LinkedHashSet<>(firstLine.keySet()));
  }
}
