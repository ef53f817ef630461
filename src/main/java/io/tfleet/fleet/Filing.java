package io.tfleet.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.client.Problem;
import io.tfleet.client.Reply;
import io.tfleet.store.MachineFolder.Cancellation;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Files the results of jobs that left the active states, on the runtime's filing lane, off the
 * monitoring round: the result, the phase outputs, the serial logs of a machine that did not pass,
 * then (on the downloads lane) the artifact bundle. A call that fails in a way that may pass is
 * scheduled again after a pause; no thread sleeps, and no machine waits for another's trouble.
 */
final class Filing {
  private final FleetRuntime rt;
  private final Runnable moved;

  /** {@code moved} is told whenever a machine's stage changed here. */
  Filing(FleetRuntime rt, Runnable moved) {
    this.rt = rt;
    this.moved = moved;
  }

  /** Fetches and files the result of {@code run}'s job, whose stage is {@link Stage.Filing}. */
  void file(MachineRun run) {
    long started = System.nanoTime();
    rt.filing.now(() -> fetch(run, 1, started));
  }

  private void fetch(MachineRun run, int attempt, long started)
      throws IOException, InterruptedException {
    String jobId = run.stage().jobId();
    run.folder.create();
    try (ResultStaging staging = new ResultStaging(run.folder.dir(), rt.settings.statusPattern())) {
      Reply<Optional<ObjectNode>> reply =
          rt.once(() -> rt.client.result(jobId, staging, staging.raw()));
      if (!reply.ok()) {
        failed(run, reply.problem(), attempt, started);
        return;
      }
      run.failingSince = null;
      run.lastProblem = null;
      if (reply.value().isEmpty()) {
        String reason = "no such job on the server (unknown, or expired after 7 days)";
        observe(run, "vanished");
        run.error(jobId, reason);
        settled(run);
        return;
      }
      ObjectNode result = reply.value().get();
      String state = Results.state(result);
      observe(run, state);
      if (!Results.isTerminal(state)) {
        if (pastTimeout(run, Instant.now())) {
          cancelForTimeout(run);
          return;
        }
        // Search had it finished (or could not say), the result not yet: the round watches it.
        run.stage(new Stage.Active(jobId, state));
        moved.run();
        return;
      }
      fileResult(run, jobId, result, staging);
    }
  }

  /** Files a terminal result read into {@code staging}, then settles the machine. */
  private void fileResult(MachineRun run, String jobId, ObjectNode result, ResultStaging staging)
      throws IOException, InterruptedException {
    String hw = staging.hwStatus();
    Outcome outcome = Results.outcome(run.machine, jobId, result, hw, run.cancellation());
    if (!outcome.verdict().passed()) {
      serialLogs(run, jobId);
    }
    boolean completed = Results.isCompleted(Results.state(result));
    List<String> written = staging.commit(completed, hw);
    run.filed(outcome, Results.phaseStatuses(result), completed ? staging.tail() : null, written);
    settled(run);
    if (rt.settings.artifacts()) {
      downloadArtifacts(run);
    }
  }

  /**
   * Keeps the serial console logs of a machine that did not pass, one try: they are what one reads
   * when provisioning fails, and the verdict does not depend on them.
   */
  private void serialLogs(MachineRun run, String jobId) throws IOException, InterruptedException {
    Reply<Map<String, String>> serial = rt.once(() -> rt.client.serialLog(jobId));
    if (!serial.ok()) {
      rt.events.notice(run.machine + ": serial log not kept: " + serial.problem().message());
      return;
    }
    for (Map.Entry<String, String> log : serial.value().entrySet()) {
      run.folder.writeSerialLog(log.getKey(), log.getValue());
    }
  }

  /** Downloads the bundle of a filed job on the downloads lane, retries scheduled. */
  void downloadArtifacts(MachineRun run) {
    long started = System.nanoTime();
    rt.downloads.now(() -> Artifacts.fetch(rt, run, 1, started));
  }

