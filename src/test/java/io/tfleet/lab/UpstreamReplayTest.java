package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Replays every call recorded against the upstream server, in order, against a lab set up like the
 * recorded world, and holds each answer to the recorded one: the same status, the same media type,
 * and a body of the same shape (the same keys at every level, values of the same JSON type).
 */
class UpstreamReplayTest {
  static final String RECORDING = "shared/reference/upstream-exchanges.json";

  /** The recorded world: rec-q1 has a machine; the rest are the other queues it advertised. */
  private static final Set<String> RECORDED_QUEUES =
      Set.of("rec-q1", "rq-01", "rq-02", "rq-03", "rq-04", "rq-05");

  private static final Duration DEADLINE = Duration.ofSeconds(20);

  /**
   * The only differences the lab may show; each is a place in one answer where the recording cannot
   * apply to a simulation. Every entry must still be needed, or the test fails.
   */
  static final List<Allowed> ALLOWED =
      List.of(
          new Allowed(
              "result of a finished job",
              Set.of(
                  "$.setup_output: unexpected key",
                  "$.setup_status: unexpected key",
                  "$.provision_output: unexpected key",
                  "$.provision_status: unexpected key",
                  "$.cleanup_output: unexpected key",
                  "$.cleanup_status: unexpected key",
                  "$.device_info: unexpected key"),
              "the recorded agent used the fake device connector, which runs only the test phase;"
                  + " a lab machine walks setup, provision, test and cleanup and posts device_info,"
                  + " as an agent with a real device does"));

  /** A difference the test tolerates in one exchange, and why. */
  record Allowed(String exchange, Set<String> differences, String reason) {}

  /**
   * Which of the ids in play a request's {@code <uuid>} stands for: a job finished on rec-q1, a job
   * that waits forever on a queue without a machine, a job held for its attachments, or an id
   * nobody has. The recording keeps only placeholders, so this is read from its call names.
   */
  private static final Map<String, String> IDS =
      Map.ofEntries(
          Map.entry("submit with client job_id and tags", "finished"),
          Map.entry("submit a client job_id", "stranded"),
          Map.entry(
              "submit the same client job_id again (accepted: ids are not unique upstream)",
              "stranded"),
          Map.entry("submit with malformed job_id", "none"),
          Map.entry("job by id", "finished"),
          Map.entry("job by unknown uuid", "unknown"),
          Map.entry("result of unknown uuid", "unknown"),
          Map.entry("result of a finished job", "finished"),
          Map.entry("output log of a finished job", "finished"),
          Map.entry("cancel a finished job", "finished"),
          Map.entry("unknown action", "finished"),
          Map.entry("cancel an unknown job", "unknown"),
          Map.entry("result while waiting for attachments", "held"),
          Map.entry("position while waiting for attachments", "held"),
          Map.entry("upload attachments", "held"),
          Map.entry("upload attachments to an unknown job", "unknown"),
          Map.entry("upload attachments to a job that wants none", "finished"),
          Map.entry("position of a waiting job", "stranded"),
          Map.entry("result of a waiting job", "stranded"),
          Map.entry("cancel a waiting job", "stranded"),
          Map.entry("cancel it again", "stranded"),
          Map.entry("result of a cancelled job", "stranded"));

  /** Calls whose answer names the job the lab handed out; later calls use it. */
  private static final Map<String, String> HANDS_OUT = Map.of("submit with attachments", "held");

  /** Calls the recorder made once the job had finished: the replay waits for the same. */
  private static final Map<String, String> AFTER_FINISHING =
      Map.of("result of a finished job", "finished");

  /** Headers the recording leaves out of requests whose names say what they carried. */
  private static final Map<String, Map<String, String>> HEADERS =
      Map.of(
          "token with wrong credentials",
          Map.of(
              "Authorization",
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString("nobody:wrong".getBytes(StandardCharsets.UTF_8))),
          "a bad bearer token on submit",
          Map.of("Authorization", "Bearer not.a.jwt"));

