package io.tfleet.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.client.ApiException;
import io.tfleet.client.ServerUnreachableException;
import io.tfleet.client.TestflingerClient.JobSummary;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.MachineFolder.Cancellation;
import java.io.IOException;
import java.io.InterruptedIOException;
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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches a fleet's jobs to the end, filing each result as it arrives. Each job carries its run's
 * tag, so a round costs one search request per tag, plus one result request per job that just
 * ended; jobs without a usable tag are asked about one by one.
 */
final class Monitor {
  /** The shortest pause between rounds, unless the ceiling is shorter. */
  private static final Duration MIN_ROUND_PAUSE = Duration.ofSeconds(1);

  private final FleetRuntime rt;

  Monitor(FleetRuntime rt) {
    this.rt = rt;
  }

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
  List<Outcome> monitor(List<MachineFolder> machines, Duration ceiling)
      throws FleetAbortedException, InterruptedException, IOException {
    List<Outcome> outcomes = new ArrayList<>();
    Watch watch = watch(machines, outcomes);
    if (rt.settings.artifacts()) {
      fetchMissingArtifacts(outcomes);
    }
    Duration floor = ceiling.compareTo(MIN_ROUND_PAUSE) < 0 ? ceiling : MIN_ROUND_PAUSE;
    Duration pauseBeforeNext = floor;
    while (!watch.active.isEmpty()) {
      AtomicBoolean changed = new AtomicBoolean();
      List<Check> round = round(watch, changed, /* file= */ true);
      rt.throwIfAborted();
      watch.active = settle(round, outcomes);
      if (!watch.active.isEmpty()) {
        rt.events.roundEnded(rt.snapshot(), changed.get());
        // Jobs that just moved are likely to move again soon; a quiet fleet is asked less often.
        pauseBeforeNext = changed.get() ? floor : min(pauseBeforeNext.multipliedBy(2), ceiling);
        Thread.sleep(pauseBeforeNext.toMillis());
      }
    }
    outcomes.sort(Comparator.comparing(Outcome::machine));
    return outcomes;
  }

  /**
   * The bundles of jobs filed before this run that are not here: a download that failed for good,
   * or a run without {@code --artifacts}. Asked {@code concurrency} at a time.
   */
  private void fetchMissingArtifacts(List<Outcome> filed) throws InterruptedException {
    List<FleetRuntime.Task<Void>> tasks = new ArrayList<>();
    for (Outcome outcome : filed) {
      MachineFolder folder = rt.tree.machine(outcome.machine());
      if (outcome.jobId() != null && folder.artifactsMissing()) {
        tasks.add(
            () -> {
              Artifacts.file(rt, folder, outcome.jobId());
              return null;
            });
      }
    }
    rt.runAll(tasks);
  }

