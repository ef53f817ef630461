package io.tfleet.fleet;

import io.tfleet.client.ApiException;
import io.tfleet.client.TestflingerClient;
import io.tfleet.job.InputException;
import io.tfleet.job.RenderedJob;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
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
public final class PreflightPlan {
  private final TestflingerClient client;
  private final OutputTree tree;
  private final FleetSettings settings;
  private final FleetEvents events;

  public PreflightPlan(
      TestflingerClient client, OutputTree tree, FleetSettings settings, FleetEvents events) {
    this.client = client;
    this.tree = tree;
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
  public List<RenderedJob> apply(List<RenderedJob> jobs, Availability availability, Duration pause)
      throws InputException, FleetAbortedException, IOException, InterruptedException {
    if (availability == Availability.NONE) {
      return jobs;
    }
    List<RenderedJob> fresh = new ArrayList<>();
    Set<String> freshIds = new HashSet<>();
    for (RenderedJob rendered : jobs) {
      MachineFolder folder = tree.machine(rendered.machine().value());
      if (folder.jobId().isEmpty() && folder.pendingJobId().isEmpty()) {
        fresh.add(rendered);
        freshIds.add(rendered.machine().value());
      }
    }
    Set<String> queues = new TreeSet<>();
    fresh.forEach(r -> queues.add(r.queue()));
    Retry retry = new Retry(settings.backoff(), events);
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
      return jobs;
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
    List<RenderedJob> kept = new ArrayList<>();
    for (RenderedJob rendered : jobs) {
      String problem = problems.get(rendered.queue());
      if (problem != null && freshIds.contains(rendered.machine().value())) {
        String reason = "skipped: queue " + rendered.queue() + ": " + problem;
        MachineFolder folder = tree.machine(rendered.machine().value()).create();
        // The job it would have run says where it was meant to go, for the reports.
        folder.writeJobYaml(rendered.yaml());
        folder.writeError(reason);
        events.notice(
            "skipping " + rendered.machine() + " (queue " + rendered.queue() + "): " + problem);
      } else {
        kept.add(rendered);
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
