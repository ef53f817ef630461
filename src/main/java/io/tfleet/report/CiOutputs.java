package io.tfleet.report;

import java.util.List;
import java.util.Map;

/** A run's counts under the names CI jobs read them by: {@code machines}, then one per verdict. */
public final class CiOutputs {
  private CiOutputs() {}

  /**
   * Returns {@code machines} first, then the count of every verdict, zeros included, by {@link
   * Verdict#key()} ({@code passed}, {@code failed}, ..., {@code not_submitted}, {@code
   * unfinished}).
   */
  public static Map<String, Integer> counts(List<MachineReport> machines) {
    return Totals.of(machines).asMap();
  }
}
