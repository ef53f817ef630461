package io.tfleet.fleet;

import io.tfleet.client.ApiException;
import io.tfleet.client.TestflingerClient;
import io.tfleet.job.InputException;
import io.tfleet.job.RenderedJob;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides, before anything is sent, which machines get a job: every queue of the machines that need
 * a new job must exist and have a machine that takes jobs. What happens otherwise is the {@link
 * Availability} asked for.
 */
final class PreflightPlan {
  private final TestflingerClient client;
  private final FleetSettings settings;
  private final FleetEvents events;

  private final boolean skipFailingProvisions;

  PreflightPlan(
      TestflingerClient client,
      FleetSettings settings,
      FleetEvents events,
      boolean skipFailingProvisions) {
    this.client = client;
    this.settings = settings;
    this.events = events;
    this.skipFailingProvisions = skipFailingProvisions;
  }

  /**
   * Returns the jobs to submit. Machines that already have a job are not checked (they keep it).
   *
   * @param pause how long to wait between checks with {@link Availability#WAIT}
   * @throws InputException when queues cannot run jobs and {@code availability} is {@link
   *     Availability#CHECK}: nothing was submitted
   */
  List<MachineRun> apply(List<MachineRun> runs, Availability availability, Duration pause)
      throws InputException, FleetAbortedException, IOException, InterruptedException {
    if (availability == Availability.NONE) {
      return runs;
    }
    List<RenderedJob> fresh = new ArrayList<>();
    Set<String> freshIds = new HashSet<>();
    for (MachineRun run : runs) {
      if (run.stage().jobId() == null) {
        fresh.add(run.job);
        freshIds.add(run.machine);
      }
    }
    Set<String> queues = new TreeSet<>();
    fresh.forEach(r -> queues.add(r.queue()));
    Retry retry = new Retry(client, settings.backoff(), events);
    Preflight.Findings findings = check(queues, retry);
    Map<String, String> problems = findings.problems();
    runs = failingStreaks(runs, freshIds, findings.failingStreaks());
    while (!problems.isEmpty() && availability == Availability.WAIT) {
      events.notice(
          "waiting for available machines on "
              + problems.size()
              + " queue(s): "
              + String.join(", ", problems.keySet()));
      Thread.sleep(pause.toMillis());
      problems = check(problems.keySet(), retry).problems();
    }
    if (problems.isEmpty()) {
      return runs;
    }
    if (availability == Availability.CHECK) {
      List<String> bad = new ArrayList<>();
      for (RenderedJob rendered : fresh) {
        String problem = problems.get(rendered.queue());
        if (problem != null) {
          bad.add(rendered.machine() + " (queue " + rendered.queue() + "): " + problem);
        }
      }
      throw new InputException(
          bad.size()
              + " machine(s) cannot run jobs now; nothing was submitted:\n  "
              + String.join("\n  ", bad)
              + "\n(--skip-unavailable submits to the others; --wait-for-available-agents waits)");
    }
    List<MachineRun> kept = new ArrayList<>();
    for (MachineRun run : runs) {
      String problem = problems.get(run.job.queue());
      if (problem != null && freshIds.contains(run.machine)) {
        run.skipped("skipped: queue " + run.job.queue() + ": " + problem);
        events.notice("skipping " + run.machine + " (queue " + run.job.queue() + "): " + problem);
      } else {
        kept.add(run);
      }
    }
    return kept;
  }

  /**
   * Names, before anything is submitted, the machines whose agent's last provisions all failed: lab
   * trouble to expect. They are submitted all the same, unless the run skips them.
   */
  private List<MachineRun> failingStreaks(
      List<MachineRun> runs, Set<String> freshIds, Map<String, String> streaks) throws IOException {
    List<MachineRun> kept = new ArrayList<>();
    for (MachineRun run : runs) {
      String streak = streaks.get(run.job.queue());
      if (streak == null || !freshIds.contains(run.machine)) {
        kept.add(run);
        continue;
      }
      if (skipFailingProvisions) {
        run.skipped("skipped: a failing provision streak (" + streak + ")");
        events.notice("skipping " + run.machine + ": " + streak);
      } else {
        events.notice(
            run.machine
                + ": "
                + streak
                + "; submitting all the same (--skip-failing-provisions skips such machines)");
        kept.add(run);
      }
    }
    return kept;
  }

  private Preflight.Findings check(Set<String> queues, Retry retry)
      throws FleetAbortedException, InterruptedException {
    try {
      return Preflight.check(client, queues, settings.concurrency(), retry, events);
    } catch (InterruptedIOException e) {
      throw new InterruptedException(e.getMessage());
    } catch (ApiException | IOException e) {
      throw new FleetAbortedException("cannot check the queues: " + e.getMessage(), e);
    }
  }
}
