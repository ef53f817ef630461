package io.tfleet.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.client.Problem;
import io.tfleet.client.Reply;
import io.tfleet.client.ResultSink;
import io.tfleet.client.TestOutputWatch;
import io.tfleet.client.TestflingerClient.JobSummary;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches a fleet's jobs to the end. A round only polls: each job carries its run's tag, so a round
 * costs one search request per tag; a job that left the active states (or has no usable tag) goes
 * to {@link Filing}, which fetches and files its result on its own lane while the rounds go on.
 */
final class Monitor {
  /** The shortest pause between rounds, unless the ceiling is shorter. */
  private static final Duration MIN_ROUND_PAUSE = Duration.ofSeconds(1);

  private final FleetRuntime rt;
  private final Filing filing;
  private final AtomicBoolean changed = new AtomicBoolean();
  private final Object moved = new Object();

  /**
   * Jobs that have waited ten rounds at the slowest pace, and at most this long, are asked why
   * (their queue position, at most once a minute, and their queue's wait times, once a round): a
   * job that starts within a few rounds costs nothing more than it always did.
   */
  static final Duration ASK_WHY_AFTER = Duration.ofSeconds(30);

  private Duration askWhyAfter = ASK_WHY_AFTER;

  private final Waiting waiting;
  private String waitingLine = "";
  private volatile Waiting.Insight lastInsight;

  /** Run tags whose search the server refused or answered with jobs not ours. */
  private final Set<String> searchRefused = new HashSet<>();

  Monitor(FleetRuntime rt) {
    this.rt = rt;
    this.waiting =
        new Waiting(
            new io.tfleet.client.WatchApi(rt.client),
            java.time.Clock.systemUTC(),
            rt.settings.concurrency());
    this.filing =
        new Filing(
            rt,
            () -> {
              changed.set(true);
              synchronized (moved) {
                moved.notifyAll();
              }
            });
  }

  /**
   * Watches every machine's job until each attempt is over, filing each result as it arrives, then
   * waits for the artifact downloads. Machines already settled are not asked about again.
   *
   * @param ceiling the longest pause between rounds; rounds come sooner while jobs are changing
   */
  List<Outcome> monitor(Duration ceiling)
      throws FleetAbortedException, InterruptedException, IOException {
    // Machines whose attempt is already over (filed before, or refused just now) are told once,
    // as every machine that ends is.
    for (MachineRun run : rt.state.machines()) {
      if (run.stage() instanceof Stage.Settled settled) {
        rt.events.finished(settled.outcome());
      }
    }
    if (rt.settings.artifacts()) {
      for (MachineRun run : rt.state.machines()) {
        if (run.artifactsMissing() && run.stage().jobId() != null) {
          filing.downloadArtifacts(run);
        }
      }
    }
    askWhyAfter = min(ceiling.multipliedBy(10), ASK_WHY_AFTER);
    Duration floor = ceiling.compareTo(MIN_ROUND_PAUSE) < 0 ? ceiling : MIN_ROUND_PAUSE;
    Duration pauseBeforeNext = floor;
    while (true) {
      changed.set(false);
      round();
      check();
      if (watched().isEmpty() && rt.filing.idle()) {
        break;
      }
      boolean moving = changed.get();
      rt.events.roundEnded(rt.state.outcomes(), moving);
      // Jobs that just moved are likely to move again soon; a quiet fleet is asked less often.
      pauseBeforeNext = moving ? floor : min(pauseBeforeNext.multipliedBy(2), ceiling);
      pause(pauseBeforeNext);
    }
    while (!rt.downloads.idle()) {
      rt.downloads.await(Duration.ofSeconds(1));
      check();
    }
    return rt.state.outcomes();
  }

  /** Waits {@code pause}, or less when filing moves a machine and another round may be due. */
  private void pause(Duration pause) throws InterruptedException {
    long deadline = System.nanoTime() + pause.toNanos();
    synchronized (moved) {
      long left;
      while (!changed.get() && (left = deadline - System.nanoTime()) > 0) {
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(moved, left);
      }
    }
  }

  private void check() throws FleetAbortedException, InterruptedException, IOException {
    rt.filing.check();
    rt.downloads.check();
    rt.throwIfAborted();
  }

  /** The machines still being watched or filed. */
  private List<MachineRun> watched() {
    List<MachineRun> watched = new ArrayList<>();
    for (MachineRun run : rt.state.machines()) {
      Stage s = run.stage();
      if (s instanceof Stage.Active || s instanceof Stage.Filing) {
        watched.add(run);
      }
    }
    return watched;
  }