  /**
   * One look at where every machine stands, one round of requests, filing nothing and waiting for
   * nothing: jobs that ended since they were last filed show their outcome all the same.
   */
  List<Outcome> peek(List<MachineFolder> machines)
      throws FleetAbortedException, InterruptedException, IOException {
    List<Outcome> outcomes = new ArrayList<>();
    Watch watch = watch(machines, outcomes);
    if (!watch.active.isEmpty()) {
      List<Check> round = round(watch, new AtomicBoolean(), /* file= */ false);
      rt.throwIfAborted();
      for (Tracked job : settle(round, outcomes)) {
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
      String tag = rt.settings.search() ? folder.runTag().orElse(null) : null;
      if (tag != null) {
        watch.jobsByTag.computeIfAbsent(tag, t -> new HashSet<>()).add(jobId);
      }
      watch.active.add(new Tracked(folder, jobId, tag, folder.submittedAt().orElse(Instant.now())));
      rt.seen(folder.machine(), jobId, null);
    }
    return watch;
  }

  /** What one round learnt about one job: it is still going, or how it ended. */
  private sealed interface Check permits Going, Ended {}

  private record Going(Tracked job) implements Check {}

  private record Ended(Outcome outcome) implements Check {}

  /** Moves the jobs that ended this round to {@code outcomes}; returns those still going. */
  private List<Tracked> settle(List<Check> round, List<Outcome> outcomes) {
    List<Tracked> going = new ArrayList<>();
    for (Check check : round) {
      if (check instanceof Ended ended) {
        finish(outcomes, ended.outcome());
      } else {
        going.add(((Going) check).job());
      }
    }
    return going;
  }

  private void finish(List<Outcome> outcomes, Outcome outcome) {
    outcomes.add(outcome);
    rt.put(outcome);
    rt.events.finished(outcome);
  }

  /**
   * One monitoring round: a search per run tag tells which jobs are still active and where they
   * are; only jobs that left the active set, and jobs without a usable tag, are asked about one by
   * one. Returns what it learnt about each active job.
   */
  private List<Check> round(Watch watch, AtomicBoolean changed, boolean file)
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
    List<FleetRuntime.Task<Check>> tasks = new ArrayList<>(active.size());
    for (Tracked job : active) {
      String state = activeStates.get(job);
      Exception failure = searchFailures.get(job);
      if (state != null) {
        tasks.add(() -> stillActive(job, state, changed, file));
      } else if (failure != null) {
        tasks.add(() -> failedCall(job, failure));
      } else {
        // Not active any more (or never searchable): its result says how it ended.
        tasks.add(() -> poll(job, changed, file));
      }
    }
    return rt.runAll(tasks);
  }

  /**
   * Searches the active jobs of one run tag; returns their states by job id. Empty when the server
   * refuses search or answers jobs we cannot match: the tag then falls back to asking job by job.
   */
  private Optional<Map<String, String>> search(
      String tag, Set<String> known, Set<String> searchRefused)
      throws IOException, ApiException, InterruptedException {
    List<JobSummary> found;
    try {
      found = rt.client.search(List.of(tag), /* activeOnly= */ true);
      rt.retry.answered();
    } catch (ApiException e) {
      rt.retry.answered();
      if (e.status() == 401 || e.status() == 403 || e.status() == 404) {
        fallBack(tag, searchRefused, "the server refuses job search (" + e.getMessage() + ")");
        return Optional.empty();
      }
      throw e;
    } catch (InterruptedIOException e) {
      throw new InterruptedException(e.getMessage());
    } catch (IOException e) {
      rt.abortIf(e instanceof ServerUnreachableException && !rt.retry.serverSeen(), e);
      throw e;
    }
    Map<String, String> states = new HashMap<>();
    for (JobSummary job : found) {
      if (!known.contains(job.jobId())) {
        fallBack(
            tag, searchRefused, "job search answered job " + job.jobId() + ", not one of ours");
        return Optional.empty();
      }
      states.put(job.jobId(), job.state());
    }
    return Optional.of(states);
  }

  private void fallBack(String tag, Set<String> searchRefused, String why) {
    searchRefused.add(tag);
    rt.events.notice(why + "; asking job by job instead");
  }

  private Check stillActive(Tracked job, String state, AtomicBoolean changed, boolean file)
      throws IOException {
    recovered(job);
    observe(job, state, changed, file);
    return file ? timedOut(job) : new Going(job);
  }

