package io.tfleet.lab;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition by polling it, with a deadline, instead of sleeping and hoping. */
final class Await {
  private Await() {}

  /** Polls until the condition holds; fails with the description when the deadline passes. */
  static void until(String description, Duration timeout, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (Boolean.TRUE.equals(condition.get())) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + description);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + description, e);
      }
    }
  }

  /** Waits until the lab has no active job. */
  static void idle(Lab lab) {
    try {
      if (!lab.awaitIdle(Duration.ofSeconds(20))) {
        throw new AssertionError("lab still has " + lab.stats().jobsActive() + " active jobs");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