  /**
   * One look at where every machine stands, one round of requests, filing nothing and waiting for
   * nothing: jobs that ended since they were last filed show their outcome all the same.
   */
  List<Outcome> peek() throws FleetAbortedException, InterruptedException, IOException {
    List<MachineRun> active = active();
    Map<MachineRun, String> states = search(active);
    rt.throwIfAborted();
    List<Outcome> outcomes = new ArrayList<>();
    List<FleetRuntime.Task<Outcome>> asks = new ArrayList<>();
    for (MachineRun run : rt.state.machines()) {
      if (!(run.stage() instanceof Stage.Active)) {
        outcomes.add(run.outcome());
      } else if (states.containsKey(run) && states.get(run) != null) {
        outcomes.add(Outcome.unfinished(run.machine, run.stage().jobId(), states.get(run)));
      } else {
        asks.add(() -> look(run));
      }
    }
    outcomes.addAll(rt.runAll(asks));
    rt.throwIfAborted();
    outcomes.sort(java.util.Comparator.comparing(Outcome::machine));
    return outcomes;
  }

  /**
   * What one request for the result of {@code run}'s job says, without filing it: the outputs go
   * nowhere, but the hw status rule reads the test output as it passes.
   */
  private Outcome look(MachineRun run) throws InterruptedException {
    String jobId = run.stage().jobId();
    java.util.regex.Pattern pattern = rt.settings.statusPattern();
    TestOutputWatch[] test = new TestOutputWatch[1];
    ResultSink sink =
        field -> {
          if (!field.equals("test_output")) {
            return java.io.OutputStream.nullOutputStream();
          }
          test[0] = new TestOutputWatch(java.io.OutputStream.nullOutputStream(), pattern);
          return test[0];
        };
    Reply<Optional<ObjectNode>> reply =
        rt.once(() -> rt.client.result(jobId, sink, java.io.OutputStream.nullOutputStream()));
    if (!reply.ok()) {
      return Outcome.unfinished(run.machine, jobId, run.lastState());
    }
    if (reply.value().isEmpty()) {
      return Outcome.error(
          run.machine, jobId, "no such job on the server (unknown, or expired after 7 days)");
    }
    ObjectNode result = reply.value().get();
    String state = Results.state(result);
    if (!Results.isTerminal(state)) {
      return Outcome.unfinished(run.machine, jobId, state);
    }
    String hw =
        test[0] == null
            ? Results.UNKNOWN_HW_STATUS
            : test[0].hwStatus().orElse(Results.UNKNOWN_HW_STATUS);
    return Results.outcome(run.machine, jobId, result, hw, run.cancellation());
  }

  private List<MachineRun> active() {
    List<MachineRun> active = new ArrayList<>();
    for (MachineRun run : rt.state.machines()) {
      if (run.stage() instanceof Stage.Active) {
        active.add(run);
      }
    }
    return active;
  }

  /**
   * One monitoring round: a search per run tag tells which jobs are still active and where they
   * are; jobs that left the active set, and jobs without a usable tag, go to filing.
   */
  private void round() throws InterruptedException, IOException {
    List<MachineRun> active = active();
    Map<MachineRun, String> states = search(active);
    List<MachineRun> longWaiting = new ArrayList<>();
    Instant now = Instant.now();
    for (MachineRun run : active) {
      String state = states.get(run);
      boolean late = filing.pastTimeout(run, now);
      if (state != null) {
        observe(run, state);
        if ("waiting".equals(state) && waitedLong(run, now)) {
          longWaiting.add(run);
        }
        if (late) {
          run.stage(new Stage.Filing(run.stage().jobId(), run.lastState()));
          filing.timeOut(run);
        }
      } else if (!states.containsKey(run) || late) {
        // Not active any more, not searchable, or past the limit while the search fails: the
        // result tells whether it ended, and filing times out a job that did not.
        run.stage(new Stage.Filing(run.stage().jobId(), run.lastState()));
        filing.file(run);
      }
      // else: the search failed, noted; asked again next round
    }
    explainWaits(longWaiting);
  }

  /** Whether {@code run}'s job has been waiting longer than the rounds allow before asking why. */
  private boolean waitedLong(MachineRun run, Instant now) {
    List<io.tfleet.store.MachineFolder.StateSeen> states = run.states();
    if (states.isEmpty()) {
      return false;
    }
    Instant since = states.get(states.size() - 1).seen();
    return Duration.between(since, now).compareTo(askWhyAfter) >= 0;
  }

  /** Asks why the long-waiting jobs wait, and says so when the answer changes. */
  private void explainWaits(List<MachineRun> longWaiting) {
    List<Waiting.WaitingJob> jobs = new ArrayList<>();
    for (MachineRun run : longWaiting) {
      if (run.queue() != null) {
        jobs.add(new Waiting.WaitingJob(run.stage().jobId(), run.queue()));
      }
    }
    Waiting.Insight insight = waiting.look(jobs);
    lastInsight = jobs.isEmpty() ? null : insight;
    String line = jobs.isEmpty() ? "" : insight.line();
    if (!line.equals(waitingLine)) {
      waitingLine = line;
      rt.events.waiting(line);
    }
  }

