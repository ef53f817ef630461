package io.tfleet.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** One machine's job: the template text with its id in place, and that text parsed into the JSON job. */
public record RenderedJob(MachineId machine, String yaml, ObjectNode json) {
  public RenderedJob {
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(yaml, "yaml");
    Objects.requireNonNull(json, "json");
  }

  /** The queue the job asks for; a rendered job always has one. */
  public String queue() {
    return json.get("job_queue").asText();
  }
}
