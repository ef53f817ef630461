package io.tfleet.fleet;

import io.tfleet.client.ApiException;
import io.tfleet.client.TestflingerClient;
import io.tfleet.store.OutputTree;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What submitting, monitoring and cancelling share: the client, the tree, the settings, one retry
 * policy, where every machine stands, the first problem that stops the whole run, and the worker
 * pool.
 *
 * <p>The one convention for trouble: a call to the server that fails is that machine's problem and
 * is handled where it happens; an {@link IOException} that leaves a task is the output tree
 * failing, and stops the batch; an interrupt (an {@link InterruptedException}, or the client's
 * {@link InterruptedIOException}) stops the batch as an {@link InterruptedException}. A batch
 * returns only once none of its tasks runs any more, so nothing touches the tree behind the
 * caller's back.
 */
final class FleetRuntime implements AutoCloseable {
  final TestflingerClient client;
  final OutputTree tree;
  final FleetEvents events;
  final FleetSettings settings;

  /** Also knows whether any call got an answer: after that an outage is waited out, not fatal. */
  final Retry retry;

  private final AtomicReference<FleetAbortedException> aborted = new AtomicReference<>();

  /** Where every machine stands, for the summary of a run that is stopped halfway. */
  private final Map<String, Outcome> status = new ConcurrentSkipListMap<>();

  private final AtomicInteger threads = new AtomicInteger();

  /** Made on the first batch; see {@link #workers()}. */
  private ExecutorService workers;

  FleetRuntime(
      TestflingerClient client, OutputTree tree, FleetEvents events, FleetSettings settings) {
    this.client = client;
    this.tree = tree;
    this.events = events;
    this.settings = settings;
    this.retry = new Retry(settings.backoff(), events);
  }

  // ---------------------------------------------------------------- where machines stand

  void put(Outcome outcome) {
    status.put(outcome.machine(), outcome);
  }

  /** Records that {@code machine}'s job is known and not finished, last seen in {@code state}. */
  void seen(String machine, String jobId, String state) {
    put(Outcome.unfinished(machine, jobId, state == null ? "submitted" : state));
  }

  List<Outcome> snapshot() {
    return new ArrayList<>(status.values());
  }

  // ---------------------------------------------------------------- stopping the run

  /** Notes a problem no machine can get past; the run stops at the end of the current batch. */
  void abortIf(boolean condition, Exception cause) {
    if (condition) {
      aborted.compareAndSet(null, new FleetAbortedException(cause.getMessage(), cause));
    }
  }

  /** The reason the run stops, if there is one. */
  FleetAbortedException abortion() {
    return aborted.get();
  }

  void throwIfAborted() throws FleetAbortedException {
    FleetAbortedException e = aborted.get();
    if (e != null) {
      throw e;
    }
  }

  /** Cancels a job, telling the user when that fails; for jobs being given up on. */
  void cancelQuietly(String jobId) {
    try {
      client.cancel(jobId);
    } catch (IOException | ApiException e) {
      events.notice("could not cancel job " + jobId + ": " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- running tasks

  /** A task of a batch: one machine's work. */
  @FunctionalInterface
  interface Task<T> {
    T run() throws IOException, InterruptedException;
  }

  /**
   * Runs the tasks {@code concurrency} at a time and returns their results in order. When one
   * fails, the others are stopped (those running are interrupted, those waiting do not start), and
   * this returns, by throwing, only once none of them runs any more.
   */
  <T> List<T> runAll(List<? extends Task<T>> tasks) throws InterruptedException {
    if (tasks.isEmpty()) {
      return List.of();
    }
    ExecutorService pool = workers();
    CountDownLatch done = new CountDownLatch(tasks.size());
    AtomicBoolean stopping = new AtomicBoolean();
    Set<Thread> running = ConcurrentHashMap.newKeySet();
    List<Future<T>> futures = new ArrayList<>(tasks.size());
    for (Task<T> task : tasks) {
      futures.add(
          pool.submit(
              () -> {
                running.add(Thread.currentThread());
                try {
                  if (stopping.get()) {
                    throw new InterruptedException("stopped");
                  }
                  return task.run();
                } finally {
                  running.remove(Thread.currentThread());
                  done.countDown();
                }
              }));
    }
    try {
      List<T> results = new ArrayList<>(futures.size());
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (ExecutionException | InterruptedException e) {
      stopping.set(true);
      running.forEach(Thread::interrupt);
      awaitUninterruptibly(done);
      if (e instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      throw rethrown(e.getCause());
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static RuntimeException rethrown(Throwable cause) throws InterruptedException {
    if (cause instanceof InterruptedIOException || cause instanceof InterruptedException) {
      throw new InterruptedException(cause.getMessage());
    }
    if (cause instanceof IOException io) {
      return new UncheckedIOException(io);
    }
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    return new IllegalStateException(cause);
  }

  /**
   * The pool, made on first use: a fixed pool starts a thread per task only up to the concurrency,
   * so a batch of three runs on three threads, and a run that only cancels starts none.
   */
  private synchronized ExecutorService workers() {
    if (workers == null) {
      workers =
          Executors.newFixedThreadPool(
              settings.concurrency(),
              r -> {
                Thread t = new Thread(r, "tfleet-worker-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
    }
    return workers;
  }

  /** Stops every request in flight and waits (briefly) until no worker touches the tree. */
  synchronized void stop() throws InterruptedException {
    if (workers != null) {
      workers.shutdownNow();
      workers.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public synchronized void close() {
    if (workers != null) {
      workers.shutdownNow();
      try {
        workers.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
