package io.tfleet.report;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/** What the reports derive from a {@link MachineReport} the same way in every format. */
final class Facts {
  /** Worst verdicts first: what a reader must look at before the rest. */
  static final List<Verdict> SEVERITY =
      List.of(
          Verdict.FAILED,
          Verdict.TIMED_OUT,
          Verdict.CANCELLED,
          Verdict.ERROR,
          Verdict.NOT_SUBMITTED,
          Verdict.UNFINISHED,
          Verdict.PASSED);

  /** Failures first, worst first, then by machine id: the order pages show machines in. */
  static final Comparator<MachineReport> WORST_FIRST =
      Comparator.comparingInt((MachineReport m) -> SEVERITY.indexOf(m.verdict()))
          .thenComparing(MachineReport::machine);

  private Facts() {}

  /** Returns the test phase's exit code, or null when the job never reached it. */
  static Integer testStatus(MachineReport m) {
    return m.phaseStatuses().get("test");
  }

  /**
   * Returns the time from submission to result, or null when either end is unknown or the clocks
   * disagree (a result before its submission says nothing about how long the job took).
   */
  static Duration duration(MachineReport m) {
    if (m.submittedAt() == null || m.finishedAt() == null) {
      return null;
    }
    Duration d = Duration.between(m.submittedAt(), m.finishedAt());
    return d.isNegative() ? null : d;
  }

  /** Returns the run's wall-clock time, or null when either end is unknown or out of order. */
  static Duration duration(RunReport run) {
    if (run.startedAt() == null || run.finishedAt() == null) {
      return null;
    }
    Duration d = Duration.between(run.startedAt(), run.finishedAt());
    return d.isNegative() ? null : d;
  }

  /** Returns {@code d} in seconds with millisecond precision, as JSON and JUnit want it. */
  static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
