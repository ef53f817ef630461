package io.tfleet.fleet;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A lane of work with its own threads: steps run as soon as a thread is free, and a step that must
 * wait (a retry after a pause) is scheduled for later instead of sleeping in a thread. The first
 * step that fails stops the lane; whoever waits for it learns why.
 */
final class Work implements AutoCloseable {
  /** One step of work; an {@link IOException} means the output tree failed. */
  @FunctionalInterface
  interface Step {
    void run() throws IOException, InterruptedException;
  }

  private final ScheduledThreadPoolExecutor pool;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Object idle = new Object();

  Work(String name, int threads) {
    AtomicInteger made = new AtomicInteger();
    this.pool =
        new ScheduledThreadPoolExecutor(
            threads,
            r -> {
              Thread t = new Thread(r, "tfleet-" + name + "-" + made.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.setRemoveOnCancelPolicy(true);
  }

  /** Runs {@code step} as soon as a thread is free. */
  void now(Step step) {
    later(Duration.ZERO, step);
  }

  /** Runs {@code step} after {@code delay}, holding no thread meanwhile. */
  void later(Duration delay, Step step) {
    if (failure.get() != null || pool.isShutdown()) {
      return;
    }
    outstanding.incrementAndGet();
    try {
      pool.schedule(() -> run(step), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      done();
    }
  }

  private void run(Step step) {
    try {
      if (failure.get() == null) {
        step.run();
      }
    } catch (Exception | Error e) {
      // An Error too (out of memory above all): it must reach the run, not die with the thread.
      failure.compareAndSet(null, e);
    } finally {
      done();
    }
  }

  private void done() {
    if (outstanding.decrementAndGet() == 0 || failure.get() != null) {
      synchronized (idle) {
        idle.notifyAll();
      }
    }
  }

  /** Whether no step is waiting or running. */
  boolean idle() {
    return outstanding.get() == 0;
  }

  /** Rethrows the failure of a step, if one failed. */
  void check() throws IOException, InterruptedException {
    Throwable e = failure.get();
    if (e instanceof Error error) {
      throw error;
    }
    if (e instanceof InterruptedException interrupted) {
      throw interrupted;
    }
    if (e instanceof java.io.InterruptedIOException interrupted) {
      throw new InterruptedException(interrupted.getMessage());
    }
    if (e instanceof IOException io) {
      throw io;
    }
    if (e instanceof RuntimeException runtime) {
      throw runtime;
    }
  }

  /**
   * Waits until no step is waiting or running, or at most {@code max}; rethrows a step's failure.
   */
  void await(Duration max) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (idle) {
      while (!idle() && failure.get() == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(idle, left);
      }
    }
    check();
  }

  /** Stops every step, running or waiting, and waits briefly until none touches the tree. */
  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
