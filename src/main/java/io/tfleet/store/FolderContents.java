package io.tfleet.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.store.MachineFolder.Cancellation;
import io.tfleet.store.MachineFolder.StateSeen;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one machine folder held when it was read, read once (see {@link MachineFolder#read}): the
 * names in it and what its small files say. Each value is null (or empty) when its file is absent.
 *
 * @param names the names in the folder, files and folders, hidden ones included
 * @param result the filed result without its phase outputs, which stay in their own files
 * @param queue the {@code job_queue} of the folder's {@code job.yaml}
 */
public record FolderContents(
    Set<String> names,
    String jobId,
    String pendingJobId,
    String runTag,
    String error,
    Cancellation cancellation,
    String hwStatus,
    ObjectNode result,
    List<StateSeen> states,
    Instant submittedAt,
    Instant finishedAt,
    String queue) {
  public FolderContents {
    names = Set.copyOf(names);
    states = List.copyOf(states);
  }

  /** What a folder that does not exist holds. */
  public static FolderContents empty() {
    return new FolderContents(
        Set.of(), null, null, null, null, null, null, null, List.of(), null, null, null);
  }

  public boolean has(String name) {
    return names.contains(name);
  }

  public Optional<String> jobIdIfAny() {
    return Optional.ofNullable(jobId);
  }

  /** Whether the job's attachments were still to be uploaded when the folder was written. */
  public boolean attachmentsPending() {
    return has(MachineFolder.ATTACHMENTS_PENDING);
  }

  /**
   * Whether a finished job may have an artifact bundle that is not here: its result is filed, there
   * is no {@code artifacts/} folder, and the server has not said there is none.
   */
  public boolean artifactsMissing() {
    return result != null && !has(MachineFolder.ARTIFACTS) && !has(MachineFolder.NO_ARTIFACTS);
  }
}
