package io.tfleet.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP calls a test makes to a lab, playing a person with curl. */
public final class LabHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private LabHttp() {}

  public static HttpResponse<String> get(URI lab, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(lab + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  public static HttpResponse<String> postJson(URI lab, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(lab + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The job's state as the lab reports it, or null when the lab has no such job. */
  public static String state(URI lab, String jobId) {
    try {
      HttpResponse<String> response = get(lab, "/v1/result/" + jobId);
      return response.statusCode() == 200 ? JSON.readTree(response.body()).path("job_state").asText() : null;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static void cancel(URI lab, String jobId) throws IOException, InterruptedException {
    HttpResponse<String> response = postJson(lab, "/v1/job/" + jobId + "/action", "{\"action\": \"cancel\"}");
    if (response.statusCode() != 200) {
      throw new AssertionError("cancel " + jobId + ": " + response.statusCode() + " " + response.body());
    }
  }

  public static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }
}
