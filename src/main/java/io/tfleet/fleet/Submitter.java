package io.tfleet.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.client.Reply;
import io.tfleet.fleet.Fleet.Submission;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
   * Submits one job per machine of {@code runs}, at most {@code concurrency} requests at a time. A
   * machine that already has a job keeps it: running tfleet again never submits a machine twice.
   */
  List<Submission> submit(List<MachineRun> runs)
      throws FleetAbortedException, InterruptedException {
    List<FleetRuntime.Task<Submission>> tasks = new ArrayList<>();
    for (MachineRun run : runs) {
      tasks.add(() -> submitOne(run));
    }
    List<Submission> submissions = new ArrayList<>(rt.runAll(tasks));
    rt.throwIfAborted();
    submissions.sort(Comparator.comparing(Submission::machine));
    return submissions;
  }

  /** Submits one machine's next attempt, as {@link #submit} does for a batch. */
  Submission submitOne(MachineRun run) throws IOException, InterruptedException {
    Stage stage = run.stage();
    if (stage instanceof Stage.Settled settled && settled.outcome().jobId() != null) {
      // Its job is over: it keeps it. A machine whose submission failed before is sent again.
      rt.events.submitted(run.machine, settled.outcome().jobId(), /* reused= */ true);
      return new Submission(run.machine, settled.outcome().jobId(), null);
    }
    if (stage instanceof Stage.Active || stage instanceof Stage.Stalled) {
      return adopt(run, stage.jobId());
    }
    if (rt.abortion() != null) {
      String reason = "not submitted: " + rt.abortion().getMessage();
      run.stage(new Stage.NotSubmitted(reason));
      return new Submission(run.machine, null, reason);
    }
    String pending = stage instanceof Stage.Pending p ? p.jobId() : null;
    if (pending != null) {
      Reply<Boolean> exists = exists(run.machine, pending);
      if (!exists.ok()) {
        return failed(run, null, exists.problem().message());
      }
      if (exists.value()) {
        // An earlier run sent it and stopped before it could record the answer.
        run.accepted(pending, pending);
        return adopt(run, pending);
      }
    }
    // The id is chosen here and recorded before sending, so whatever happens next, a later run
    // can ask the server whether this job exists instead of sending it again.
    String jobId = pending != null ? pending : UUID.randomUUID().toString();
    run.choose(jobId, runTag);
    ObjectNode body = body(run.job.json(), jobId, runTag);
    Reply<String> accepted =
        rt.stopIf(
            rt.retry.sendOnce(
                run.machine, jobId, () -> rt.client.submit(body), () -> rt.abortion() != null));
    if (!accepted.ok()) {
      return failed(run, null, accepted.problem().message());
    }
    run.accepted(accepted.value(), jobId);
    rt.events.submitted(run.machine, accepted.value(), /* reused= */ false);
    return run.attachmentsPending()
        ? deliverAttachments(run, accepted.value())
        : new Submission(run.machine, accepted.value(), null);
  }

  private Submission adopt(MachineRun run, String jobId) throws IOException, InterruptedException {
    rt.events.submitted(run.machine, jobId, /* reused= */ true);
    return run.attachmentsPending() && run.job != null
        ? deliverAttachments(run, jobId)
        : new Submission(run.machine, jobId, null);
  }

  /**
   * What is sent for {@code job}: a copy with the id chosen for it and the run's tag among its
   * tags, by which a run finds its own jobs; reservations are sent the same way.
   */
  static ObjectNode body(ObjectNode job, String jobId, String runTag) {
    ObjectNode body = job.deepCopy();
    body.put("job_id", jobId);
    JsonNode tags = body.get("tags");
    ArrayNode list = tags instanceof ArrayNode array ? array : body.putArray("tags");
    list.add(runTag);
    return body;
  }

  /** Whether the server has the job, asking again while the answer may be passing trouble. */
  private Reply<Boolean> exists(String machine, String jobId) throws InterruptedException {
    Reply<Boolean> reply = rt.call(machine, () -> rt.client.job(jobId).isPresent());
    return reply;
  }

  /**
   * Uploads a submitted job's attachments, retrying what may be passing trouble. When the upload
   * finally fails the job is cancelled: without its attachments it would wait forever.
   */
  private Submission deliverAttachments(MachineRun run, String jobId)
      throws IOException, InterruptedException {
    Path archive = archives.archive(run.job.attachments());
    Reply<Void> upload =
        rt.call(
            run.machine,
            () -> {
              rt.client.uploadAttachments(jobId, archive);
              return null;
            });
    if (upload.ok()) {
      run.attachmentsDelivered();
      return new Submission(run.machine, jobId, null);
    }
    rt.cancelQuietly(jobId);
    run.attachmentsDelivered();
    return failed(
        run, jobId, "attachments upload failed, job cancelled: " + upload.problem().message());
  }

  private Submission failed(MachineRun run, String jobId, String reason) throws IOException {
    run.error(jobId, reason);
    rt.events.submitFailed(run.machine, reason);
    return new Submission(run.machine, jobId, reason);
  }
}