  /**
   * Why each machine that waited long still waited at the last round ("3rd in queue; p50 wait 4m"),
   * by machine; empty when none did.
   */
  Map<String, String> whyWaiting() {
    Waiting.Insight insight = lastInsight;
    Map<String, String> why = new java.util.TreeMap<>();
    if (insight == null) {
      return why;
    }
    for (MachineRun run : rt.state.machines()) {
      if (run.stage() instanceof Stage.Active a
          && "waiting".equals(a.state())
          && run.queue() != null) {
        String text = insight.describe(new Waiting.WaitingJob(a.jobId(), run.queue()));
        if (!text.isEmpty()) {
          why.put(run.machine, text);
        }
      }
    }
    return why;
  }

  /**
   * The state of each job of {@code active} that a search found active, by machine; null for a
   * machine whose search failed; no entry for a job that is not active any more or has no usable
   * tag. A tag whose search the server refuses, or answers with jobs we cannot match, falls back to
   * asking job by job.
   */
  private Map<MachineRun, String> search(List<MachineRun> active)
      throws InterruptedException, IOException {
    Map<String, List<MachineRun>> byTag = new LinkedHashMap<>();
    for (MachineRun run : active) {
      String tag = rt.settings.search() ? run.runTag() : null;
      if (tag != null && !searchRefused.contains(tag)) {
        byTag.computeIfAbsent(tag, t -> new ArrayList<>()).add(run);
      }
    }
    Map<MachineRun, String> states = new HashMap<>();
    Set<String> ownJobs = new HashSet<>();
    if (!byTag.isEmpty()) {
      for (MachineRun run : rt.state.machines()) {
        if (run.stage().jobId() != null) {
          ownJobs.add(run.stage().jobId());
        }
      }
    }
    for (Map.Entry<String, List<MachineRun>> group : byTag.entrySet()) {
      String tag = group.getKey();
      Reply<List<JobSummary>> reply =
          rt.client.call(() -> rt.client.search(List.of(tag), /* activeOnly= */ true));
      if (!reply.ok()) {
        Problem p = reply.problem();
        if (p.status() == 401 || p.status() == 403 || p.status() == 404) {
          fallBack(tag, "the server refuses job search (" + p.message() + ")");
        } else {
          rt.stopIf(reply);
          group.getValue().forEach(run -> states.put(run, null));
          searchFailed(group.getValue(), p);
        }
        continue;
      }
      Map<String, MachineRun> byJob = new HashMap<>();
      group.getValue().forEach(run -> byJob.put(run.stage().jobId(), run));
      Map<MachineRun, String> found = new HashMap<>();
      boolean ours = true;
      for (JobSummary job : reply.value()) {
        MachineRun run = byJob.get(job.jobId());
        if (run == null && ownJobs.contains(job.jobId())) {
          continue; // ours, being filed or cancelled: still active on the server for a moment
        }
        if (run == null) {
          fallBack(tag, "job search answered job " + job.jobId() + ", not one of ours");
          ours = false;
          break;
        }
        found.put(run, job.state());
      }
      if (ours) {
        states.putAll(found);
        group.getValue().forEach(run -> run.failingSince = null);
      }
    }
    return states;
  }

  /**
   * Tells, once per problem, that a search failed; the round after asks again. A machine whose job
   * has had no answer for the give-up time is marked as lost and no longer watched.
   */
  private void searchFailed(List<MachineRun> runs, Problem p) throws IOException {
    MachineRun first = runs.get(0);
    if (!p.message().equals(first.lastProblem)) {
      runs.forEach(run -> run.lastProblem = p.message());
      rt.events.notice(p.message() + " (will keep trying)");
    }
    Instant now = Instant.now();
    for (MachineRun run : runs) {
      if (run.failingSince == null) {
        run.failingSince = now;
      } else if (Duration.between(run.failingSince, now).compareTo(rt.settings.giveUpAfter())
          >= 0) {
        run.error(
            run.stage().jobId(),
            "gave up after "
                + Durations.format(rt.settings.giveUpAfter())
                + " without an answer: "
                + p.message());
        rt.events.finished(run.outcome());
        changed.set(true);
      }
    }
  }

  private void fallBack(String tag, String why) {
    searchRefused.add(tag);
    rt.events.notice(why + "; asking job by job instead");
  }

  private void observe(MachineRun run, String state) throws IOException {
    String from = run.lastState();
    if (run.observe(state, Instant.now())) {
      rt.events.stateChanged(run.machine, run.stage().jobId(), from, state);
      run.stage(new Stage.Active(run.stage().jobId(), state));
      changed.set(true);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
