package io.tfleet.report;

import java.util.List;

/** How many machines ended with each verdict; the counts add up to {@code machines}. */
record Totals(int machines, int passed, int failed, int cancelled, int error, int unfinished) {
  /** The verdicts a {@link MachineReport} may carry, in the order the reports list them. */
  static final List<String> VERDICTS = List.of("passed", "failed", "cancelled", "error", "unfinished");

  /**
   * Counts {@code machines} by verdict.
   *
   * @throws IllegalArgumentException for a verdict not in {@link #VERDICTS}, which would otherwise
   *     make the totals silently not add up
   */
  static Totals of(List<MachineReport> machines) {
    int[] counts = new int[VERDICTS.size()];
    for (MachineReport m : machines) {
      counts[indexOf(m)]++;
    }
    return new Totals(machines.size(), counts[0], counts[1], counts[2], counts[3], counts[4]);
  }

  /** Returns the position of {@code m}'s verdict in {@link #VERDICTS}. */
  static int indexOf(MachineReport m) {
    int i = VERDICTS.indexOf(m.verdict());
    if (i < 0) {
      throw new IllegalArgumentException(m.machine() + ": unknown verdict '" + m.verdict() + "'");
    }
    return i;
  }

  /** Returns the count for {@code verdict}, one of {@link #VERDICTS}. */
  int count(String verdict) {
    return switch (verdict) {
      case "passed" -> passed;
      case "failed" -> failed;
      case "cancelled" -> cancelled;
      case "error" -> error;
      case "unfinished" -> unfinished;
      default -> throw new IllegalArgumentException("unknown verdict '" + verdict + "'");
    };
  }
}
