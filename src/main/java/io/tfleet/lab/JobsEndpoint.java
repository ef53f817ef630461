package io.tfleet.lab;

import static io.tfleet.lab.Request.MAX_JSON_BYTES;
import static io.tfleet.lab.Response.array;
import static io.tfleet.lab.Response.empty;
import static io.tfleet.lab.Response.invalidJobId;
import static io.tfleet.lab.Response.json;
import static io.tfleet.lab.Response.message;
import static io.tfleet.lab.Response.object;
import static io.tfleet.lab.Response.text;
import static io.tfleet.lab.Response.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /v1/job}: submitting a job (checked as upstream's schema does), reading, cancelling,
 * searching.
 */
final class JobsEndpoint {
  /** The states search accepts; upstream's list lacks waiting, running and complete. */
  private static final List<String> SEARCH_STATES =
      List.of(
          "setup",
          "provision",
          "firmware_update",
          "test",
          "allocate",
          "allocated",
          "reserve",
          "cleanup",
          "cancelled",
          "completed",
          "active");

  private final JobStore store;
  private final Machines machines;

  JobsEndpoint(JobStore store, Machines machines) {
    this.store = store;
    this.machines = machines;
  }

  Response submitJob(Request r) throws IOException {
    byte[] body = r.body().readNBytes(MAX_JSON_BYTES + 1);
    if (body.length > MAX_JSON_BYTES) {
      return message(413, "Request body too large");
    }
    JsonNode node = Request.parse(body);
    if (node == null) {
      // Flask sees no JSON at all, so the schema finds the required field missing.
      return validation("json", Map.of("job_queue", List.of("Missing data for required field.")));
    }
    if (!node.isObject()) {
      return validation("json", Map.of("_schema", List.of("Invalid input type.")));
    }
    ObjectNode job = (ObjectNode) node;
    Map<String, Object> errors = new LinkedHashMap<>();
    JsonNode queue = job.get("job_queue");
    if (queue == null) {
      errors.put("job_queue", List.of("Missing data for required field."));
    } else if (queue.isNull()) {
      errors.put("job_queue", List.of("Field may not be null."));
    } else if (!queue.isTextual()) {
      errors.put("job_queue", List.of("Not a valid string."));
    } else if (queue.asText().isEmpty()) {
      errors.put("job_queue", List.of("Shorter than minimum length 1."));
    }
    JsonNode priority = job.get("job_priority");
    if (priority != null && !(priority.isIntegralNumber() && priority.canConvertToInt())) {
      errors.put("job_priority", List.of("Not a valid integer."));
    }
    List<String> tags = new ArrayList<>();
    JsonNode tagsNode = job.get("tags");
    if (tagsNode != null) {
      if (!tagsNode.isArray()) {
        errors.put("tags", List.of("Not a valid list."));
      } else {
        Map<String, Object> itemErrors = new LinkedHashMap<>();
        for (int i = 0; i < tagsNode.size(); i++) {
          if (tagsNode.get(i).isTextual()) {
            tags.add(tagsNode.get(i).asText());
          } else {
            itemErrors.put(String.valueOf(i), List.of("Not a valid string."));
          }
        }
        if (!itemErrors.isEmpty()) {
          errors.put("tags", itemErrors);
        }
      }
    }
    String testCmds = null;
    JsonNode testData = job.get("test_data");
    if (testData != null && !testData.isNull()) {
      if (!testData.isObject()) {
        errors.put("test_data", Map.of("_schema", List.of("Invalid input type.")));
      } else {
        JsonNode cmds = testData.get("test_cmds");
        if (cmds != null && !cmds.isNull()) {
          testCmds = commands(cmds);
          if (testCmds == null) {
            errors.put("test_data", Map.of("test_cmds", List.of("Not a valid string.")));
          }
        }
      }
    }
    Map<String, Object> reserveProblems = Reservation.problems(job.get("reserve_data"));
    if (!reserveProblems.isEmpty()) {
      errors.put("reserve_data", reserveProblems);
    }
    JsonNode jobId = job.get("job_id");
    if (jobId != null && !jobId.isNull() && !jobId.isTextual()) {
      errors.put("job_id", List.of("Not a valid string."));
    }
    if (!errors.isEmpty()) {
      return validation("json", errors);
    }
    String id =
        jobId == null || jobId.isNull()
            ? UUID.randomUUID().toString()
            : Request.jobId(jobId.asText());
    if (id == null) {
      return invalidJobId();
    }
    ObjectNode definition = job.deepCopy();
    definition.remove("job_id");
    long seq = store.nextSeq();
    LabJob labJob =
        new LabJob(
            id,
            seq,
            queue.asText(),
            priority == null ? 0 : priority.asInt(),
            Set.copyOf(tags),
            Instant.now(),
            definition,
            testCmds,
            hasAttachments(job),
            machines.outputs(seq, id));
    // Upstream does not dedupe a client's job_id: a second post is a second job. The id then
    // answers for the newest one, and an older one that had not started will never run.
    LabJob replaced = store.add(labJob);
    if (replaced != null) {
      machines.drop(replaced);
    }
    machines.submit(labJob);
    ObjectNode answer = object().put("job_id", id);
    return json(200, answer);
  }

  /** test_cmds is a string upstream; a list of lines is accepted too, joined by newlines. */
  private static String commands(JsonNode cmds) {
    if (cmds.isTextual()) {
      return cmds.asText();
    }
    if (!cmds.isArray()) {
      return null;
    }
    List<String> lines = new ArrayList<>();
    for (JsonNode line : cmds) {
      if (!line.isTextual()) {
        return null;
      }
      lines.add(line.asText());
    }
    return String.join("\n", lines);
  }

  /** As upstream: any {@code <phase>_data} with a non-empty attachments list. */
  private static boolean hasAttachments(ObjectNode job) {
    for (Map.Entry<String, JsonNode> field : job.properties()) {
      if (field.getKey().endsWith("_data") && field.getValue().isObject()) {
        JsonNode attachments = field.getValue().get("attachments");
        if (attachments != null && attachments.isArray() && !attachments.isEmpty()) {
          return true;
        }
      }
    }
    return false;
  }

  Response getJob(Request r, String id, LabJob job) {
    return job == null ? empty() : json(200, job.definitionView());
  }

  Response postAction(Request r) throws IOException {
    String id = r.jobId(0);
    if (id == null) {
      return text(400, "Invalid job id");
    }
    JsonNode body = r.json(MAX_JSON_BYTES);
    JsonNode action = body == null || !body.isObject() ? null : body.get("action");
    if (action == null) {
      return validation("json", Map.of("action", List.of("Missing data for required field.")));
    }
    if (!"cancel".equals(action.asText(null))) {
      return validation("json", Map.of("action", List.of("Must be one of: cancel.")));
    }
    LabJob job = store.get(id);
    LabJob.Cancel outcome = job == null ? LabJob.Cancel.REFUSED : job.cancel();
    switch (outcome) {
      case WAS_WAITING:
        machines.cancelled(job);
        return text(200, "OK");
      case WAS_RUNNING:
        // A reservation holds its machine until it is let go; other phases stop at their end.
        machines.interrupt(job);
        return text(200, "OK");
      default:
        return text(400, "The job is already completed or cancelled");
    }
  }

  Response getPosition(Request r, String id, LabJob job) {
    int position = job == null ? -1 : machines.position(job);
    if (position < 0) {
      return text(410, "Job not found or already started");
    }
    return text(200, String.valueOf(position));
  }

  Response searchJobs(Request r) {
    List<String> tags = r.query().getOrDefault("tags", List.of());
    String match = r.first("match") == null ? "any" : r.first("match");
    List<String> states = r.query().getOrDefault("state", List.of());
    Map<String, Object> errors = new LinkedHashMap<>();
    if (!match.equals("any") && !match.equals("all")) {
      errors.put("match", List.of("Must be one of: any, all."));
    }
    Map<String, Object> stateErrors = new LinkedHashMap<>();
    for (int i = 0; i < states.size(); i++) {
      if (!SEARCH_STATES.contains(states.get(i))) {
        stateErrors.put(
            String.valueOf(i),
            List.of("Must be one of: " + String.join(", ", SEARCH_STATES) + "."));
      }
    }
    if (!stateErrors.isEmpty()) {
      errors.put("state", stateErrors);
    }
    if (!errors.isEmpty()) {
      return validation("query", errors);
    }
    boolean all = match.equals("all");
    ArrayNode found = array();
    for (LabJob job : store.all()) {
      if (!tags.isEmpty()
          && (all ? !job.tags.containsAll(tags) : tags.stream().noneMatch(job.tags::contains))) {
        continue;
      }
      String state = job.state();
      if (!states.isEmpty()
          && !states.contains(state)
          && !(states.contains("active") && !LabJob.TERMINAL.contains(state))) {
        continue;
      }
      found.add(job.summary());
    }
    // A bare array, as the real handler answers, whatever its OpenAPI spec says.
    return json(200, found);
  }
}
