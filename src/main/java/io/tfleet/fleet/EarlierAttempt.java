package io.tfleet.fleet;

import java.time.Instant;
import java.util.Objects;

/**
 * An attempt of a machine that came before its latest one in the same run, kept in {@code
 * attempt-K/}.
 *
 * @param number K, from 1
 * @param outcome how it ended
 * @param submittedAt when the server accepted its job, or null
 * @param finishedAt when its result was filed, or null
 */
public record EarlierAttempt(int number, Outcome outcome, Instant submittedAt, Instant finishedAt) {
  public EarlierAttempt {
    if (number < 1) {
      throw new IllegalArgumentException("attempts start at 1");
    }
    Objects.requireNonNull(outcome, "outcome");
  }
}
