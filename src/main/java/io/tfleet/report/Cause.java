package io.tfleet.report;

import java.util.Locale;
import java.util.Objects;

/**
 * Why a machine (or one attempt of it) did not pass: its test, the lab around it, or the person
 * running tfleet. Lab trouble is not a test failure, and the reports keep the two apart.
 */
public enum Cause {
  /** The test phase failed, or the hw status it filed differs from what the run expects. */
  TEST("test failure"),
  /**
   * The lab failed the machine before or around its test: setup, provision, firmware_update,
   * allocate or reserve failed, the job vanished from the server, someone other than tfleet
   * cancelled it, its submission was refused, or the server's answers were never usable.
   */
  INFRASTRUCTURE("lab trouble"),
  /** tfleet stopped the job because its user asked: a cancel, or {@code --timeout}. */
  USER("stopped by you");

  private final String label;

  Cause(String label) {
    this.label = label;
  }

  /** The word in files ({@code summary.json}): {@code infrastructure}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The words printed for people: {@code lab trouble}. */
  public String label() {
    return label;
  }

  /**
   * The cause of a job that failed in {@code phase}: {@link #TEST} for the {@code test} phase, and
   * {@link #INFRASTRUCTURE} for every other ({@code setup}, {@code provision}, {@code
   * firmware_update}, {@code allocate}, {@code reserve}, ...), which only prepare the machine.
   */
  public static Cause forFailedPhase(String phase) {
    Objects.requireNonNull(phase, "phase");
    return phase.equals("test") ? TEST : INFRASTRUCTURE;
  }

  /**
   * Refuses a cause where there is nothing to explain: a passed or unfinished machine or attempt
   * has none.
   */
  static void check(Verdict verdict, Cause cause) {
    if (cause != null && (verdict == Verdict.PASSED || verdict == Verdict.UNFINISHED)) {
      throw new IllegalArgumentException(
          "a " + verdict.label() + " machine has no cause, not " + cause.key());
    }
  }
}
