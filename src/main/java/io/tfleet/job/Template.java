package io.tfleet.job;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** A Testflinger job template with {@code $CANONICAL_ID} where each machine's id goes. */
public final class Template {
  private static final ObjectMapper YAML = new YAMLMapper();

  /** The placeholder each machine's id replaces. */
  public static final String MACHINE_VARIABLE = "CANONICAL_ID";

  /**
   * Names that look like placeholders but are meant for the machine's shell: Testflinger agents set
   * {@code DEVICE_IP} for test commands.
   */
  private static final Set<String> AGENT_VARIABLES = Set.of("DEVICE_IP");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)\\}?");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

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
    return read(file, attachmentsRelativeTo, Map.of());
  }

  /**
   * Reads a template and replaces {@code $NAME} and {@code ${NAME}} by each variable's value, as
   * {@code --var NAME=VALUE} asks; the machine id is put in place later, per machine.
   */
  public static Template read(Path file, Path attachmentsRelativeTo, Map<String, String> variables)
      throws InputException {
    String text = MachinesFile.readText(file);
    for (Map.Entry<String, String> variable : variables.entrySet()) {
      String name = variable.getKey();
      if (!NAME.matcher(name).matches() || name.equals(MACHINE_VARIABLE)) {
        throw new InputException("--var " + name + ": not a name that can be set");
      }
      text = substitute(text, name, variable.getValue());
    }
    return new Template(file, text, attachmentsRelativeTo);
  }

  /**
   * SHA-256 of the template with the variables put in (hex): two runs whose jobs differ only by
   * machine id have the same digest.
   */
  public String digest() {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Placeholders left in the template that nothing will replace, so they reach the machine as
   * written; the caller warns about them.
   */
  public Set<String> unknownPlaceholders() {
    Set<String> names = new TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      String name = m.group(1);
      if (!name.equals(MACHINE_VARIABLE) && !AGENT_VARIABLES.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  /** Replaces {@code ${name}}, and {@code $name} where no longer name goes on. */
  private static String substitute(String text, String name, String value) {
    String braced = text.replace("${" + name + "}", value);
    return Pattern.compile("\\$" + Pattern.quote(name) + "(?![A-Za-z0-9_])")
        .matcher(braced)
        .replaceAll(Matcher.quoteReplacement(value));
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
    // Plain text replacement, as the original script does, so $CANONICAL_ID_X becomes <id>_X too.
    String yaml =
        text.replace("${" + MACHINE_VARIABLE + "}", machine.value())
            .replace("$" + MACHINE_VARIABLE, machine.value());
    JsonNode node;
    try {
      node = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw yamlError(e, yaml);
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

  /**
   * Says where the YAML is wrong and why, as the parser found it: {@code tf-job.yaml:4:3: not valid
   * YAML: expected ',' or ']', but got <block mapping start>}, what it was reading and where that
   * started, then the line itself with a caret under the column.
   */
  private InputException yamlError(JsonProcessingException e, String yaml) {
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      Mark at = marked.getProblemMark();
      StringBuilder message =
          new StringBuilder()
              .append(file)
              .append(':')
              .append(at.getLine() + 1)
              .append(':')
              .append(at.getColumn() + 1)
              .append(": not valid YAML: ")
              .append(marked.getProblem());
      Mark started = marked.getContextMark();
      if (marked.getContext() != null) {
        message.append(" (").append(marked.getContext());
        if (started != null) {
          message
              .append(" at line ")
              .append(started.getLine() + 1)
              .append(", column ")
              .append(started.getColumn() + 1);
        }
        message.append(')');
      }
      String[] lines = yaml.split("\n", -1);
      if (at.getLine() < lines.length) {
        String line = lines[at.getLine()].replace('\t', ' ');
        message
            .append("\n  ")
            .append(line)
            .append("\n  ")
            .append(" ".repeat(Math.min(at.getColumn(), line.length())))
            .append('^');
      }
      return new InputException(message.toString());
    }
    JsonLocation where = e.getLocation();
    int line = where == null ? 0 : where.getLineNr();
    return InputException.at(file, line, "not valid YAML: " + firstLine(e.getOriginalMessage()));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "parse error";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }

  private static String kind(JsonNode node) {
    return node.isArray()
        ? "list"
        : node.isTextual() ? "string" : node.getNodeType().name().toLowerCase();
  }
}
