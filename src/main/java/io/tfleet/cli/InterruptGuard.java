package io.tfleet.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns Ctrl-C and SIGTERM into an interrupt of the thread running the command, and holds the JVM
 * until that thread has left everything whole and printed where things stand; then exits 130.
 */
final class InterruptGuard implements AutoCloseable {
  /** How long a stopping run may take to print and cancel before the process ends anyway. */
  private static final Duration GRACE = Duration.ofSeconds(60);

  private final Thread hook;
  private final AtomicBoolean fired = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);

  private InterruptGuard(Thread worker) {
    this.hook =
        new Thread(
            () -> {
              fired.set(true);
              worker.interrupt();
              try {
                finished.await(GRACE.toSeconds(), TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              // The same code for SIGINT and SIGTERM; halt, as exit() from a hook would hang.
              Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
            },
            "tfleet-interrupt");
  }

  /** Guards the calling thread until {@link #close()}. */
  static InterruptGuard install() {
    InterruptGuard guard = new InterruptGuard(Thread.currentThread());
    Runtime.getRuntime().addShutdownHook(guard.hook);
    return guard;
  }

  /** Whether a signal arrived. */
  boolean fired() {
    return fired.get();
  }

  /** Call when the command has finished (or finished stopping). */
  @Override
  public void close() {
    if (fired.get()) {
      finished.countDown();
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Shutdown began after all: the hook runs and waits for this.
      finished.countDown();
    }
  }
}
