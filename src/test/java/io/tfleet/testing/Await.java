package io.tfleet.testing;

import io.tfleet.lab.Lab;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition by polling it, with a deadline, instead of sleeping and hoping. */
public final class Await {
  /** How long {@link #idle} waits for a lab's jobs to finish. */
  private static final Duration IDLE_LIMIT = Duration.ofSeconds(20);

  private Await() {}

  /**
   * Returns once {@code condition} holds; fails naming {@code what} if it does not within {@code
   * limit}.
   */
  public static void until(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + limit + " waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  /** Waits until the lab has no active job. */
  public static void idle(Lab lab) {
    try {
      if (!lab.awaitIdle(IDLE_LIMIT)) {
        throw new AssertionError("lab still has " + lab.stats().jobsActive() + " active jobs");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
