package io.tfleet.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.lab.Lab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Real HTTP over loopback to a lab. An instance drives one lab call after call, with its own client
 * and, when set, a Bearer token; the static calls are one-offs, as a person with curl makes them to
 * a lab another process started.
 */
public final class LabHttp {
  public static final ObjectMapper JSON = new ObjectMapper();

  /** Shared by the static calls. */
  private static final HttpClient CURL = HttpClient.newHttpClient();

  private final URI base;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String token;

  public LabHttp(Lab lab) {
    this(lab.url());
  }

  public LabHttp(URI base) {
    this.base = base;
  }

  /** Sends {@code Authorization: Bearer <token>} from now on; null stops it. */
  public LabHttp bearer(String token) {
    this.token = token;
    return this;
  }

  public HttpResponse<String> get(String path) {
    return send(request(path).GET().build());
  }

  /** {@code GET} the path and keep the body's bytes as sent. */
  public HttpResponse<byte[]> getBytes(String path) {
    try {
      return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public HttpResponse<String> post(String path, String contentType, byte[] body) {
    return send(
        request(path)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build());
  }

  public HttpResponse<String> postJson(String path, String body) {
    return post(path, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  public HttpResponse<String> postJson(String path, JsonNode body) {
    return postJson(path, body.toString());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  public HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  /** Submits the job and returns its id; fails unless the lab answers 200. */
  public String submit(ObjectNode job) {
    HttpResponse<String> response = postJson("/v1/job", job);
    if (response.statusCode() != 200) {
      throw new AssertionError("submit answered " + response.statusCode() + ": " + response.body());
    }
    return json(response).get("job_id").asText();
  }

  public JsonNode result(String id) {
    HttpResponse<String> response = get("/v1/result/" + id);
    if (response.statusCode() != 200) {
      throw new AssertionError("result answered " + response.statusCode() + ": " + response.body());
    }
    return json(response);
  }

  public String state(String id) {
    return result(id).path("job_state").asText();
  }

  public HttpResponse<String> cancel(String id) {
    return postJson("/v1/job/" + id + "/action", "{\"action\": \"cancel\"}");
  }

  public static JsonNode json(HttpResponse<String> response) {
    return json(response.body());
  }

  public static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /** {@code GET} the path, once. */
  public static HttpResponse<String> get(URI lab, String path)
      throws IOException, InterruptedException {
    return CURL.send(
        HttpRequest.newBuilder(URI.create(lab + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code POST} the JSON to the path, once. */
  public static HttpResponse<String> postJson(URI lab, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(lab + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return CURL.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The job's state as the lab reports it, or null when it answers anything but 200. */
  public static String state(URI lab, String jobId) {
    try {
      HttpResponse<String> response = get(lab, "/v1/result/" + jobId);
      return response.statusCode() == 200 ? json(response).path("job_state").asText() : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Cancels the job; fails unless the lab answers 200. */
  public static void cancel(URI lab, String jobId) throws IOException, InterruptedException {
    HttpResponse<String> response =
        postJson(lab, "/v1/job/" + jobId + "/action", "{\"action\": \"cancel\"}");
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "cancel " + jobId + ": " + response.statusCode() + " " + response.body());
    }
  }

  /** A job on the queue running the commands (none when null). */
  public static ObjectNode job(String queue, String testCmds) {
    ObjectNode job = JSON.createObjectNode().put("job_queue", queue);
    if (testCmds != null) {
      job.putObject("test_data").put("test_cmds", testCmds);
    }
    return job;
  }
}