  /**
   * A result that could not be had: tried again after a pause while the trouble may pass. Answers
   * that are never usable leave the machine unfinished (stalled) once {@code --retry-for} is spent;
   * a server that does not answer at all, once it has been silent for the give-up time. A refusal
   * is the machine's error.
   */
  private void failed(MachineRun run, Problem problem, int attempt, long started)
      throws IOException, InterruptedException {
    String jobId = run.stage().jobId();
    if (problem.stopsRun()) {
      return;
    }
    if (!problem.mayPass()) {
      run.error(jobId, problem.message());
      settled(run);
      return;
    }
    Instant now = Instant.now();
    if (run.failingSince == null) {
      run.failingSince = now;
    }
    Optional<Duration> pause = rt.retry.pauseAfter(problem, attempt, started);
    if (problem.kind() == Problem.Kind.BAD_ANSWER) {
      if (pause.isEmpty()) {
        run.stage(
            new Stage.Stalled(
                jobId,
                run.lastState(),
                "not finished as far as tfleet knows: "
                    + problem.message()
                    + " (for "
                    + Durations.format(rt.settings.backoff().budget())
                    + "); run tfleet --check-status later"));
        moved.run();
        return;
      }
      rt.retry.tell(run.machine, problem, pause.get());
    } else {
      Duration silent = Duration.between(run.failingSince, now);
      if (silent.compareTo(rt.settings.giveUpAfter()) >= 0) {
        run.error(
            jobId,
            "gave up after "
                + Durations.format(rt.settings.giveUpAfter())
                + " without an answer: "
                + problem.message());
        settled(run);
        return;
      }
      if (!problem.message().equals(run.lastProblem)) {
        run.lastProblem = problem.message();
        rt.events.notice(run.machine + ": " + problem.message() + " (will keep trying)");
      }
    }
    Duration wait = pause.orElse(rt.settings.backoff().max());
    // Past the budget of one call, the job is asked about again at the slowest pace.
    int next = pause.isPresent() ? attempt + 1 : 1;
    long since = pause.isPresent() ? started : System.nanoTime();
    rt.filing.later(wait, () -> fetch(run, next, since));
  }

  /**
   * Whether {@code run}'s job has been out longer than {@code --timeout} allows at {@code now}. The
   * limit holds whatever the round learnt of the job: a failed or refused search, or a result
   * fetched while the job still runs, never lets a job run past it.
   */
  boolean pastTimeout(MachineRun run, Instant now) {
    Duration limit = rt.settings.jobTimeout();
    return limit != null
        && run.submittedAt() != null
        && Duration.between(run.submittedAt(), now).compareTo(limit) >= 0;
  }

  /** Cancels {@code run}'s job for running past {@code --timeout}, which ends it. */
  void timeOut(MachineRun run) {
    rt.filing.now(() -> cancelForTimeout(run));
  }

  private void cancelForTimeout(MachineRun run) throws IOException, InterruptedException {
    String jobId = run.stage().jobId();
    String reason =
        "timed out: not finished "
            + Durations.format(rt.settings.jobTimeout())
            + " after submission (cancelled)";
    String last = run.lastState();
    run.markCancelled(new Cancellation(/* timedOut= */ true, reason));
    rt.cancelQuietly(jobId);
    observe(run, "timed out");
    run.stage(new Stage.Settled(Results.timedOut(run.machine, jobId, last, reason)));
    settled(run);
  }

  private void observe(MachineRun run, String state) throws IOException {
    String from = run.lastState();
    if (run.observe(state, Instant.now())) {
      rt.events.stateChanged(run.machine, run.stage().jobId(), from, state);
    }
  }

  /**
   * The machine's attempt is over: it ends there, or, when {@link Attempts} give it another, its
   * files move to {@code attempt-K/} and the next attempt is submitted at once, in this step.
   */
  private void settled(MachineRun run) throws IOException, InterruptedException {
    Outcome outcome = run.outcome();
    if (rt.settings.attempts().another(outcome, run.attempt())
        && rt.abortion() == null
        && !Thread.currentThread().isInterrupted()) {
      rt.events.notice(
          run.machine
              + ": attempt "
              + run.attempt()
              + " "
              + outcome.verdict().label()
              + (outcome.reason() == null ? "" : " (" + outcome.reason() + ")")
              + "; attempt "
              + (run.attempt() + 1)
              + " of "
              + rt.settings.attempts().max()
              + " goes next");
      run.startNext();
      rt.submitter.submitOne(run);
      moved.run();
      return;
    }
    rt.events.finished(outcome);
    moved.run();
  }
}
