package io.tfleet.fleet;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How a run behaves.
 *
 * @param concurrency HTTP requests in flight at once
 * @param backoff how a failed call that may work later is tried again
 * @param giveUpAfter how long a job may go without an answer from the server before its machine is
 *     marked as lost
 * @param jobTimeout how long a job may take from submission before it is cancelled; null for no
 *     limit
 * @param search whether to learn job states with one search per round (else one request per job, as
 *     the original script; for comparisons)
 * @param statusPattern the hw status rule: the first group of its first match in the test output
 * @param artifacts whether to download each finished job's artifact bundle into the machine's
 *     {@code artifacts/} folder
 * @param attempts how many attempts each machine gets ({@code --retries}, {@code --repeat})
 */
public record FleetSettings(
    int concurrency,
    Backoff backoff,
    Duration giveUpAfter,
    Duration jobTimeout,
    boolean search,
    Pattern statusPattern,
    boolean artifacts,
    Attempts attempts) {
  public FleetSettings {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency < 1");
    }
    if (giveUpAfter.isNegative() || giveUpAfter.isZero()) {
      throw new IllegalArgumentException("giveUpAfter <= 0");
    }
    if (jobTimeout != null && (jobTimeout.isNegative() || jobTimeout.isZero())) {
      throw new IllegalArgumentException("jobTimeout <= 0");
    }
    java.util.Objects.requireNonNull(attempts, "attempts");
  }

  /**
   * Requests in flight by default. Measured with {@code tfleet bench} at 50 ms of latency, 1,000
   * machines: 16 took 3.9 s to submit, 32 took 2.3 s, 64 took 1.5 s (tfleet's own work then starts
   * to count); 32 halves the wait on a distant server and asks a shared one for no more than a
   * browser or two would.
   */
  public static final int DEFAULT_CONCURRENCY = 32;

  /**
   * {@link #DEFAULT_CONCURRENCY} requests in flight, {@link Backoff#DEFAULT}, give up after 15
   * minutes, no job time limit.
   */
  public static FleetSettings defaults() {
    return new FleetSettings(
        DEFAULT_CONCURRENCY,
        Backoff.DEFAULT,
        Duration.ofMinutes(15),
        null,
        true,
        Results.HW_STATUS,
        /* artifacts= */ false,
        Attempts.ONE);
  }

  public FleetSettings withConcurrency(int n) {
    return new FleetSettings(
        n, backoff, giveUpAfter, jobTimeout, search, statusPattern, artifacts, attempts);
  }

  public FleetSettings withBackoff(Backoff b) {
    return new FleetSettings(
        concurrency, b, giveUpAfter, jobTimeout, search, statusPattern, artifacts, attempts);
  }

  public FleetSettings withJobTimeout(Duration d) {
    return new FleetSettings(
        concurrency, backoff, giveUpAfter, d, search, statusPattern, artifacts, attempts);
  }

  public FleetSettings withArtifacts(boolean download) {
    return new FleetSettings(
        concurrency, backoff, giveUpAfter, jobTimeout, search, statusPattern, download, attempts);
  }

  public FleetSettings withStatusPattern(Pattern pattern) {
    return new FleetSettings(
        concurrency, backoff, giveUpAfter, jobTimeout, search, pattern, artifacts, attempts);
  }

  public FleetSettings withAttempts(Attempts a) {
    return new FleetSettings(
        concurrency, backoff, giveUpAfter, jobTimeout, search, statusPattern, artifacts, a);
  }
}
