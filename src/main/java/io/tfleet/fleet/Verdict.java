package io.tfleet.fleet;

/** How a machine's run ended, from the user's point of view. */
public enum Verdict {
  /** The job completed and its test command exited 0. */
  PASSED,
  /** The job completed, but a phase failed or the test command exited non-zero. */
  FAILED,
  /** The job was cancelled. */
  CANCELLED,
  /** The machine has no result: its submission failed, or the server lost the job. */
  ERROR,
  /** The job is not finished yet (the run was stopped, or is still going). */
  UNFINISHED;

  /** The word printed in summaries. */
  public String label() {
    return name().toLowerCase();
  }
}
