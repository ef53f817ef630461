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

  PreflightPlan(TestflingerClient client, FleetSettings settings, FleetEvents events) {
    this.client = client;
    this.settings = settings;
    this.events = events;
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
    Map<String, String> problems = problems(queues, retry);
    while (!problems.isEmpty() && availability == Availability.WAIT) {
      events.notice(
          "waiting for available machines on "
              + problems.size()
              + " queue(s): "
              + String.join(", ", problems.keySet()));
      Thread.sleep(pause.toMillis());
      problems = problems(problems.keySet(), retry);
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

  private Map<String, String> problems(Set<String> queues, Retry retry)
      throws FleetAbortedException, InterruptedException {
    try {
      return Preflight.problems(client, queues, settings.concurrency(), retry, events);
    } catch (InterruptedIOException e) {
      throw new InterruptedException(e.getMessage());
    } catch (ApiException | IOException e) {
      throw new FleetAbortedException("cannot check the queues: " + e.getMessage(), e);
    }
  }
}
