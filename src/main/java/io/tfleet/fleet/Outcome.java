package io.tfleet.fleet;

import io.tfleet.report.Cause;
import io.tfleet.report.Verdict;
import java.util.Objects;

/**
 * Where one machine ended up. {@code jobId}, {@code state}, {@code testStatus}, {@code hwStatus},
 * {@code reason} and {@code cause} are null when they do not apply (no job, no test phase, nothing
 * went wrong).
 *
 * @param cause why the machine did not pass; null when it passed or is not finished
 */
public record Outcome(
    String machine,
    String jobId,
    String state,
    Integer testStatus,
    String hwStatus,
    Verdict verdict,
    String reason,
    Cause cause) {
  public Outcome {
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(verdict, "verdict");
    if (verdict != Verdict.PASSED && verdict != Verdict.CANCELLED && reason == null) {
      throw new IllegalArgumentException(
          machine + ": a " + verdict.label() + " outcome needs a reason");
    }
    if ((verdict == Verdict.PASSED || verdict == Verdict.UNFINISHED) && cause != null) {
      throw new IllegalArgumentException(machine + ": a " + verdict.label() + " has no cause");
    }
  }

  /** An outcome with the cause its verdict usually has (see {@link #usualCause}). */
  public Outcome(
      String machine,
      String jobId,
      String state,
      Integer testStatus,
      String hwStatus,
      Verdict verdict,
      String reason) {
    this(machine, jobId, state, testStatus, hwStatus, verdict, reason, usualCause(verdict));
  }

  /**
   * The cause a verdict has unless its maker knows better: a failure is the test's, an error or a
   * job that never got submitted the lab's, a time-out or cancel the person's.
   */
  static Cause usualCause(Verdict verdict) {
    return switch (verdict) {
      case PASSED, UNFINISHED -> null;
      case FAILED -> Cause.TEST;
      case ERROR, NOT_SUBMITTED -> Cause.INFRASTRUCTURE;
      case CANCELLED, TIMED_OUT -> Cause.USER;
    };
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
