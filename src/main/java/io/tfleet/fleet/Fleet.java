package io.tfleet.fleet;

import io.tfleet.client.TestflingerClient;
import io.tfleet.job.InputException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Submits a fleet's jobs and monitors them to the end, filing each machine's result in the output
 * tree. Every machine gets an {@link Outcome}; one machine's trouble never stops the others. Only a
 * problem that no machine can get past ends the run early, as a {@link FleetAbortedException}; an
 * {@link IOException} from these methods means the output tree failed.
 *
 * <p>The work is done by {@link Submitter}, {@link Monitor} (with {@link Filing}) and {@link
 * Canceller}, which share one {@link FleetRuntime}: the client, the {@link FleetState}, the retry
 * policy, the worker pool and the filing lanes.
 */
public final class Fleet implements AutoCloseable {
  private final FleetRuntime runtime;
  private final String runTag = RunTag.next();
  private final Submitter submitter;
  private final Monitor monitor;
  private final Canceller canceller;

  public Fleet(
      TestflingerClient client, FleetState state, FleetEvents events, FleetSettings settings) {
    this.runtime = new FleetRuntime(client, state, events, settings);
    this.submitter = new Submitter(runtime, runTag);
    runtime.submitter = submitter;
    this.monitor = new Monitor(runtime);
    this.canceller = new Canceller(runtime);
  }

  /** A machine and the job it runs under; {@code error} says why it has none (or lost it). */
  public record Submission(String machine, String jobId, String error) {
    public boolean ok() {
      return jobId != null && error == null;
    }
  }

  /** What cancelling a fleet's unfinished jobs did: the machines cancelled, and what failed. */
  public record Cancelled(List<String> machines, List<String> failures) {}

  /** The tag this run adds to the jobs it submits. */
  public String runTag() {
    return runTag;
  }

  /** The fleet's machines, where each stands. */
  public FleetState state() {
    return runtime.state;
  }

  /** Where every machine stands, sorted by machine id. */
  public List<Outcome> snapshot() {
    return runtime.state.outcomes();
  }

  /**
   * Why each machine that waited long still waited at the last round, by machine (see {@link
   * Monitor#ASK_WHY_AFTER}); empty when none did.
   */
  public java.util.Map<String, String> whyWaiting() {
    return monitor.whyWaiting();
  }

  /** How many distinct attachment archives this run packed. */
  public int archivesPacked() {
    return submitter.archivesPacked();
  }

  /**
   * Submits one job per machine of the fleet that has a job to run, at most {@code concurrency}
   * requests at a time. A machine that already has a job keeps it: running tfleet again never
   * submits a machine twice.
   */
  public List<Submission> submit() throws FleetAbortedException, InterruptedException {
    return submit(runtime.state.machines().stream().filter(run -> run.job != null).toList());
  }

  /**
   * Checks, before anything is sent, that the queues of the machines that need a new job can run it
   * ({@link Availability}), then submits as {@link #submit()} does.
   *
   * @param pause how long to wait between checks with {@link Availability#WAIT}
   */
  public List<Submission> submit(Availability availability, Duration pause)
      throws InputException, FleetAbortedException, IOException, InterruptedException {
    return submit(preflight(availability, pause, /* skipFailingProvisions= */ false));
  }

  /** The machines to submit once their queues were checked; the others are settled as skipped. */
  List<MachineRun> preflight(
      Availability availability, Duration pause, boolean skipFailingProvisions)
      throws InputException, FleetAbortedException, IOException, InterruptedException {
    return new PreflightPlan(
            runtime.client, runtime.settings, runtime.events, skipFailingProvisions)
        .apply(
            runtime.state.machines().stream().filter(run -> run.job != null).toList(),
            availability,
            pause);
  }

  /** Submits the machines of {@code runs}, as {@link #submit()} does. */
  List<Submission> submit(List<MachineRun> runs)
      throws FleetAbortedException, InterruptedException {
    return submitter.submit(runs);
  }

  /**
   * Watches every machine's job until all have ended, filing each result as it arrives.
   *
   * @param ceiling the longest pause between rounds; rounds come sooner while jobs are changing
   */
  public List<Outcome> monitor(Duration ceiling)
      throws FleetAbortedException, InterruptedException, IOException {
    return monitor.monitor(ceiling);
  }

  /** One look at where every machine stands, filing nothing and waiting for nothing. */
  public List<Outcome> peek() throws FleetAbortedException, InterruptedException, IOException {
    return monitor.peek();
  }

  /**
   * Cancels every unfinished job of the fleet; each keeps the verdict {@code cancelled} with {@code
   * reason}, whatever its agent reports later.
   */
  public Cancelled cancelUnfinished(String reason)
      throws IOException, InterruptedException, FleetAbortedException {
    return canceller.cancelUnfinished(reason);
  }

  /** Stops every request in flight and waits (briefly) until no worker touches the tree. */
  public void stop() throws InterruptedException {
    runtime.stop();
  }

  @Override
  public void close() {
    runtime.close();
    submitter.close();
  }
}
