package io.tfleet.fleet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.client.ApiException;
import io.tfleet.client.ServerUnreachableException;
import io.tfleet.client.TestflingerClient.JobSummary;
import io.tfleet.client.TestflingerClient;
import io.tfleet.job.RenderedJob;
import io.tfleet.report.Verdict;
import io.tfleet.store.MachineFolder.Cancellation;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
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
 *
 * <p>Each job carries the run's tag, so a monitoring round costs one search request for the whole
 * fleet, plus one result request per job that just ended.
 */
public final class Fleet implements AutoCloseable {
  /** The shortest pause between rounds, unless the ceiling is shorter. */
  private static final Duration MIN_ROUND_PAUSE = Duration.ofSeconds(1);

  private final TestflingerClient client;
  private final OutputTree tree;
  private final FleetEvents events;
  private final FleetSettings settings;
  private final ExecutorService workers;
  private final String runTag = RunTag.next();
  /** Also knows whether any call got an answer: after that an outage is waited out, not fatal. */
  private final Retry retry;
  private final AtomicReference<FleetAbortedException> aborted = new AtomicReference<>();
  private final ArchiveCache archives = new ArchiveCache();
  /** Where every machine stands, for the summary of a run that is stopped halfway. */
  private final Map<String, Outcome> status = new ConcurrentSkipListMap<>();

