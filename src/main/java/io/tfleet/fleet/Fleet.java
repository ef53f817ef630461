package io.tfleet.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.client.ApiException;
import io.tfleet.client.ServerUnreachableException;
import io.tfleet.client.TestflingerClient;
import io.tfleet.job.RenderedJob;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Submits a fleet's jobs and monitors them to the end, filing each machine's result in the output
 * tree. Every machine gets an {@link Outcome}; one machine's trouble never stops the others. Only a
 * problem that no machine can get past ends the run early, as a {@link FleetAbortedException}.
 */
public final class Fleet implements AutoCloseable {
  private final TestflingerClient client;
  private final OutputTree tree;
  private final FleetEvents events;
  private final ExecutorService workers;
  /** Set once any call got an answer: after that an outage is waited out, not fatal. */
  private final AtomicBoolean serverSeen = new AtomicBoolean();
  private final AtomicReference<FleetAbortedException> aborted = new AtomicReference<>();
  private final ArchiveCache archives = new ArchiveCache();
  private Backoff uploadBackoff = Backoff.DEFAULT;

  public Fleet(TestflingerClient client, OutputTree tree, FleetEvents events, int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency < 1");
    }
    this.client = client;
    this.tree = tree;
    this.events = events;
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "tfleet-worker-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** A machine and the job it runs under, once the server has it. */
  public record Submission(String machine, String jobId, String error) {
    public boolean ok() {
      return jobId != null && error == null;
    }
  }

  /**
   * Submits one job per machine, at most {@code concurrency} at a time. A machine whose folder
   * already holds a job id keeps that job: running tfleet again never submits a machine twice.
   */
  public List<Submission> submit(List<RenderedJob> jobs)
      throws FleetAbortedException, InterruptedException {
    List<Future<Submission>> futures = new ArrayList<>();
    for (RenderedJob job : jobs) {
      futures.add(workers.submit(() -> submitOne(job)));
    }
    List<Submission> submissions = collect(futures);
    throwIfAborted();
    submissions.sort(Comparator.comparing(Submission::machine));
    return submissions;
  }

  private Submission submitOne(RenderedJob job) throws IOException, InterruptedException {
    String machine = job.machine().value();
    MachineFolder folder = tree.machine(machine).create();
    Optional<String> existing = folder.jobId();
    if (existing.isPresent()) {
      events.submitted(machine, existing.get(), /* reused= */ true);
      return folder.attachmentsPending()
          ? deliverAttachments(folder, job, existing.get())
          : new Submission(machine, existing.get(), null);
    }
    if (aborted.get() != null) {
      return failed(folder, "not submitted: " + aborted.get().getMessage());
    }
    Optional<String> pending = folder.pendingJobId();
    try {
      if (pending.isPresent() && client.job(pending.get()).isPresent()) {
        // An earlier run sent it and stopped before recording the answer.
        serverSeen.set(true);
        folder.writeJobId(pending.get());
        events.submitted(machine, pending.get(), /* reused= */ true);
        return folder.attachmentsPending()
            ? deliverAttachments(folder, job, pending.get())
            : new Submission(machine, pending.get(), null);
      }
      // The id is chosen here and recorded before sending, so whatever happens next, a later
      // run can ask the server whether this job exists instead of sending it again.
      String jobId = pending.orElseGet(() -> UUID.randomUUID().toString());
      folder.writeJobYaml(job.yaml());
      if (!job.attachments().isEmpty()) {
        folder.markAttachmentsPending();
      }
      folder.writePendingJobId(jobId);
      ObjectNode body = job.json().deepCopy();
      body.put("job_id", jobId);
      String accepted = client.submit(body);
      serverSeen.set(true);
      folder.writeJobId(accepted);
      events.submitted(machine, accepted, /* reused= */ false);
      return job.attachments().isEmpty()
          ? new Submission(machine, accepted, null)
          : deliverAttachments(folder, job, accepted);
    } catch (ApiException e) {
      serverSeen.set(true);
      abortIf(e.isAuthProblem(), e);
      return failed(folder, e.getMessage());
    } catch (ServerUnreachableException e) {
      abortIf(!serverSeen.get(), e);
      return failed(folder, e.getMessage());
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      return failed(folder, e.getMessage());
    }
  }

