package io.tfleet.fleet;

import io.tfleet.client.TestflingerClient;
import io.tfleet.job.RenderedJob;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Submits a fleet's jobs and monitors them to the end, filing each machine's result in the output
 * tree. Every machine gets an {@link Outcome}; one machine's trouble never stops the others. Only a
 * problem that no machine can get past ends the run early, as a {@link FleetAbortedException}; an
 * {@link IOException} from these methods means the output tree failed.
 *
 * <p>The work is done by {@link Submitter}, {@link Monitor} and {@link Canceller}, which share one
 * {@link FleetRuntime}: the client, the tree, the retry policy, where each machine stands, and the
 * worker pool.
 */
public final class Fleet implements AutoCloseable {
  private final FleetRuntime runtime;
  private final String runTag = RunTag.next();
  private final Submitter submitter;
  private final Monitor monitor;
  private final Canceller canceller;

  public Fleet(
      TestflingerClient client, OutputTree tree, FleetEvents events, FleetSettings settings) {
    this.runtime = new FleetRuntime(client, tree, events, settings);
    this.submitter = new Submitter(runtime, runTag);
    this.monitor = new Monitor(runtime);
    this.canceller = new Canceller(runtime);
  }

  /** A machine and the job it runs under; {@code error} says why it has none (or lost it). */
  public record Submission(String machine, String jobId, String error) {
    public boolean ok() {
      return jobId != null && error == null;
    }
  }

  /** What cancelling a tree's unfinished jobs did: the machines cancelled, and what failed. */
  public record Cancelled(List<String> machines, List<String> failures) {}

  /** The tag this run adds to the jobs it submits. */
  public String runTag() {
    return runTag;
  }

  /** Where every machine seen so far stands, sorted by machine id. */
  public List<Outcome> snapshot() {
    return runtime.snapshot();
  }

  /** How many distinct attachment archives this run packed. */
  public int archivesPacked() {
    return submitter.archivesPacked();
  }

  /**
   * Submits one job per machine, at most {@code concurrency} requests at a time. A machine whose
   * folder already holds a job keeps it: running tfleet again never submits a machine twice.
   */
  public List<Submission> submit(List<RenderedJob> jobs)
      throws FleetAbortedException, InterruptedException {
    return submitter.submit(jobs);
  }

  /**
   * Watches every machine's job until all have ended, filing each result as it arrives.
   *
   * @param ceiling the longest pause between rounds; rounds come sooner while jobs are changing
   */
  public List<Outcome> monitor(List<MachineFolder> machines, Duration ceiling)
      throws FleetAbortedException, InterruptedException, IOException {
    return monitor.monitor(machines, ceiling);
  }

  /** One look at where every machine stands, filing nothing and waiting for nothing. */
  public List<Outcome> peek(List<MachineFolder> machines)
      throws FleetAbortedException, InterruptedException, IOException {
    return monitor.peek(machines);
  }

  /**
   * Cancels every unfinished job of {@code machines}; each keeps the verdict {@code cancelled} with
   * {@code reason}, whatever its agent reports later.
   */
  public Cancelled cancelUnfinished(List<MachineFolder> machines, String reason)
      throws IOException, InterruptedException, FleetAbortedException {
    return canceller.cancelUnfinished(machines, reason);
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
