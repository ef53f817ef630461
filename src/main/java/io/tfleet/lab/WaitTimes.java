package io.tfleet.lab;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How long each queue's jobs waited before a machine took them, as upstream keeps it for {@code GET
 * /v1/queues/wait_times}: whole seconds per job, and percentiles by linear interpolation between
 * the closest ranks.
 */
final class WaitTimes {
  /** The percentiles upstream answers, in its order. */
  static final List<Integer> PERCENTILES = List.of(5, 10, 50, 90, 95);

  private final Map<String, List<Long>> seconds = new TreeMap<>(); // guarded by this

  /** A machine of {@code queue} took, at {@code started}, a job submitted at {@code created}. */
  synchronized void record(String queue, Instant created, Instant started) {
    long waited = Math.max(0, Duration.between(created, started).toSeconds());
    seconds.computeIfAbsent(queue, q -> new ArrayList<>()).add(waited);
  }

  /**
   * Every queue that ever started a job (or only those of {@code queues}, when any are named), each
   * with its percentiles in seconds; a queue that started none is left out, as upstream does.
   */
  synchronized ObjectNode percentiles(Collection<String> queues) {
    ObjectNode answer = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, List<Long>> queue : seconds.entrySet()) {
      if (!queues.isEmpty() && !queues.contains(queue.getKey())) {
        continue;
      }
      List<Long> sorted = new ArrayList<>(queue.getValue());
      sorted.sort(null);
      ObjectNode item = answer.putObject(queue.getKey());
      for (int p : PERCENTILES) {
        item.put(String.valueOf(p), percentile(sorted, p));
      }
    }
    return answer;
  }

  /** The value at rank {@code (n - 1) * p / 100}, between the two closest values when between. */
  static double percentile(List<Long> sorted, int p) {
    double rank = (sorted.size() - 1) * (p / 100.0);
    int lower = (int) Math.floor(rank);
    int upper = (int) Math.ceil(rank);
    double low = sorted.get(lower);
    return low + (sorted.get(upper) - low) * (rank - lower);
  }
}