  /**
   * Uploads a submitted job's attachments, retrying what may be passing trouble. When the upload
   * finally fails the job is cancelled: without its attachments it would wait forever.
   */
  private Submission deliverAttachments(MachineFolder folder, RenderedJob job, String jobId)
      throws IOException, InterruptedException {
    String machine = folder.machine();
    Path archive = archives.archive(job.attachments());
    for (int attempt = 1; ; attempt++) {
      try {
        client.uploadAttachments(jobId, archive);
        folder.clearAttachmentsPending();
        return new Submission(machine, jobId, null);
      } catch (IOException | ApiException e) {
        if (e instanceof InterruptedIOException interrupted) {
          throw interrupted;
        }
        if (e instanceof ApiException api && api.isAuthProblem()) {
          abortIf(true, api);
        }
        if (!isPassing(e) || attempt >= uploadBackoff.attempts()) {
          String reason = "attachments upload failed after " + attempt
              + (attempt == 1 ? " try: " : " tries: ") + e.getMessage();
          cancelQuietly(jobId);
          folder.clearAttachmentsPending();
          Submission failed = failed(folder, reason);
          return new Submission(machine, jobId, failed.error());
        }
        Duration pause = uploadBackoff.delayAfter(attempt);
        events.notice(machine + ": " + e.getMessage() + "; retrying the upload in "
            + pause.toMillis() + " ms");
        Thread.sleep(pause.toMillis());
      }
    }
  }

  /** Whether a failed call may work if tried again: no answer, or a gateway or overload answer. */
  static boolean isPassing(Exception e) {
    if (e instanceof ApiException api) {
      int s = api.status();
      return s == 408 || s == 429 || s == 502 || s == 503 || s == 504;
    }
    return e instanceof IOException;
  }

  private void cancelQuietly(String jobId) {
    try {
      client.cancel(jobId);
    } catch (IOException | ApiException e) {
      events.notice("could not cancel job " + jobId + ": " + e.getMessage());
    }
  }

  private Submission failed(MachineFolder folder, String reason) throws IOException {
    folder.writeError(reason);
    events.submitFailed(folder.machine(), reason);
    return new Submission(folder.machine(), null, reason);
  }

  /**
   * Polls every machine's job until all are terminal, filing each result as it arrives. Machines
   * whose result is already filed are not asked about again; machines without a job come back as
   * errors with the reason recorded in their folder.
   */
  public List<Outcome> monitor(List<MachineFolder> machines, Duration pollInterval)
      throws FleetAbortedException, InterruptedException, IOException {
    List<Outcome> outcomes = new ArrayList<>();
    List<Tracked> active = new ArrayList<>();
    for (MachineFolder folder : machines) {
      Optional<String> jobId = folder.jobId();
      Optional<ObjectNode> filed = folder.result();
      Optional<String> error = folder.error();
      if (jobId.isEmpty()) {
        outcomes.add(Outcome.error(folder.machine(), null, error.orElse("no job id in " + folder.dir())));
      } else if (error.isPresent()) {
        outcomes.add(Outcome.error(folder.machine(), jobId.get(), error.get()));
      } else if (filed.isPresent() && Results.isTerminal(Results.state(filed.get()))) {
        outcomes.add(Results.outcome(folder.machine(), jobId.get(), filed.get()));
      } else if (!TestflingerClient.isJobId(jobId.get())) {
        outcomes.add(Outcome.error(folder.machine(), jobId.get(), "malformed job id in tf_job_id.txt"));
      } else {
        active.add(new Tracked(folder, jobId.get()));
      }
    }
    while (!active.isEmpty()) {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (Tracked job : active) {
        futures.add(workers.submit(() -> poll(job)));
      }
      List<Outcome> round = collect(futures);
      throwIfAborted();
      List<Tracked> stillActive = new ArrayList<>();
      for (int i = 0; i < active.size(); i++) {
        if (round.get(i) != null) {
          outcomes.add(round.get(i));
        } else {
          stillActive.add(active.get(i));
        }
      }
      active = stillActive;
      if (!active.isEmpty()) {
        Thread.sleep(pollInterval.toMillis());
      }
    }
    outcomes.sort(Comparator.comparing(Outcome::machine));
    return outcomes;
  }

