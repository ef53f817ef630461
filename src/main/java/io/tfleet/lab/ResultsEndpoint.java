package io.tfleet.lab;

import static io.tfleet.lab.Response.empty;
import static io.tfleet.lab.Response.message;
import static io.tfleet.lab.Response.validation;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/result/<id>}: a job's result, its logs by phase and fragment, and its artifact bundle.
 */
final class ResultsEndpoint {
  Response getResult(Request r, String id, LabJob job) {
    return job == null ? empty() : OutputAnswers.result(job);
  }

  /** The tarball of what the test commands left in {@code artifacts/}; 404 as upstream without. */
  Response getArtifact(Request r, String id, LabJob job) {
    Path archive = job == null ? null : job.artifact();
    if (archive == null) {
      return message(404, "No artifacts tarball found for job " + id);
    }
    return Response.file(200, "application/gzip", archive);
  }

  Response getLog(Request r, String id, LabJob job) {
    String type = r.param(1);
    if (!type.equals("output") && !type.equals("serial")) {
      return message(404, "Not Found");
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
      return validation("query", errors);
    }
    // The lab has no serial console, so serial logs are always empty; an unknown job's log is
    // empty too, answered 200 as upstream does (upstream-debugging-exchanges.json).
    List<OutputStore.Fragment> matched =
        job != null && type.equals("output")
            ? job.fragments(startFragment, startTimestamp, phase)
            : List.of();
    // Upstream lists every phase asked for, an empty one with fragment number -1.
    return OutputAnswers.log(
        type,
        phase == null ? LabJob.ALL_PHASES : List.of(phase),
        matched,
        job == null ? null : job.output());
  }

  private static Instant parseTimestamp(String text) {
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
