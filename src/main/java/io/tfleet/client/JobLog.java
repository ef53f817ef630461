package io.tfleet.client;

import java.util.List;
import java.util.Objects;

/**
 * What {@code GET /v1/result/<id>/log/<type>} answered: each phase asked for, in the order the
 * server lists them, with the text of its fragments from the start fragment on.
 *
 * @param phases the phases, every one asked for, those with nothing new included
 */
public record JobLog(List<Phase> phases) {
  /** Phases in the order a job walks them, which is how the server lists them. */
  public static final List<String> PHASES =
      List.of("setup", "provision", "firmware_update", "test", "allocate", "reserve", "cleanup");

  public JobLog {
    phases = List.copyOf(phases);
  }

  /**
   * One phase's part of the answer.
   *
   * @param lastFragment the highest fragment number in {@code text}; -1 when there is none
   */
  public record Phase(String name, int lastFragment, String text) {
    public Phase {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(text, "text");
      if (lastFragment < -1) {
        throw new IllegalArgumentException("lastFragment < -1");
      }
    }
  }

  /**
   * The fragment to ask from next so that nothing shown here comes again: fragments are numbered
   * across the whole job, so one past the highest number seen, and never less than {@code from}.
   */
  public int nextFragment(int from) {
    int next = from;
    for (Phase phase : phases) {
      next = Math.max(next, phase.lastFragment() + 1);
    }
    return next;
  }

  /** Whether any phase has text. */
  public boolean isEmpty() {
    return phases.stream().allMatch(p -> p.text().isEmpty());
  }
}
