package io.tfleet.report;

/** How a machine's run ended, from the user's point of view: one type for every report. */
public enum Verdict {
  /** The job completed and its test command exited 0. */
  PASSED,
  /** The job completed, but a phase failed or the test command exited non-zero. */
  FAILED,
  /** The job was cancelled, by tfleet or by someone else. */
  CANCELLED,
  /** tfleet cancelled the job because it ran past {@code --timeout}. */
  TIMED_OUT,
  /** The machine has no result: its submission was refused, or the server lost the job. */
  ERROR,
  /** The machine is in the run, but no job was ever submitted for it. */
  NOT_SUBMITTED,
  /** The job is not finished yet (the run was stopped, or is still going). */
  UNFINISHED;

  /**
   * The word in files and page filters ({@code summary.json}, {@code report.html}): {@code
   * not_submitted}.
   */
  public String key() {
    return name().toLowerCase();
  }

  /** The words printed for people: {@code not submitted}. */
  public String label() {
    return key().replace('_', ' ');
  }

  /** Whether this verdict counts as a pass for the exit code. */
  public boolean passed() {
    return this == PASSED;
  }
}
