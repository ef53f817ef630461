package io.tfleet.fleet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.client.ApiException;
import io.tfleet.client.ServerUnreachableException;
import io.tfleet.fleet.Fleet.Submission;
import io.tfleet.job.RenderedJob;
import io.tfleet.store.MachineFolder;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Submits a fleet's jobs exactly once each: the id is chosen and recorded before sending, and after
 * any doubt the server is asked before sending again. Then uploads their attachments.
 */
final class Submitter {
  private final FleetRuntime rt;
  private final String runTag;
  private final ArchiveCache archives = new ArchiveCache();

  Submitter(FleetRuntime rt, String runTag) {
    this.rt = rt;
    this.runTag = runTag;
  }

  /** How many distinct attachment archives were packed. */
  int archivesPacked() {
    return archives.packed();
  }

  /** Removes the packed archives. */
  void close() {
    archives.close();
  }

  /**
   * Submits one job per machine, at most {@code concurrency} requests at a time. A machine whose
   * folder already holds a job keeps it: running tfleet again never submits a machine twice.
   */
  List<Submission> submit(List<RenderedJob> jobs)
      throws FleetAbortedException, InterruptedException {
    List<FleetRuntime.Task<Submission>> tasks = new ArrayList<>();
    for (RenderedJob job : jobs) {
      rt.put(
          Outcome.notSubmitted(
              job.machine().value(),
              "not submitted: the run stopped before this machine's job was sent"));
      tasks.add(() -> submitOne(job));
    }
    List<Submission> submissions = new ArrayList<>(rt.runAll(tasks));
    rt.throwIfAborted();
    submissions.sort(Comparator.comparing(Submission::machine));
    return submissions;
  }

  private Submission submitOne(RenderedJob job) throws IOException, InterruptedException {
    String machine = job.machine().value();
    MachineFolder folder = rt.tree.machine(machine).create();
    Optional<String> existing = folder.jobId();
    if (existing.isPresent()) {
      folder.clearPendingJobId();
      return adopt(folder, job, existing.get());
    }
    if (rt.abortion() != null) {
      return failed(folder, null, "not submitted: " + rt.abortion().getMessage());
    }
    Optional<String> pending = folder.pendingJobId();
    try {
      if (pending.isPresent() && exists(machine, pending.get())) {
        // An earlier run sent it and stopped before it could record the answer.
        folder.writeJobId(pending.get(), pending.get());
        return adopt(folder, job, pending.get());
      }
      // The id is chosen here and recorded before sending, so whatever happens next, a later
      // run can ask the server whether this job exists instead of sending it again.
      String jobId = pending.orElseGet(() -> UUID.randomUUID().toString());
      folder.writeJobYaml(job.yaml());
      folder.writeRunTag(runTag);
      if (!job.attachments().isEmpty()) {
        folder.markAttachmentsPending();
      }
      folder.writePendingJobId(jobId);
      String accepted = sendOnce(machine, body(job, jobId), jobId);
      folder.writeJobId(accepted, jobId);
      rt.seen(machine, accepted, "waiting");
      rt.events.submitted(machine, accepted, /* reused= */ false);
      return job.attachments().isEmpty()
          ? new Submission(machine, accepted, null)
          : deliverAttachments(folder, job, accepted);
    } catch (ApiException e) {
      rt.abortIf(e.isAuthProblem(), e);
      return failed(folder, null, e.getMessage());
    } catch (ServerUnreachableException e) {
      rt.abortIf(!rt.retry.serverSeen(), e);
      return failed(folder, null, e.getMessage());
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      return failed(folder, null, e.getMessage());
    }
  }

  private Submission adopt(MachineFolder folder, RenderedJob job, String jobId)
      throws IOException, InterruptedException {
    rt.seen(folder.machine(), jobId, null);
    rt.events.submitted(folder.machine(), jobId, /* reused= */ true);
    return folder.attachmentsPending()
        ? deliverAttachments(folder, job, jobId)
        : new Submission(folder.machine(), jobId, null);
  }

  private ObjectNode body(RenderedJob job, String jobId) {
    ObjectNode body = job.json().deepCopy();
    body.put("job_id", jobId);
    ArrayNode tags = body.has("tags") ? (ArrayNode) body.get("tags") : body.putArray("tags");
    tags.add(runTag);
    return body;
  }

  /**
   * Sends a job so that it exists exactly once: after a failure that leaves it unclear whether the
   * server took it (no answer, a gateway error), it asks the server before sending it again.
   */
  private String sendOnce(String machine, ObjectNode body, String jobId)
      throws IOException, ApiException, InterruptedException {
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        String accepted = rt.client.submit(body);
        rt.retry.answered();
        return accepted;
      } catch (IOException | ApiException e) {
        if (Retry.isPassing(e) && exists(machine, jobId)) {
          return jobId;
        }
        rt.retry.pauseOrRethrow(machine, e, attempt, started);
      }
    }
  }

  /** Whether the server has the job, asking again while the answer may be passing trouble. */
  private boolean exists(String machine, String jobId)
      throws IOException, ApiException, InterruptedException {
    return rt.retry.run(machine, () -> rt.client.job(jobId)).isPresent();
  }

  /**
   * Uploads a submitted job's attachments, retrying what may be passing trouble. When the upload
   * finally fails the job is cancelled: without its attachments it would wait forever.
   */
  private Submission deliverAttachments(MachineFolder folder, RenderedJob job, String jobId)
      throws IOException, InterruptedException {
    String machine = folder.machine();
    Path archive = archives.archive(job.attachments());
    try {
      rt.retry.run(
          machine,
          () -> {
            rt.client.uploadAttachments(jobId, archive);
            return null;
          });
      folder.clearAttachmentsPending();
      return new Submission(machine, jobId, null);
    } catch (IOException | ApiException e) {
      if (e instanceof InterruptedIOException interrupted) {
        throw interrupted;
      }
      if (e instanceof ApiException api) {
        rt.abortIf(api.isAuthProblem(), api);
      }
      rt.cancelQuietly(jobId);
      folder.clearAttachmentsPending();
      return failed(folder, jobId, "attachments upload failed, job cancelled: " + e.getMessage());
    }
  }

  private Submission failed(MachineFolder folder, String jobId, String reason) throws IOException {
    folder.writeError(reason);
    rt.put(Outcome.error(folder.machine(), jobId, reason));
    rt.events.submitFailed(folder.machine(), reason);
    return new Submission(folder.machine(), jobId, reason);
  }
}
