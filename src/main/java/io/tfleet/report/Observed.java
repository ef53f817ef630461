package io.tfleet.report;

import java.time.Instant;
import java.util.Objects;

/**
 * A state tfleet saw a machine's job in, and when it first saw it. Times are as observed by
 * polling: a state began at most one round before it was seen, and one too short to be seen is
 * missing.
 */
public record Observed(String state, Instant seen) {
  public Observed {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(seen, "seen");
  }
}
