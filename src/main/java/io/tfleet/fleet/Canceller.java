package io.tfleet.fleet;

import io.tfleet.client.ApiException;
import io.tfleet.client.ServerUnreachableException;
import io.tfleet.fleet.Fleet.Cancelled;
import io.tfleet.report.Verdict;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.MachineFolder.Cancellation;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Cancels a tree's unfinished jobs, one at a time, marking each so its verdict stays cancelled. */
final class Canceller {
  private final FleetRuntime rt;

  Canceller(FleetRuntime rt) {
    this.rt = rt;
  }

  /**
   * Cancels every job of {@code machines} that is not finished, marking each first so that its
   * verdict stays {@code cancelled} (with {@code reason}) whatever the agent reports later. A job
   * the server says is already finished is left as it is.
   */
  Cancelled cancelUnfinished(List<MachineFolder> machines, String reason)
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
        rt.retry.run(
            folder.machine(),
            () -> {
              rt.client.cancel(jobId.get());
              return null;
            });
        cancelled.add(folder.machine());
        rt.put(
            new Outcome(
                folder.machine(), jobId.get(), "cancelled", null, null, Verdict.CANCELLED, reason));
      } catch (ApiException e) {
        folder.clearCancelled();
        rt.abortIf(e.isAuthProblem(), e);
        // 400: already completed or cancelled, which is what was wanted.
        if (e.status() != 400) {
          failures.add(folder.machine() + ": " + e.getMessage());
        }
      } catch (InterruptedIOException e) {
        folder.clearCancelled();
        throw e;
      } catch (IOException e) {
        folder.clearCancelled();
        rt.abortIf(e instanceof ServerUnreachableException && !rt.retry.serverSeen(), e);
        failures.add(folder.machine() + ": " + e.getMessage());
      }
      rt.throwIfAborted();
    }
    return new Cancelled(cancelled, failures);
  }
}
