package io.tfleet.fleet;

import io.tfleet.report.Verdict;
import io.tfleet.store.MachineFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/** Which machines that already had a job get a new one; the others keep theirs. */
public enum NewRound {
  /** None: running again picks up every existing job. */
  NONE,
  /** Every machine that had a job. */
  ALL,
  /** The machines that did not pass (failed, cancelled, timed out, lost, refused). */
  NOT_PASSED;

  /** Moves the chosen machines' earlier files into {@code <id>/round-N/}, so each starts afresh. */
  public void start(List<MachineFolder> folders) throws IOException {
    if (this == NONE) {
      return;
    }
    for (MachineFolder folder : folders) {
      if (!Files.isDirectory(folder.dir())
          || (folder.jobId().isEmpty()
              && folder.pendingJobId().isEmpty()
              && folder.error().isEmpty())) {
        continue;
      }
      Optional<Outcome> filed = Results.filed(folder);
      if (this == ALL || filed.map(o -> o.verdict() != Verdict.PASSED).orElse(false)) {
        folder.archiveRound();
      }
    }
  }
}
