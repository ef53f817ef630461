package io.tfleet.fleet;

import io.tfleet.report.Cause;

/**
 * How many attempts a machine gets in one run: {@code --retries N} tries again, up to N more times,
 * a machine whose attempt ended in the lab's trouble (never a test failure); {@code --repeat N}
 * runs every machine N times whatever each attempt's outcome, one attempt after another.
 */
public record Attempts(int retries, int repeat) {
  /** One attempt per machine, as the original script. */
  public static final Attempts ONE = new Attempts(0, 1);

  public Attempts {
    if (retries < 0) {
      throw new IllegalArgumentException("--retries must be 0 or more, not " + retries);
    }
    if (repeat < 1) {
      throw new IllegalArgumentException("--repeat must be 1 or more, not " + repeat);
    }
    if (retries > 0 && repeat > 1) {
      throw new IllegalArgumentException(
          "--retries and --repeat do not go together: a repeat runs every attempt whatever it"
              + " meets");
    }
  }

  /** The most attempts one machine gets. */
  public int max() {
    return repeat > 1 ? repeat : 1 + retries;
  }

  /**
   * Whether a machine whose attempt number {@code attempt} ended with {@code latest} gets another.
   * A retry needs a job that the lab's trouble ended: a submission the server refused would be
   * refused again.
   */
  public boolean another(Outcome latest, int attempt) {
    if (attempt >= max()) {
      return false;
    }
    if (repeat > 1) {
      return true;
    }
    return latest.cause() == Cause.INFRASTRUCTURE && latest.jobId() != null;
  }
}
