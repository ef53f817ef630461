package io.tfleet.report;

import java.time.Instant;
import java.util.Objects;

/**
 * One attempt of a machine: a job of its own, submitted again after lab trouble ({@code --retries})
 * or once per repetition ({@code --repeat}).
 *
 * @param number the attempt's number, from 1
 * @param jobId its Testflinger job id, or null when it has none (its submission was refused)
 * @param verdict how the attempt ended
 * @param cause why it did not pass; null when it passed or is not finished
 * @param reason why it did not pass, in words, or null
 * @param submittedAt when its job was accepted, or null
 * @param finishedAt when its result was filed, or null
 * @param dir the folder of its files relative to the output tree ({@code m1/attempt-1}), or null
 *     for the latest attempt, whose files are the machine's own
 */
public record AttemptReport(
    int number,
    String jobId,
    Verdict verdict,
    Cause cause,
    String reason,
    Instant submittedAt,
    Instant finishedAt,
    String dir) {
  public AttemptReport {
    if (number < 1) {
      throw new IllegalArgumentException("attempt number " + number + " < 1");
    }
    Objects.requireNonNull(verdict, "verdict");
    Cause.check(verdict, cause);
  }

  /** Whether the attempt passed. */
  public boolean passed() {
    return verdict.passed();
  }
}
