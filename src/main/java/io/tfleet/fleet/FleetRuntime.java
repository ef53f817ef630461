package io.tfleet.fleet;

import io.tfleet.client.Reply;
import io.tfleet.client.TestflingerClient;
import io.tfleet.store.OutputTree;
import io.tfleet.store.TreeException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * What submitting, monitoring, filing and cancelling share: the client, the fleet's state, the
 * settings, one retry policy, the first problem that stops the whole run, the worker pool of
 * batches, and the lanes that file results and download artifacts off the monitoring round.
 *
 * <p>The one convention for trouble: every call to the server goes through {@link #call} or {@link
 * #once}, which say how it went as a {@link Reply} and stop the run on a problem no machine can get
 * past; an {@link IOException} that leaves a task is the output tree failing, and stops the batch;
 * an interrupt stops the batch as an {@link InterruptedException}. A batch returns only once none
 * of its tasks runs any more, so nothing touches the tree behind the caller's back.
 */
final class FleetRuntime implements AutoCloseable {
  final TestflingerClient client;
  final OutputTree tree;
  final FleetState state;
  final FleetEvents events;
  final FleetSettings settings;
  final Retry retry;

  /** Results, phase and serial logs: as many at once as requests may be in flight. */
  final Work filing;

  /** Artifact bundles, which can be large: a few at a time, beside the filing of results. */
  final Work downloads;

  /** Sends machines' next attempts; set once by the fleet that owns this runtime. */
  Submitter submitter;

  private final AtomicReference<FleetAbortedException> aborted = new AtomicReference<>();

  private final AtomicInteger threads = new AtomicInteger();

  /** Made on the first batch; see {@link #workers()}. */
  private ExecutorService workers;

  FleetRuntime(
      TestflingerClient client, FleetState state, FleetEvents events, FleetSettings settings) {
    this.client = client;
    this.state = state;
    this.tree = state.tree();
    this.events = events;
    this.settings = settings;
    this.retry = new Retry(client, settings.backoff(), events);
    this.filing = new Work("filing", settings.concurrency());
    this.downloads = new Work("download", Math.min(4, settings.concurrency()));
  }

  // ---------------------------------------------------------------- calls to the server

  /**
   * A call that is safe to repeat, tried again while its trouble may pass (pausing in this thread),
   * judged once; a problem no machine can get past stops the run.
   */
  <T> Reply<T> call(String who, Reply.Call<T> call) throws InterruptedException {
    return stopIf(retry.reply(who, call));
  }

  /** One try of a call, judged; a problem no machine can get past stops the run. */
  <T> Reply<T> once(Reply.Call<T> call) throws InterruptedException {
    return stopIf(client.call(call));
  }

  /** Stops the run when {@code reply} failed for a reason no machine can get past. */
  <T> Reply<T> stopIf(Reply<T> reply) {
    if (!reply.ok() && reply.problem().stopsRun()) {
      aborted.compareAndSet(null, new FleetAbortedException(reply.problem().message(), null));
    }
    return reply;
  }

  // ---------------------------------------------------------------- stopping the run

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
  void cancelQuietly(String jobId) throws InterruptedException {
    Reply<Void> reply =
        once(
            () -> {
              client.cancel(jobId);
              return null;
            });
    if (!reply.ok()) {
      events.notice("could not cancel job " + jobId + ": " + reply.problem().message());
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

  private RuntimeException rethrown(Throwable cause) throws InterruptedException {
    if (cause instanceof InterruptedIOException || cause instanceof InterruptedException) {
      throw new InterruptedException(cause.getMessage());
    }
    if (cause instanceof Error error) {
      throw error;
    }
    if (cause instanceof IOException io) {
      return new TreeException(tree.root(), io);
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
    filing.close();
    downloads.close();
    if (workers != null) {
      workers.shutdownNow();
      workers.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public synchronized void close() {
    filing.close();
    downloads.close();
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
