package io.tfleet.fleet;

import io.tfleet.report.Verdict;
import java.util.Objects;

/**
 * Where one machine ended up. {@code jobId}, {@code state}, {@code testStatus}, {@code hwStatus}
 * and {@code reason} are null when they do not apply (no job, no test phase, nothing went wrong).
 */
public record Outcome(
    String machine,
    String jobId,
    String state,
    Integer testStatus,
    String hwStatus,
    Verdict verdict,
    String reason) {
  public Outcome {
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(verdict, "verdict");
    if (verdict != Verdict.PASSED && verdict != Verdict.CANCELLED && reason == null) {
      throw new IllegalArgumentException(
          machine + ": a " + verdict.label() + " outcome needs a reason");
    }
  }

  /** A machine that has no result, for {@code reason}. */
  static Outcome error(String machine, String jobId, String reason) {
    return new Outcome(machine, jobId, null, null, null, Verdict.ERROR, reason);
  }

  /** A machine of the run that has no job, for {@code reason}. */
  static Outcome notSubmitted(String machine, String reason) {
    return new Outcome(machine, null, null, null, null, Verdict.NOT_SUBMITTED, reason);
  }

  /** A machine whose job is not finished; {@code state} is its last known state, or null. */
  static Outcome unfinished(String machine, String jobId, String state) {
    return new Outcome(
        machine,
        jobId,
        state,
        null,
        null,
        Verdict.UNFINISHED,
        "not finished (last seen " + (state == null ? "submitted" : state) + ")");
  }
}
