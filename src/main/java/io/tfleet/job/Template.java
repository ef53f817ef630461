package io.tfleet.job;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.List;

/** A Testflinger job template with {@code $CANONICAL_ID} where each machine's id goes. */
public final class Template {
  private static final ObjectMapper YAML = new YAMLMapper();

  private final Path file;
  private final String text;
  private final Path attachmentsRelativeTo;

  private Template(Path file, String text, Path attachmentsRelativeTo) {
    this.file = file;
    this.text = text;
    this.attachmentsRelativeTo = attachmentsRelativeTo;
  }

  /**
   * Reads a template; whether it is a valid job is checked when it is rendered. Attachments' local
   * paths are resolved against {@code attachmentsRelativeTo}.
   */
  public static Template read(Path file, Path attachmentsRelativeTo) throws InputException {
    return new Template(file, MachinesFile.readText(file), attachmentsRelativeTo);
  }

  /** Returns the template's file. */
  public Path file() {
    return file;
  }

  /**
   * Replaces the placeholder textually, as the original script does, then parses the YAML, so the
   * id can stand anywhere (in a string, a key, a comment).
   */
  public RenderedJob render(MachineId machine) throws InputException {
    String yaml =
        text.replace("${CANONICAL_ID}", machine.value()).replace("$CANONICAL_ID", machine.value());
    JsonNode node;
    try {
      node = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      int line = where == null ? 0 : where.getLineNr();
      throw InputException.at(file, line, "not valid YAML: " + firstLine(e.getOriginalMessage()));
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      throw InputException.at(file, 0, "is empty; a job needs at least job_queue");
    }
    if (!(node instanceof ObjectNode job)) {
      throw InputException.at(file, 0, "must be a YAML mapping (a job), not a " + kind(node));
    }
    JsonNode queue = job.get("job_queue");
    if (queue == null || queue.isNull()) {
      throw InputException.at(file, 0, "the job has no job_queue");
    }
    if (!queue.isTextual() || queue.asText().isBlank()) {
      throw InputException.at(file, 0, "job_queue must be a non-empty string");
    }
    JsonNode tags = job.get("tags");
    if (tags != null && !(tags.isArray() && allText(tags))) {
      throw InputException.at(file, 0, "tags must be a list of strings");
    }
    List<Attachment> attachments = Attachments.extract(job, attachmentsRelativeTo, file);
    return new RenderedJob(machine, yaml, job, attachments);
  }

  private static boolean allText(JsonNode array) {
    for (JsonNode item : array) {
      if (!item.isTextual()) {
        return false;
      }
    }
    return true;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "parse error";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }

  private static String kind(JsonNode node) {
    return node.isArray() ? "list" : node.isTextual() ? "string" : node.getNodeType().name().toLowerCase();
  }
}
