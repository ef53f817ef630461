package io.tfleet.fleet;

import io.tfleet.client.Reply;
import io.tfleet.fleet.Fleet.Cancelled;
import io.tfleet.report.Verdict;
import io.tfleet.store.MachineFolder.Cancellation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cancels a fleet's unfinished jobs, one at a time, marking each so its verdict stays cancelled.
 */
final class Canceller {
  private final FleetRuntime rt;

  Canceller(FleetRuntime rt) {
    this.rt = rt;
  }

  /**
   * Cancels every job of the fleet that is not finished, marking each first so that its verdict
   * stays {@code cancelled} (with {@code reason}) whatever the agent reports later. A job the
   * server says is already finished is left as it is.
   */
  Cancelled cancelUnfinished(String reason)
      throws IOException, InterruptedException, FleetAbortedException {
    List<String> cancelled = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (MachineRun run : rt.state.machines()) {
      Stage stage = run.stage();
      if (!(stage instanceof Stage.Active
          || stage instanceof Stage.Filing
          || stage instanceof Stage.Stalled)) {
        continue;
      }
      String jobId = stage.jobId();
      run.markCancelled(new Cancellation(/* timedOut= */ false, reason));
      Reply<Void> reply =
          rt.call(
              run.machine,
              () -> {
                rt.client.cancel(jobId);
                return null;
              });
      if (reply.ok()) {
        cancelled.add(run.machine);
        run.stage(
            new Stage.Settled(
                new Outcome(
                    run.machine, jobId, "cancelled", null, null, Verdict.CANCELLED, reason)));
      } else {
        run.clearCancelled();
        // 400: already completed or cancelled, which is what was wanted.
        if (reply.problem().status() != 400) {
          failures.add(run.machine + ": " + reply.problem().message());
        }
      }
      rt.throwIfAborted();
    }
    return new Cancelled(cancelled, failures);
  }
}
