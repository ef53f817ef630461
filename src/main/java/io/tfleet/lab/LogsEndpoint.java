package io.tfleet.lab;

import static io.tfleet.lab.Request.MAX_JSON_BYTES;
import static io.tfleet.lab.Response.json;
import static io.tfleet.lab.Response.message;
import static io.tfleet.lab.Response.object;
import static io.tfleet.lab.Response.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/result/<id>/log/<type>}: a job's persistent logs, by phase and fragment, and the
 * agents' posts that add to them. Reading consumes nothing, so any number of clients may follow a
 * job at once.
 */
final class LogsEndpoint {
  /**
   * Flask's page for an exception, which is what upstream answers for a log type it does not know:
   * its route's converter raises a validation error that nothing turns into a 4xx.
   */
  static final String INTERNAL_ERROR_PAGE =
      "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n"
          + "<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was"
          + " unable to complete your request. Either the server is overloaded or there is an error"
          + " in the application.</p>\n";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JobStore store;

  LogsEndpoint(JobStore store) {
    this.store = store;
  }

  /**
   * The log so far: every phase asked for (all of them by default), each with the text of its
   * fragments from {@code start_fragment} on and the highest number among them (-1 for none). An
   * unknown job answers every phase empty, as upstream does.
   */
  Response get(Request r) {
    String type = r.param(1);
    if (!LabJob.LOG_TYPES.contains(type)) {
      return Response.text(500, INTERNAL_ERROR_PAGE);
    }
    String id = r.jobId(0);
    if (id == null) {
      return message(400, "Invalid job id\n");
    }
    Map<String, Object> errors = new LinkedHashMap<>();
    int startFragment = 0;
    String start = r.first("start_fragment");
    if (start != null) {
      try {
        startFragment = Integer.parseInt(start);
        if (startFragment < 0) {
          errors.put("start_fragment", List.of("Must be greater than or equal to 0."));
        }
      } catch (NumberFormatException e) {
        errors.put("start_fragment", List.of("Not a valid integer."));
      }
    }
    Instant startTimestamp = null;
    String timestamp = r.first("start_timestamp");
    if (timestamp != null) {
      startTimestamp = parseTimestamp(timestamp);
      if (startTimestamp == null) {
        errors.put("start_timestamp", List.of("Not a valid datetime."));
      }
    }
    String phase = r.first("phase");
    if (phase != null && !LabJob.ALL_PHASES.contains(phase)) {
      errors.put("phase", List.of("Must be one of: " + String.join(", ", LabJob.ALL_PHASES) + "."));
    }
    if (!errors.isEmpty()) {
      // Upstream loads the query itself and aborts with the schema's messages as the message.
      ObjectNode body = object();
      body.putObject("detail");
      body.set("message", JSON.valueToTree(errors));
      return json(400, body);
    }
    LabJob job = store.get(id);
    List<String> phases = phase == null ? LabJob.ALL_PHASES : List.of(phase);
    if (type.equals("output")) {
      // Streamed from the phases' files: an output of hundreds of MB costs a buffer.
      List<OutputStore.Fragment> matched =
          job == null ? List.of() : job.fragments(startFragment, startTimestamp, phase);
      return OutputAnswers.log(type, phases, matched, job == null ? null : job.output());
    }
    // The serial console: only what agents posted, held in memory.
    Map<String, StringBuilder> text = new LinkedHashMap<>();
    Map<String, Integer> last = new LinkedHashMap<>();
    if (job != null) {
      for (LabJob.Fragment f : job.serialFragments(startFragment, startTimestamp, phase)) {
        text.computeIfAbsent(f.phase(), p -> new StringBuilder()).append(f.text());
        last.merge(f.phase(), f.number(), Math::max);
      }
    }
    ObjectNode answer = object();
    ObjectNode byPhase = answer.putObject(type);
    for (String p : phases) {
      ObjectNode item = byPhase.putObject(p);
      item.put("last_fragment_number", last.getOrDefault(p, -1));
      item.put("log_data", text.getOrDefault(p, new StringBuilder()).toString());
    }
    return json(200, answer);
  }

  /**
   * An agent's fragment: {@code fragment_number}, {@code timestamp}, {@code phase} and {@code
   * log_data}, all required, checked as upstream's schema checks them. A fragment for a job the lab
   * does not have is accepted and kept nowhere: upstream stores it under the id, but a lab job is
   * what its logs hang on.
   */
  Response post(Request r) throws IOException {
    String type = r.param(1);
    if (!LabJob.LOG_TYPES.contains(type)) {
      return Response.text(500, INTERNAL_ERROR_PAGE);
    }
    JsonNode body = r.json(MAX_JSON_BYTES);
    Map<String, Object> errors = new LinkedHashMap<>();
    if (body == null || !body.isObject()) {
      for (String field : List.of("fragment_number", "log_data", "phase", "timestamp")) {
        errors.put(field, List.of("Missing data for required field."));
      }
      return validation("json", errors);
    }
    JsonNode number = body.get("fragment_number");
    if (number == null) {
      errors.put("fragment_number", List.of("Missing data for required field."));
    } else if (!(number.isIntegralNumber() && number.canConvertToInt())) {
      errors.put("fragment_number", List.of("Not a valid integer."));
    }
    JsonNode data = body.get("log_data");
    if (data == null) {
      errors.put("log_data", List.of("Missing data for required field."));
    } else if (!data.isTextual()) {
      errors.put("log_data", List.of("Not a valid string."));
    }
    JsonNode phase = body.get("phase");
    if (phase == null) {
      errors.put("phase", List.of("Missing data for required field."));
    } else if (!LabJob.ALL_PHASES.contains(phase.asText(""))) {
      errors.put("phase", List.of("Must be one of: " + String.join(", ", LabJob.ALL_PHASES) + "."));
    }
    JsonNode when = body.get("timestamp");
    Instant time = when == null || !when.isTextual() ? null : parseTimestamp(when.asText());
    if (when == null) {
      errors.put("timestamp", List.of("Missing data for required field."));
    } else if (time == null) {
      errors.put("timestamp", List.of("Not a valid datetime."));
    }
    if (!errors.isEmpty()) {
      return validation("json", errors);
    }
    String id = r.jobId(0);
    if (id == null) {
      return Response.invalidJobId();
    }
    LabJob job = store.get(id);
    if (job != null) {
      job.postLog(type, new LabJob.Fragment(number.asInt(), time, phase.asText(), data.asText()));
    }
    return Response.text(200, "OK");
  }

  static Instant parseTimestamp(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        // Python's isoformat() without an offset; the server treats it as UTC.
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
