package io.tfleet.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One machine's job: the template text with its id in place, that text parsed into the JSON job to
 * submit (attachments already naming their agent paths), and the local files to upload with it.
 */
public record RenderedJob(
    MachineId machine, String yaml, ObjectNode json, List<Attachment> attachments) {
  public RenderedJob {
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(yaml, "yaml");
    Objects.requireNonNull(json, "json");
    attachments = List.copyOf(attachments);
  }

  /** The queue the job asks for; a rendered job always has one. */
  public String queue() {
    return json.get("job_queue").asText();
  }
}