  /**
   * Asks for one job's result; says how it ended once terminal. With {@code file}, records what it
   * learnt in the machine's folder.
   */
  private Check poll(Tracked job, AtomicBoolean changed, boolean file) throws IOException {
    ObjectNode result;
    try {
      Optional<ObjectNode> answer = rt.client.result(job.jobId);
      rt.retry.answered();
      if (answer.isEmpty()) {
        String reason = "no such job on the server (unknown, or expired after 7 days)";
        if (file) {
          job.folder.writeError(reason);
        }
        observe(job, "vanished", changed, file);
        return new Ended(Outcome.error(job.machine(), job.jobId, reason));
      }
      result = answer.get();
    } catch (ApiException e) {
      rt.retry.answered();
      rt.abortIf(e.isAuthProblem(), e);
      if (!Retry.isPassing(e)) {
        if (file) {
          job.folder.writeError(e.getMessage());
        }
        return new Ended(Outcome.error(job.machine(), job.jobId, e.getMessage()));
      }
      return failedCall(job, e);
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      rt.abortIf(e instanceof ServerUnreachableException && !rt.retry.serverSeen(), e);
      return failedCall(job, e);
    }
    recovered(job);
    String state = Results.state(result);
    observe(job, state, changed, file);
    if (!Results.isTerminal(state)) {
      return file ? timedOut(job) : new Going(job);
    }
    String hw = Results.hwStatus(Results.testOutput(result), rt.settings.statusPattern());
    Outcome outcome =
        Results.outcome(
            job.machine(), job.jobId, result, hw, job.folder.cancellation().orElse(null));
    if (file) {
      String output = Results.isCompleted(state) ? Results.testOutput(result) : null;
      PhaseLogs.file(rt, job.folder, job.jobId, result, outcome.verdict().passed());
      if (rt.settings.artifacts()) {
        Artifacts.file(rt, job.folder, job.jobId);
      }
      job.folder.writeResult(result, output, hw);
    }
    return new Ended(outcome);
  }

  /**
   * Notes the state a job was seen in; a new one is told and, with {@code file}, recorded in the
   * machine's {@code states.json} with the time it was first seen (as polling saw it).
   */
  private void observe(Tracked job, String state, AtomicBoolean changed, boolean file)
      throws IOException {
    if (state != null && !state.equals(job.state)) {
      if (file) {
        job.folder.recordState(state, Instant.now());
      }
      rt.events.stateChanged(job.machine(), job.jobId, job.state, state);
      job.state = state;
      rt.seen(job.machine(), job.jobId, state);
      changed.set(true);
    }
  }

  /** Cancels a job that has outlived {@code --timeout}, which ends it; else it is still going. */
  private Check timedOut(Tracked job) throws IOException {
    Duration limit = rt.settings.jobTimeout();
    if (limit == null || Duration.between(job.submittedAt, Instant.now()).compareTo(limit) < 0) {
      return new Going(job);
    }
    String reason =
        "timed out: not finished " + Durations.format(limit) + " after submission (cancelled)";
    job.folder.markCancelled(new Cancellation(/* timedOut= */ true, reason));
    rt.cancelQuietly(job.jobId);
    job.folder.recordState("timed out", Instant.now());
    rt.events.stateChanged(job.machine(), job.jobId, job.state, "timed out");
    return new Ended(Results.timedOut(job.machine(), job.jobId, job.state, reason));
  }

  /**
   * Notes a call about {@code job} that failed in a way that may pass; once the job has had no
   * answer for {@code giveUpAfter}, its machine is marked as lost and no longer watched.
   */
  private Check failedCall(Tracked job, Exception e) throws IOException {
    Instant now = Instant.now();
    if (job.failingSince == null) {
      job.failingSince = now;
    }
    String problem = e.getMessage();
    if (Duration.between(job.failingSince, now).compareTo(rt.settings.giveUpAfter()) >= 0) {
      String reason =
          "gave up after "
              + Durations.format(rt.settings.giveUpAfter())
              + " without an answer: "
              + problem;
      job.folder.writeError(reason);
      return new Ended(Outcome.error(job.machine(), job.jobId, reason));
    }
    if (!problem.equals(job.lastProblem)) {
      job.lastProblem = problem;
      rt.events.notice(job.machine() + ": " + problem + " (will keep trying)");
    }
    return new Going(job);
  }

  private static void recovered(Tracked job) {
    job.failingSince = null;
    job.lastProblem = null;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
