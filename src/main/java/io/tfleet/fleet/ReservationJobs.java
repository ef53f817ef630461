package io.tfleet.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tfleet.client.ReserveData;
import io.tfleet.job.Attachments;
import io.tfleet.job.InputException;
import io.tfleet.store.MachineFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The job of a reservation: shaped from the machine's run job, read from and written as YAML. */
public final class ReservationJobs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new YAMLMapper();

  private ReservationJobs() {}

  /**
   * The job that reserves {@code machine}: {@code runJob} (the machine's job as its folder's {@code
   * job.yaml} has it) without {@code test_data}, as a reservation does not run the test again, and
   * with {@code data} as its {@code reserve_data}; without a run job, {@code {job_queue: MACHINE,
   * reserve_data}}, which reserves the machine as it stands (the agent skips a phase without data).
   *
   * @throws InputException when the run job has no queue, or has attachments outside its test
   *     (reserving does not upload files)
   */
  public static ObjectNode job(String machine, ObjectNode runJob, ReserveData data)
      throws InputException {
    ObjectNode job;
    if (runJob == null) {
      job = JSON.createObjectNode().put("job_queue", machine);
    } else {
      job = runJob.deepCopy();
      job.remove(List.of("test_data", "job_id"));
      JsonNode queue = job.get("job_queue");
      if (queue == null || !queue.isTextual() || queue.asText().isBlank()) {
        throw new InputException(machine + ": its " + MachineFolder.JOB_YAML + " has no job_queue");
      }
      for (String phase : Attachments.PHASES) {
        if (!job.path(phase + "_data").path("attachments").isEmpty()) {
          throw new InputException(
              machine
                  + ": its job's "
                  + phase
                  + "_data has attachments, which tfleet reserve does not upload");
        }
      }
    }
    return data.applyTo(job);
  }

  /** The machine's current job as its {@code job.yaml} has it; empty without one. */
  static Optional<ObjectNode> current(MachineFolder folder) throws InputException {
    Path file = folder.dir().resolve(MachineFolder.JOB_YAML);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode node = YAML.readTree(file.toFile());
      if (node instanceof ObjectNode job) {
        return Optional.of(job);
      }
      throw new InputException(file + ": not a job (a YAML mapping)");
    } catch (IOException e) {
      throw new InputException(
          file + ": cannot be read: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** Whether the machine's current job is a reservation. */
  static boolean isReservation(MachineFolder folder) {
    try {
      return current(folder).map(j -> j.has("reserve_data")).orElse(false);
    } catch (InputException e) {
      return false;
    }
  }

  /** The job as its machine folder's {@code job.yaml} keeps it. */
  static String yaml(ObjectNode job) throws JsonProcessingException {
    return YAML.writeValueAsString(job);
  }
}
