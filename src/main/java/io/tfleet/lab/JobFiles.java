package io.tfleet.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Where a job's files live in the lab's scratch folder: its working folder, outputs, artifacts. */
final class JobFiles {
  private static final System.Logger LOG = System.getLogger(JobFiles.class.getName());

  private final Path scratch;

  JobFiles(Path scratch) {
    this.scratch = scratch;
  }

  /** The job's working folder; attachments unpack under it. */
  Path workDir(LabJob job) {
    return scratch.resolve("jobs").resolve(job.seq + "-" + job.id);
  }

  /** Where a job's phase outputs are kept, until the lab closes. */
  OutputStore outputs(long seq, String id) {
    return new OutputStore(scratch.resolve("outputs").resolve(seq + "-" + id));
  }

  /** Where a job's artifact bundle is kept once its working folder is gone. */
  private Path artifactFile(LabJob job) {
    return scratch.resolve("artifacts").resolve(job.seq + "-" + job.id + ".tar.gz");
  }

  /**
   * Packs what the test commands left in {@code artifacts/}, as an agent uploads it; before the
   * test phase ends, so a client that sees the job finished finds the bundle. A folder that cannot
   * be packed is logged and the job goes on without one, as an agent's failed upload would.
   */
  void packArtifacts(LabJob job) {
    Path folder = workDir(job).resolve("artifacts");
    try {
      if (Archives.pack(folder, artifactFile(job))) {
        job.artifactPacked(artifactFile(job));
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.log(System.Logger.Level.WARNING, "tfleet-lab: cannot pack the artifacts of " + job.id, e);
    }
  }

  void deleteWorkDir(LabJob job) {
    try {
      Scratch.deleteTree(workDir(job));
    } catch (IOException | UncheckedIOException e) {
      // The lab's whole scratch folder goes on close.
    }
  }
}
