package io.tfleet.lab;

import static io.tfleet.lab.Response.message;
import static io.tfleet.lab.Response.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code POST /v1/job/<id>/attachments}: a job's archive, streamed to disk and unpacked for its
 * machine.
 */
final class AttachmentsEndpoint {
  private final Machines machines;
  private final Path uploads;

  /**
   * @param uploads where archives are written while they arrive; made on first use
   */
  AttachmentsEndpoint(Machines machines, Path uploads) {
    this.machines = machines;
    this.uploads = uploads;
  }

  Response postAttachments(Request r, String id, LabJob job) throws IOException {
    if (job == null || !job.attachmentsExpected) {
      return text(422, "Job " + id + " is not valid\n");
    }
    if (job.attachmentsReceived()) {
      return text(200, "OK");
    }
    String boundary = Multipart.boundary(r.header("Content-Type"));
    if (boundary == null) {
      return message(400, "Expected a multipart/form-data body with a boundary");
    }
    Files.createDirectories(uploads);
    Path upload = Files.createTempFile(uploads, "attachments-", ".tar.gz");
    try {
      // Streamed to disk: archives can be far larger than we want on the heap.
      if (!Multipart.copyField(r.body(), boundary, "file", upload)) {
        return message(400, "The form has no file field");
      }
      synchronized (job.uploadLock) {
        if (!job.attachmentsReceived()) {
          Path dest = machines.workDir(job).resolve("attachments");
          try {
            Archives.unpack(upload, dest);
          } catch (Archives.BadArchiveException e) {
            // Upstream stores any blob and its agent fails later; refusing it here tells the
            // client at once, and the job keeps waiting for a good archive.
            Scratch.deleteTree(dest);
            return message(400, e.getMessage());
          }
          job.attachmentsArrived();
        }
      }
      machines.ready(job);
      return text(200, "OK");
    } catch (Multipart.MalformedException e) {
      return message(400, e.getMessage());
    } finally {
      Files.deleteIfExists(upload);
    }
  }
}