  /** One job being watched; {@code lastState} is touched by one worker at a time. */
  private static final class Tracked {
    final MachineFolder folder;
    final String jobId;
    volatile String lastState;
    volatile String lastProblem;

    Tracked(MachineFolder folder, String jobId) {
      this.folder = folder;
      this.jobId = jobId;
    }
  }

  /** Asks for one job's result; returns its outcome once terminal, else null. */
  private Outcome poll(Tracked job) throws IOException {
    String machine = job.folder.machine();
    ObjectNode result;
    try {
      Optional<ObjectNode> answer = client.result(job.jobId);
      serverSeen.set(true);
      if (answer.isEmpty()) {
        String reason = "no such job on the server (unknown or expired)";
        job.folder.writeError(reason);
        events.stateChanged(machine, job.jobId, job.lastState, "vanished");
        return Outcome.error(machine, job.jobId, reason);
      }
      result = answer.get();
    } catch (ApiException e) {
      serverSeen.set(true);
      abortIf(e.isAuthProblem(), e);
      if (e.status() >= 400 && e.status() < 500) {
        job.folder.writeError(e.getMessage());
        return Outcome.error(machine, job.jobId, e.getMessage());
      }
      noteOnce(job, e.getMessage());
      return null;
    } catch (ServerUnreachableException e) {
      abortIf(!serverSeen.get(), e);
      noteOnce(job, e.getMessage());
      return null;
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      noteOnce(job, e.getMessage());
      return null;
    }
    job.lastProblem = null;
    String state = Results.state(result);
    if (state != null && !state.equals(job.lastState)) {
      events.stateChanged(machine, job.jobId, job.lastState, state);
      job.lastState = state;
    }
    if (!Results.isTerminal(state)) {
      return null;
    }
    Outcome outcome = Results.outcome(machine, job.jobId, result);
    String output = Results.isCompleted(state) ? Results.testOutput(result) : null;
    job.folder.writeResult(result, output, outcome.hwStatus());
    return outcome;
  }

  /** Tells about a polling problem once, not every round it lasts. */
  private void noteOnce(Tracked job, String problem) {
    if (!problem.equals(job.lastProblem)) {
      job.lastProblem = problem;
      events.notice(job.folder.machine() + ": " + problem + " (will keep trying)");
    }
  }

  private void abortIf(boolean condition, Exception cause) {
    if (condition) {
      aborted.compareAndSet(null, new FleetAbortedException(cause.getMessage(), cause));
    }
  }

  private void throwIfAborted() throws FleetAbortedException {
    FleetAbortedException e = aborted.get();
    if (e != null) {
      throw e;
    }
  }

  private static <T> List<T> collect(List<Future<T>> futures) throws InterruptedException {
    List<T> results = new ArrayList<>(futures.size());
    try {
      for (Future<T> future : futures) {
        results.add(future.get());
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InterruptedIOException) {
        throw new InterruptedException(cause.getMessage());
      }
      // A machine folder that cannot be written is a broken output tree, not one machine's trouble.
      if (cause instanceof IOException io) {
        throw new java.io.UncheckedIOException(io);
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      throw e;
    }
    return results;
  }

  /** Replaces how attachment uploads are retried. */
  public Fleet withUploadBackoff(Backoff backoff) {
    this.uploadBackoff = backoff;
    return this;
  }

  /** How many distinct attachment archives this run packed. */
  public int archivesPacked() {
    return archives.packed();
  }

  @Override
  public void close() {
    workers.shutdownNow();
    archives.close();
  }
}
