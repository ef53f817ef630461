package io.tfleet.report;

/** Why a machine did not pass: its test, the lab's trouble, or the person running the fleet. */
public enum Cause {
  /** The test phase failed. */
  TEST,
  /**
   * The lab's trouble: setup, provision, firmware_update, allocate or reserve failed; the job
   * vanished from the server; someone other than tfleet cancelled it; the submission was refused.
   */
  INFRASTRUCTURE,
  /** tfleet cancelled the job, on the person's request or for running past {@code --timeout}. */
  USER;

  /** The word in files: {@code infrastructure}. */
  public String key() {
    return name().toLowerCase();
  }

  /** The words for people: {@code lab trouble}. */
  public String label() {
    return switch (this) {
      case TEST -> "test";
      case INFRASTRUCTURE -> "lab trouble";
      case USER -> "cancelled by you";
    };
  }

  /** The cause of a failed phase: the test's own, or the lab's for every other phase. */
  public static Cause forFailedPhase(String phase) {
    return "test".equals(phase) ? TEST : INFRASTRUCTURE;
  }
}
