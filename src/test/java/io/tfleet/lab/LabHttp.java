package io.tfleet.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small client for tests: real HTTP over loopback to a lab. */
final class LabHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String token;

  LabHttp(Lab lab) {
    this.base = lab.url();
  }

  /** Sends {@code Authorization: Bearer <token>} from now on; null stops it. */
  LabHttp bearer(String token) {
    this.token = token;
    return this;
  }

  HttpResponse<String> get(String path) {
    return send(request(path).GET().build());
  }

  HttpResponse<String> post(String path, String contentType, byte[] body) {
    return send(
        request(path)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build());
  }

  HttpResponse<String> postJson(String path, String body) {
    return post(path, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<String> postJson(String path, JsonNode body) {
    return postJson(path, body.toString());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  java.util.concurrent.CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  /** Submits the job and returns its id; fails unless the lab answers 200. */
  String submit(ObjectNode job) {
    HttpResponse<String> response = postJson("/v1/job", job);
    if (response.statusCode() != 200) {
      throw new AssertionError("submit answered " + response.statusCode() + ": " + response.body());
    }
    return json(response).get("job_id").asText();
  }

  JsonNode result(String id) {
    HttpResponse<String> response = get("/v1/result/" + id);
    if (response.statusCode() != 200) {
      throw new AssertionError("result answered " + response.statusCode() + ": " + response.body());
    }
    return json(response);
  }

  String state(String id) {
    return result(id).path("job_state").asText();
  }

  HttpResponse<String> cancel(String id) {
    return postJson("/v1/job/" + id + "/action", "{\"action\": \"cancel\"}");
  }

  static JsonNode json(HttpResponse<String> response) {
    return json(response.body());
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /** A job on the queue running the commands (none when null). */
  static ObjectNode job(String queue, String testCmds) {
    ObjectNode job = JSON.createObjectNode().put("job_queue", queue);
    if (testCmds != null) {
      job.putObject("test_data").put("test_cmds", testCmds);
    }
    return job;
  }
}
