package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tfleet.lab.RecordedWorld.Allowed;
import io.tfleet.lab.RecordedWorld.Wait;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every call recorded against the upstream server, in order, against a lab set up like the
 * recorded world, and holds each answer to the recorded one: the same status, the same media type,
 * and a body of the same shape (see {@link ReplayShapes}).
 */
class UpstreamReplayTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static Stream<RecordedWorld> worlds() {
    return Stream.of(RecordedWorlds.basics(), RecordedWorlds.debugging());
  }

  static Optional<JsonNode> recording(String recording) throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(recording);
      if (Files.isRegularFile(candidate)) {
        return Optional.of(LabHttp.JSON.readTree(candidate.toFile()));
      }
    }
    return Optional.empty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("worlds")
  void everyRecordedCallGetsTheRecordedAnswer(RecordedWorld world) throws Exception {
    JsonNode recording = recording(world.recording()).orElse(null);
    Assumptions.assumeTrue(
        recording != null,
        "SKIPPED: the replay needs "
            + world.recording()
            + " in a parent folder of "
            + System.getProperty("user.dir")
            + " and found none");

    List<String> failures = new ArrayList<>();
    Set<Allowed> used = new HashSet<>();
    try (Lab lab = Lab.start(world.config())) {
      LabHttp http = new LabHttp(lab);
      world.before().accept(http);
      Map<String, String> ids = new HashMap<>();
      world.chosenIds().forEach(role -> ids.put(role, UUID.randomUUID().toString()));
      int n = 0;
      for (JsonNode exchange : recording.get("exchanges")) {
        String name = exchange.get("name").asText();
        Wait wait = world.waits().get(name);
        if (wait != null) {
          String id = require(ids.get(wait.role()), name);
          Await.until(
              "job " + wait.role() + " " + wait.what(),
              DEADLINE,
              () -> wait.reached().test(http.result(id)));
        }
        HttpResponse<byte[]> response = send(lab, world, exchange, name, ids);
        String handedOut = world.handsOut().get(name);
        if (handedOut != null && response.statusCode() == 200) {
          ids.put(handedOut, LabHttp.JSON.readTree(response.body()).get("job_id").asText());
        }
        Set<String> differences = new LinkedHashSet<>(ReplayShapes.differences(exchange, response));
        for (Allowed allowed : world.allowed()) {
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
      for (String role : world.cancelAfter()) {
        if (ids.get(role) != null) {
          http.cancel(ids.get(role));
        }
      }
      Await.idle(lab);
    }
    assertThat(failures).as("calls whose answer differs from the recording").isEmpty();
    for (Allowed allowed : world.allowed()) {
      assertThat(used)
          .as("allowed difference no longer needed, remove it: " + allowed)
          .contains(allowed);
    }
  }

  @Test
  void shapesDifferWhenKeysTypesOrListItemsDiffer() {
    JsonNode recorded = LabHttp.json("{\"a\": 1, \"b\": [{\"c\": \"x\"}], \"d\": {}}");

    assertThat(ReplayShapes.shape(recorded, LabHttp.json("{\"a\": 2, \"b\": [], \"d\": {}}")))
        .isEmpty();
    assertThat(
            ReplayShapes.shape(
                recorded,
                LabHttp.json("{\"a\": 2, \"b\": [{\"c\": \"y\"}, {\"c\": \"z\"}], \"d\": {}}")))
        .isEmpty();
    assertThat(ReplayShapes.shape(recorded, LabHttp.json("{\"a\": \"2\", \"b\": [], \"d\": {}}")))
        .containsExactly("$.a: string, recorded number");
    assertThat(
            ReplayShapes.shape(
                recorded, LabHttp.json("{\"a\": 2, \"b\": [{\"c\": \"y\"}, {}], \"d\": {}}")))
        .containsExactly("$.b[*].c: missing key");
    assertThat(
            ReplayShapes.shape(recorded, LabHttp.json("{\"a\": 2, \"b\": [], \"d\": {\"e\": 1}}")))
        .containsExactly("$.d.e: unexpected key");
    assertThat(ReplayShapes.shape(recorded, LabHttp.json("[]")))
        .containsExactly("$: array, recorded object");
  }

  private HttpResponse<byte[]> send(
      Lab lab, RecordedWorld world, JsonNode exchange, String name, Map<String, String> ids)
      throws IOException, InterruptedException {
    JsonNode request = exchange.get("request");
    String id = id(world, name, ids);
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
    world.headers().getOrDefault(name, Map.of()).forEach(builder::header);
    String method = request.get("method").asText();
    JsonNode body = request.get("body");
    if (world.uploads().contains(name)) {
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

  private static String id(RecordedWorld world, String name, Map<String, String> ids) {
    String role = world.roles().get(name);
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
}