  public Fleet(TestflingerClient client, OutputTree tree, FleetEvents events, FleetSettings settings) {
    this.client = client;
    this.tree = tree;
    this.events = events;
    this.settings = settings;
    this.retry = new Retry(settings.backoff(), events);
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            settings.concurrency(),
            r -> {
              Thread t = new Thread(r, "tfleet-worker-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** The tag this run adds to the jobs it submits. */
  public String runTag() {
    return runTag;
  }

  /** Where every machine seen so far stands, sorted by machine id. */
  public List<Outcome> snapshot() {
    return new ArrayList<>(status.values());
  }

  /** How many distinct attachment archives this run packed. */
  public int archivesPacked() {
    return archives.packed();
  }

  /** A machine and the job it runs under; {@code error} says why it has none (or lost it). */
  public record Submission(String machine, String jobId, String error) {
    public boolean ok() {
      return jobId != null && error == null;
    }
  }

  // ---------------------------------------------------------------- submitting

  /**
   * Submits one job per machine, at most {@code concurrency} requests at a time. A machine whose
   * folder already holds a job keeps it: running tfleet again never submits a machine twice.
   */
  public List<Submission> submit(List<RenderedJob> jobs)
      throws FleetAbortedException, InterruptedException {
    List<Future<Submission>> futures = new ArrayList<>();
    for (RenderedJob job : jobs) {
      status.put(job.machine().value(),
          Outcome.notSubmitted(job.machine().value(), "not submitted: the run stopped before this machine's job was sent"));
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
      folder.clearPendingJobId();
      return adopt(folder, job, existing.get());
    }
    if (aborted.get() != null) {
      return failed(folder, null, "not submitted: " + aborted.get().getMessage());
    }
    Optional<String> pending = folder.pendingJobId();
    try {
      if (pending.isPresent() && exists(machine, pending.get())) {
        // An earlier run sent it and stopped before it could record the answer.
        folder.writeJobId(pending.get());
        return adopt(folder, job, pending.get());
      }
      // The id is chosen here and recorded before sending, so whatever happens next, a later
      // run can ask the server whether this job exists instead of sending it again.
      String jobId = pending.orElseGet(() -> UUID.randomUUID().toString());
      folder.writeJobYaml(job.yaml());
      folder.writeRunTag(runTag);
      if (!job.attachments().isEmpty()) {
        folder.markAttachmentsPending();
      }
      folder.writePendingJobId(jobId);
      String accepted = sendOnce(machine, body(job, jobId), jobId);
      folder.writeJobId(accepted);
      record(machine, accepted, "waiting");
      events.submitted(machine, accepted, /* reused= */ false);
      return job.attachments().isEmpty()
          ? new Submission(machine, accepted, null)
          : deliverAttachments(folder, job, accepted);
    } catch (ApiException e) {
      abortIf(e.isAuthProblem(), e);
      return failed(folder, null, e.getMessage());
    } catch (ServerUnreachableException e) {
      abortIf(!retry.serverSeen(), e);
      return failed(folder, null, e.getMessage());
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      return failed(folder, null, e.getMessage());
    }
  }

  private Submission adopt(MachineFolder folder, RenderedJob job, String jobId)
      throws IOException, InterruptedException {
    record(folder.machine(), jobId, null);
    events.submitted(folder.machine(), jobId, /* reused= */ true);
    return folder.attachmentsPending()
        ? deliverAttachments(folder, job, jobId)
        : new Submission(folder.machine(), jobId, null);
  }

  private ObjectNode body(RenderedJob job, String jobId) {
    ObjectNode body = job.json().deepCopy();
    body.put("job_id", jobId);
    ArrayNode tags = body.has("tags") ? (ArrayNode) body.get("tags") : body.putArray("tags");
    tags.add(runTag);
    return body;
  }

  /**
   * Sends a job so that it exists exactly once: after a failure that leaves it unclear whether the
   * server took it (no answer, a gateway error), it asks the server before sending it again.
   */
  private String sendOnce(String machine, ObjectNode body, String jobId)
      throws IOException, ApiException, InterruptedException {
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        String accepted = client.submit(body);
        retry.answered();
        return accepted;
      } catch (IOException | ApiException e) {
        if (Retry.isPassing(e) && exists(machine, jobId)) {
          return jobId;
        }
        retry.pauseOrRethrow(machine, e, attempt, started);
      }
    }
  }

  /** Whether the server has the job, asking again while the answer may be passing trouble. */
  private boolean exists(String machine, String jobId)
      throws IOException, ApiException, InterruptedException {
    return retry.run(machine, () -> client.job(jobId)).isPresent();
  }

  /**
   * Uploads a submitted job's attachments, retrying what may be passing trouble. When the upload
   * finally fails the job is cancelled: without its attachments it would wait forever.
   */
  private Submission deliverAttachments(MachineFolder folder, RenderedJob job, String jobId)
      throws IOException, InterruptedException {
    String machine = folder.machine();
    Path archive = archives.archive(job.attachments());
    try {
      retry.run(machine, () -> {
        client.uploadAttachments(jobId, archive);
        return null;
      });
      folder.clearAttachmentsPending();
      return new Submission(machine, jobId, null);
    } catch (IOException | ApiException e) {
      if (e instanceof InterruptedIOException interrupted) {
        throw interrupted;
      }
      if (e instanceof ApiException api) {
        abortIf(api.isAuthProblem(), api);
      }
      cancelQuietly(jobId);
      folder.clearAttachmentsPending();
      return failed(folder, jobId, "attachments upload failed, job cancelled: " + e.getMessage());
    }
  }

  private Submission failed(MachineFolder folder, String jobId, String reason) throws IOException {
    folder.writeError(reason);
    status.put(folder.machine(), Outcome.error(folder.machine(), jobId, reason));
    events.submitFailed(folder.machine(), reason);
    return new Submission(folder.machine(), jobId, reason);
  }

  // ---------------------------------------------------------------- monitoring

  /** One job being watched. Fields are touched by one thread at a time (a round's worker). */
  private static final class Tracked {
    final MachineFolder folder;
    final String jobId;
    final String tag;
    final Instant submittedAt;
    volatile String state;
    volatile Instant failingSince;
    volatile String lastProblem;

    Tracked(MachineFolder folder, String jobId, String tag, Instant submittedAt) {
      this.folder = folder;
      this.jobId = jobId;
      this.tag = tag;
      this.submittedAt = submittedAt;
    }

    String machine() {
      return folder.machine();
    }
  }

  /**
   * Watches every machine's job until all are terminal, filing each result as it arrives. Machines
   * whose result is already filed are not asked about again; machines without a job come back as
   * errors with the reason recorded in their folder.
   *
   * @param ceiling the longest pause between rounds; rounds come sooner while jobs are changing
   */
  public List<Outcome> monitor(List<MachineFolder> machines, Duration ceiling)
      throws FleetAbortedException, InterruptedException, IOException {
    List<Outcome> outcomes = new ArrayList<>();
    Watch watch = watch(machines, outcomes);
    Duration floor = ceiling.compareTo(MIN_ROUND_PAUSE) < 0 ? ceiling : MIN_ROUND_PAUSE;
    Duration pauseBeforeNext = floor;
    while (!watch.active.isEmpty()) {
      AtomicBoolean changed = new AtomicBoolean();
      List<Outcome> round = round(watch, changed, /* file= */ true);
      throwIfAborted();
      watch.active = settle(watch.active, round, outcomes);
      if (!watch.active.isEmpty()) {
        // Jobs that just moved are likely to move again soon; a quiet fleet is asked less often.
        pauseBeforeNext = changed.get() ? floor : min(pauseBeforeNext.multipliedBy(2), ceiling);
        Thread.sleep(pauseBeforeNext.toMillis());
      }
    }
    outcomes.sort(Comparator.comparing(Outcome::machine));
    return outcomes;
  }

  /**
   * One look at where every machine stands, one round of requests, filing nothing and waiting for
   * nothing: jobs that ended since they were last filed show their outcome all the same.
   */
  public List<Outcome> peek(List<MachineFolder> machines)
      throws FleetAbortedException, InterruptedException, IOException {
    List<Outcome> outcomes = new ArrayList<>();
    Watch watch = watch(machines, outcomes);
    if (!watch.active.isEmpty()) {
      List<Outcome> round = round(watch, new AtomicBoolean(), /* file= */ false);
      throwIfAborted();
      for (Tracked job : settle(watch.active, round, outcomes)) {
        outcomes.add(Outcome.unfinished(job.machine(), job.jobId, job.state));
      }
    }
    outcomes.sort(Comparator.comparing(Outcome::machine));
    return outcomes;
  }

  /** The jobs being watched, and the run tags that let one search find them. */
  private static final class Watch {
    List<Tracked> active = new ArrayList<>();
    final Map<String, Set<String>> jobsByTag = new HashMap<>();
    final Set<String> searchRefused = new HashSet<>();
  }

  private Watch watch(List<MachineFolder> machines, List<Outcome> outcomes) throws IOException {
    Watch watch = new Watch();
    for (MachineFolder folder : machines) {
      Optional<Outcome> settled = Results.filed(folder);
      if (settled.isPresent()) {
        finish(outcomes, settled.get());
        continue;
      }
      String jobId = folder.jobId().orElseThrow();
      String tag = settings.search() ? folder.runTag().orElse(null) : null;
      if (tag != null) {
        watch.jobsByTag.computeIfAbsent(tag, t -> new HashSet<>()).add(jobId);
      }
      watch.active.add(new Tracked(folder, jobId, tag, folder.submittedAt().orElse(Instant.now())));
      record(folder.machine(), jobId, null);
    }
    return watch;
  }

  /** Moves the jobs that ended this round to {@code outcomes}; returns those still active. */
  private List<Tracked> settle(List<Tracked> active, List<Outcome> round, List<Outcome> outcomes) {
    List<Tracked> stillActive = new ArrayList<>();
    for (int i = 0; i < active.size(); i++) {
      if (round.get(i) != null) {
        finish(outcomes, round.get(i));
      } else {
        stillActive.add(active.get(i));
      }
    }
    return stillActive;
  }

  private void finish(List<Outcome> outcomes, Outcome outcome) {
    outcomes.add(outcome);
    status.put(outcome.machine(), outcome);
    events.finished(outcome);
  }

  /**
   * One monitoring round: a search per run tag tells which jobs are still active and where they
   * are; only jobs that left the active set, and jobs without a usable tag, are asked about one by
   * one. Returns, per active job, its outcome if it ended, else null.
   */
  private List<Outcome> round(Watch watch, AtomicBoolean changed, boolean file)
      throws InterruptedException {
    List<Tracked> active = watch.active;
    Map<String, Set<String>> jobsByTag = watch.jobsByTag;
    Set<String> searchRefused = watch.searchRefused;
    Map<String, List<Tracked>> byTag = new LinkedHashMap<>();
    for (Tracked job : active) {
      if (job.tag != null && !searchRefused.contains(job.tag)) {
        byTag.computeIfAbsent(job.tag, t -> new ArrayList<>()).add(job);
      }
    }
    Map<Tracked, String> activeStates = new HashMap<>();
    Map<Tracked, Exception> searchFailures = new HashMap<>();
    for (Map.Entry<String, List<Tracked>> group : byTag.entrySet()) {
      String tag = group.getKey();
      try {
        Optional<Map<String, String>> states = search(tag, jobsByTag.get(tag), searchRefused);
        for (Tracked job : group.getValue()) {
          String state = states.map(m -> m.get(job.jobId)).orElse(null);
          if (state != null) {
            activeStates.put(job, state);
          }
        }
      } catch (IOException | ApiException e) {
        group.getValue().forEach(job -> searchFailures.put(job, e));
      }
    }
    List<Future<Outcome>> futures = new ArrayList<>();
    for (Tracked job : active) {
      String state = activeStates.get(job);
      Exception failure = searchFailures.get(job);
      if (state != null) {
        futures.add(workers.submit(() -> stillActive(job, state, changed, file)));
      } else if (failure != null) {
        futures.add(workers.submit(() -> failedCall(job, failure)));
      } else {
        // Not active any more (or never searchable): its result says how it ended.
        futures.add(workers.submit(() -> poll(job, changed, file)));
      }
    }
    return collect(futures);
  }

  /**
   * Searches the active jobs of one run tag; returns their states by job id. Empty when the server
   * refuses search or answers jobs we cannot match: the tag then falls back to asking job by job.
   */
  private Optional<Map<String, String>> search(String tag, Set<String> known, Set<String> searchRefused)
      throws IOException, ApiException, InterruptedException {
    List<JobSummary> found;
    try {
      found = client.search(List.of(tag), /* activeOnly= */ true);
      retry.answered();
    } catch (ApiException e) {
      retry.answered();
      if (e.status() == 401 || e.status() == 403 || e.status() == 404) {
        fallBack(tag, searchRefused, "the server refuses job search (" + e.getMessage() + ")");
        return Optional.empty();
      }
      throw e;
    } catch (InterruptedIOException e) {
      throw new InterruptedException(e.getMessage());
    } catch (IOException e) {
      abortIf(e instanceof ServerUnreachableException && !retry.serverSeen(), e);
      throw e;
    }
    Map<String, String> states = new HashMap<>();
    for (JobSummary job : found) {
      if (!known.contains(job.jobId())) {
        fallBack(tag, searchRefused, "job search answered job " + job.jobId() + ", not one of ours");
        return Optional.empty();
      }
      states.put(job.jobId(), job.state());
    }
    return Optional.of(states);
  }

  private void fallBack(String tag, Set<String> searchRefused, String why) {
    searchRefused.add(tag);
    events.notice(why + "; asking job by job instead");
  }

  private Outcome stillActive(Tracked job, String state, AtomicBoolean changed, boolean file)
      throws IOException {
    recovered(job);
    observe(job, state, changed);
    return file ? timedOut(job) : null;
  }

  /**
   * Asks for one job's result; returns its outcome once terminal, else null. With {@code file},
   * records what it learnt in the machine's folder.
   */
  private Outcome poll(Tracked job, AtomicBoolean changed, boolean file) throws IOException {
    ObjectNode result;
    try {
      Optional<ObjectNode> answer = client.result(job.jobId);
      retry.answered();
      if (answer.isEmpty()) {
        String reason = "no such job on the server (unknown, or expired after 7 days)";
        if (file) {
          job.folder.writeError(reason);
        }
        observe(job, "vanished", changed);
        return Outcome.error(job.machine(), job.jobId, reason);
      }
      result = answer.get();
    } catch (ApiException e) {
      retry.answered();
      abortIf(e.isAuthProblem(), e);
      if (!Retry.isPassing(e)) {
        if (file) {
          job.folder.writeError(e.getMessage());
        }
        return Outcome.error(job.machine(), job.jobId, e.getMessage());
      }
      return failedCall(job, e);
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      abortIf(e instanceof ServerUnreachableException && !retry.serverSeen(), e);
      return failedCall(job, e);
    }
    recovered(job);
    String state = Results.state(result);
    observe(job, state, changed);
    if (!Results.isTerminal(state)) {
      return file ? timedOut(job) : null;
    }
    String hw = Results.hwStatus(Results.testOutput(result), settings.statusPattern());
    Outcome outcome =
        Results.outcome(job.machine(), job.jobId, result, hw, job.folder.cancellation().orElse(null));
    if (file) {
      String output = Results.isCompleted(state) ? Results.testOutput(result) : null;
      job.folder.writeResult(result, output, hw);
    }
    return outcome;
  }

  private void observe(Tracked job, String state, AtomicBoolean changed) {
    if (state != null && !state.equals(job.state)) {
      events.stateChanged(job.machine(), job.jobId, job.state, state);
      job.state = state;
      record(job.machine(), job.jobId, state);
      changed.set(true);
    }
  }

  /** Cancels a job that has outlived {@code --timeout}; returns its outcome, else null. */
  private Outcome timedOut(Tracked job) throws IOException {
    Duration limit = settings.jobTimeout();
    if (limit == null || Duration.between(job.submittedAt, Instant.now()).compareTo(limit) < 0) {
      return null;
    }
    String reason = "timed out: not finished " + Durations.format(limit) + " after submission (cancelled)";
    job.folder.markCancelled(new Cancellation(/* timedOut= */ true, reason));
    cancelQuietly(job.jobId);
    events.stateChanged(job.machine(), job.jobId, job.state, "timed out");
    return Results.timedOut(job.machine(), job.jobId, job.state, reason);
  }

  /**
   * Notes a call about {@code job} that failed in a way that may pass; once the job has had no
   * answer for {@code giveUpAfter}, its machine is marked as lost and no longer watched.
   */
  private Outcome failedCall(Tracked job, Exception e) {
    Instant now = Instant.now();
    if (job.failingSince == null) {
      job.failingSince = now;
    }
    String problem = e.getMessage();
    if (Duration.between(job.failingSince, now).compareTo(settings.giveUpAfter()) >= 0) {
      String reason =
          "gave up after " + Durations.format(settings.giveUpAfter()) + " without an answer: " + problem;
      try {
        job.folder.writeError(reason);
      } catch (IOException io) {
        throw new UncheckedIOException(io);
      }
      return Outcome.error(job.machine(), job.jobId, reason);
    }
    if (!problem.equals(job.lastProblem)) {
      job.lastProblem = problem;
      events.notice(job.machine() + ": " + problem + " (will keep trying)");
    }
    return null;
  }

  private static void recovered(Tracked job) {
    job.failingSince = null;
    job.lastProblem = null;
  }

  private void record(String machine, String jobId, String state) {
    status.put(machine, Outcome.unfinished(machine, jobId, state == null ? "submitted" : state));
  }

  // ---------------------------------------------------------------- cancelling

  /** What cancelling a tree's unfinished jobs did. */
  public record Cancelled(List<String> machines, List<String> failures) {}

  /**
   * Cancels every job of {@code machines} that is not finished, marking each first so that its
   * verdict stays {@code cancelled} (with {@code reason}) whatever the agent reports later. A job
   * the server says is already finished is left as it is.
   */
  public Cancelled cancelUnfinished(List<MachineFolder> machines, String reason)
      throws IOException, InterruptedException, FleetAbortedException {
    List<String> cancelled = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (MachineFolder folder : machines) {
      Optional<String> jobId = folder.jobId();
      if (jobId.isEmpty() || Results.filed(folder).isPresent()) {
        continue;
      }
      folder.markCancelled(new Cancellation(/* timedOut= */ false, reason));
      try {
        retry.run(folder.machine(), () -> {
          client.cancel(jobId.get());
          return null;
        });
        cancelled.add(folder.machine());
        status.put(folder.machine(), new Outcome(
            folder.machine(), jobId.get(), "cancelled", null, null, Verdict.CANCELLED, reason));
      } catch (ApiException e) {
        folder.clearCancelled();
        abortIf(e.isAuthProblem(), e);
        // 400: already completed or cancelled, which is what was wanted.
        if (e.status() != 400) {
          failures.add(folder.machine() + ": " + e.getMessage());
        }
      } catch (InterruptedIOException e) {
        folder.clearCancelled();
        throw e;
      } catch (IOException e) {
        folder.clearCancelled();
        abortIf(e instanceof ServerUnreachableException && !retry.serverSeen(), e);
        failures.add(folder.machine() + ": " + e.getMessage());
      }
      throwIfAborted();
    }
    return new Cancelled(cancelled, failures);
  }

  private void cancelQuietly(String jobId) {
    try {
      client.cancel(jobId);
    } catch (IOException | ApiException e) {
      events.notice("could not cancel job " + jobId + ": " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- plumbing

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

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static <T> List<T> collect(List<Future<T>> futures) throws InterruptedException {
    List<T> results = new ArrayList<>(futures.size());
    try {
      for (Future<T> future : futures) {
        results.add(future.get());
      }
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      Throwable cause = e.getCause();
      if (cause instanceof InterruptedIOException || cause instanceof InterruptedException) {
        throw new InterruptedException(cause.getMessage());
      }
      // A machine folder that cannot be written is a broken output tree, not one machine's trouble.
      if (cause instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      throw e;
    }
    return results;
  }

  /** Stops every request in flight and waits (briefly) until no worker touches the tree. */
  public void stop() throws InterruptedException {
    workers.shutdownNow();
    workers.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    workers.shutdownNow();
    archives.close();
  }
}