  /** Uploads carry an archive, which the recording does not keep. */
  private static final Set<String> UPLOADS =
      Set.of(
          "upload attachments",
          "upload attachments to an unknown job",
          "upload attachments to a job that wants none");

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static Optional<JsonNode> recording() throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(RECORDING);
      if (Files.isRegularFile(candidate)) {
        return Optional.of(LabHttp.JSON.readTree(candidate.toFile()));
      }
    }
    return Optional.empty();
  }

  @Test
  void everyRecordedCallGetsTheRecordedAnswer() throws Exception {
    JsonNode recording = recording().orElse(null);
    Assumptions.assumeTrue(
        recording != null,
        "SKIPPED: the replay needs "
            + RECORDING
            + " in a parent folder of "
            + System.getProperty("user.dir")
            + " and found none");

    List<String> failures = new ArrayList<>();
    Set<Allowed> used = new HashSet<>();
    try (Lab lab =
        Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO).withQueues(RECORDED_QUEUES))) {
      Map<String, String> ids = new HashMap<>();
      ids.put("finished", UUID.randomUUID().toString());
      ids.put("stranded", UUID.randomUUID().toString());
      int n = 0;
      for (JsonNode exchange : recording.get("exchanges")) {
        String name = exchange.get("name").asText();
        String awaited = AFTER_FINISHING.get(name);
        if (awaited != null) {
          awaitFinished(lab, ids.get(awaited));
        }
        HttpResponse<byte[]> response = send(lab, exchange, name, ids);
        if (HANDS_OUT.containsKey(name) && response.statusCode() == 200) {
          ids.put(
              HANDS_OUT.get(name), LabHttp.JSON.readTree(response.body()).get("job_id").asText());
        }
        Set<String> differences = new LinkedHashSet<>(differences(exchange, response));
        for (Allowed allowed : ALLOWED) {
          if (allowed.exchange().equals(name) && differences.removeAll(allowed.differences())) {
            used.add(allowed);
          }
        }
        if (!differences.isEmpty()) {
          failures.add(
              "#"
                  + n
                  + " "
                  + name
                  + ": "
                  + String.join("; ", differences)
                  + "\n    lab answered "
                  + response.statusCode()
                  + " "
                  + response.headers().firstValue("Content-Type").orElse("(no type)")
                  + " "
                  + new String(response.body(), StandardCharsets.UTF_8));
        }
        n++;
      }
      assertThat(n).as("recorded calls").isGreaterThan(0);
      // The held job waits on a queue without a machine; the replay already cancelled the other.
      cancel(lab, ids.get("held"));
    }
    assertThat(failures).as("calls whose answer differs from the recording").isEmpty();
    for (Allowed allowed : ALLOWED) {
      assertThat(used)
          .as("allowed difference no longer needed, remove it: " + allowed)
          .contains(allowed);
    }
  }

  @Test
  void shapesDifferWhenKeysTypesOrListItemsDiffer() {
    JsonNode recorded = LabHttp.json("{\"a\": 1, \"b\": [{\"c\": \"x\"}], \"d\": {}}");

    assertThat(shape(recorded, LabHttp.json("{\"a\": 2, \"b\": [], \"d\": {}}"))).isEmpty();
    assertThat(
            shape(
                recorded,
                LabHttp.json("{\"a\": 2, \"b\": [{\"c\": \"y\"}, {\"c\": \"z\"}], \"d\": {}}")))
        .isEmpty();
    assertThat(shape(recorded, LabHttp.json("{\"a\": \"2\", \"b\": [], \"d\": {}}")))
        .containsExactly("$.a: string, recorded number");
    assertThat(shape(recorded, LabHttp.json("{\"a\": 2, \"b\": [{\"c\": \"y\"}, {}], \"d\": {}}")))
        .containsExactly("$.b[*].c: missing key");
    assertThat(shape(recorded, LabHttp.json("{\"a\": 2, \"b\": [], \"d\": {\"e\": 1}}")))
        .containsExactly("$.d.e: unexpected key");
    assertThat(shape(recorded, LabHttp.json("[]"))).containsExactly("$: array, recorded object");
  }

  private HttpResponse<byte[]> send(
      Lab lab, JsonNode exchange, String name, Map<String, String> ids)
      throws IOException, InterruptedException {
    JsonNode request = exchange.get("request");
    String id = id(name, ids);
    String path = request.get("path").asText();
    if (path.contains("<uuid>")) {
      path = path.replace("<uuid>", require(id, name));
    }
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(lab.url() + path)).timeout(Duration.ofSeconds(20));
    request
        .path("headers")
        .properties()
        .forEach(h -> builder.header(h.getKey(), h.getValue().asText()));
    HEADERS.getOrDefault(name, Map.of()).forEach(builder::header);
    String method = request.get("method").asText();
    JsonNode body = request.get("body");
    if (UPLOADS.contains(name)) {
      byte[] archive = new Archive().file("test/a.txt", 0644, "attached\n").gzipped();
      builder
          .header("Content-Type", Archive.formType())
          .method(method, HttpRequest.BodyPublishers.ofByteArray(Archive.form(archive)));
    } else if (body != null && !body.isNull()) {
      JsonNode sent = body.deepCopy();
      if (sent.isObject() && "<uuid>".equals(sent.path("job_id").asText())) {
        ((ObjectNode) sent).set("job_id", TextNode.valueOf(require(id, name)));
      }
      builder
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(sent.toString()));
    } else {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String id(String name, Map<String, String> ids) {
    String role = IDS.get(name);
    if (role == null || role.equals("none")) {
      return null;
    }
    return role.equals("unknown") ? UUID.randomUUID().toString() : ids.get(role);
  }

  private static String require(String id, String name) {
    if (id == null) {
      throw new AssertionError("the replay does not know which job '" + name + "' is about");
    }
    return id;
  }

  private void awaitFinished(Lab lab, String id) {
    LabHttp http = new LabHttp(lab);
    Await.until(
        "job " + id + " finished",
        DEADLINE,
        () -> {
          HttpResponse<String> r = http.get("/v1/result/" + id);
          return r.statusCode() == 200
              && LabJob.TERMINAL.contains(LabHttp.json(r).path("job_state").asText());
        });
  }

  private static void cancel(Lab lab, String id) {
    if (id != null) {
      new LabHttp(lab).cancel(id);
    }
  }

  /** How the lab's answer differs from the recorded one; empty when it does not. */
  static List<String> differences(JsonNode exchange, HttpResponse<byte[]> response) {
    List<String> differences = new ArrayList<>();
    int status = exchange.get("status").asInt();
    if (response.statusCode() != status) {
      differences.add("status " + response.statusCode() + ", recorded " + status);
    }
    JsonNode recorded = exchange.get("body");
    byte[] body = response.body();
    if (recorded == null || recorded.isNull()) {
      if (body.length > 0) {
        differences.add("a body, recorded none");
      }
      return differences;
    }
    String recordedType = mediaType(exchange.path("content_type").asText(""));
    String type = mediaType(response.headers().firstValue("Content-Type").orElse(""));
    if (!type.equals(recordedType)) {
      differences.add("content type '" + type + "', recorded '" + recordedType + "'");
    }
    String text = new String(body, StandardCharsets.UTF_8);
    if (recordedType.equals("application/json")) {
      JsonNode actual;
      try {
        actual = LabHttp.JSON.readTree(text);
      } catch (IOException e) {
        differences.add("body is not JSON");
        return differences;
      }
      differences.addAll(shape(recorded, actual == null ? LabHttp.JSON.missingNode() : actual));
    } else if (recorded.isNumber()) {
      // The recorder read a text number, such as a queue position, as a number.
      if (!text.strip().matches("-?[0-9]+")) {
        differences.add("body '" + text + "' is not a number");
      }
    } else if (text.isEmpty() || text.startsWith("{") || text.startsWith("[")) {
      differences.add("body is not plain text");
    }
    return differences;
  }

  private static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .strip()
        .toLowerCase(Locale.ROOT);
  }

  /**
   * Where {@code actual} has another shape than {@code recorded}: keys missing or unexpected,
   * values of another JSON type. Every item of a list must have the shape of the recorded first
   * item; recorded lists were trimmed, so their lengths do not count.
   */
  static List<String> shape(JsonNode recorded, JsonNode actual) {
    List<String> differences = new ArrayList<>();
    shape("$", recorded, actual, differences);
    return differences;
  }

  private static void shape(String path, JsonNode recorded, JsonNode actual, List<String> out) {
    if (recorded.getNodeType() != actual.getNodeType()) {
      out.add(path + ": " + type(actual) + ", recorded " + type(recorded));
      return;
    }
    if (recorded.isObject()) {
      Set<String> keys = new TreeSet<>();
      recorded.fieldNames().forEachRemaining(keys::add);
      actual.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        if (!actual.has(key)) {
          out.add(path + "." + key + ": missing key");
        } else if (!recorded.has(key)) {
          out.add(path + "." + key + ": unexpected key");
        } else {
          shape(path + "." + key, recorded.get(key), actual.get(key), out);
        }
      }
    } else if (recorded.isArray() && !recorded.isEmpty()) {
      Set<String> seen = new LinkedHashSet<>();
      for (Iterator<JsonNode> it = actual.elements(); it.hasNext(); ) {
        List<String> item = new ArrayList<>();
        shape(path + "[*]", recorded.get(0), it.next(), item);
        seen.addAll(item);
      }
      out.addAll(seen);
    }
  }

  private static String type(JsonNode node) {
    JsonNodeType t = node.getNodeType();
    return t == JsonNodeType.MISSING ? "nothing" : t.name().toLowerCase(Locale.ROOT);
  }
}
