package io.tfleet.fleet;

import io.tfleet.store.EarlierFiles;
import java.io.IOException;

/** Which machines that already had a job get a new one; the others keep theirs. */
public enum NewRound {
  /** None: running again picks up every existing job. */
  NONE,
  /** Every machine that had a job. */
  ALL,
  /** The machines that did not pass (failed, cancelled, timed out, lost, refused). */
  NOT_PASSED;

  /**
   * Moves the chosen machines' earlier files into {@code <id>/round-N/}, so each starts afresh: in
   * the fleet's state too, as not submitted.
   */
  public void start(FleetState state) throws IOException {
    if (this == NONE) {
      return;
    }
    for (MachineRun run : state.machines()) {
      Stage stage = run.stage();
      boolean hadJob = stage.jobId() != null || stage instanceof Stage.Settled;
      boolean chosen =
          this == ALL
              ? hadJob
              : stage instanceof Stage.Settled settled && !settled.outcome().verdict().passed();
      if (chosen) {
        EarlierFiles.archiveRound(run.folder);
        run.startNewRound();
      }
    }
  }
}
