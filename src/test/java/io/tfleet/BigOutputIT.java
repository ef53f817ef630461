package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tfleet.lab.OutputPattern;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import io.tfleet.testing.TfleetProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lab process with a 64 MB heap keeps and serves a 200 MB test output, whole and exact, to
 * several readers at once: outputs live in files and answers stream them.
 */
@Order(2) // among the longest: started first (docs/development.md)
class BigOutputIT {
  private static final Duration LIMIT = Duration.ofSeconds(120);
  private static final Pattern URL = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
  private static final long SIZE = 200L * 1024 * 1024;
  private static final String STATUS_LINE = "{\"status\": \"Certified\"}\n";

  /** The test's side holds a 200 MB string once; the lab's side must not. */
  private static final ObjectMapper BIG =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
              .build());

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void aLabWithA64MbHeapServesA200MbOutputWholeToSeveralReadersAtOnce() throws Exception {
    TfleetProcess lab =
        TfleetProcess.start(
            dir, Map.of(), List.of("-Xmx64m"), "lab", "--port", "0", "--phase-seconds", "0");
    try {
      URI url = url(lab);
      String cmds = "echo '{\"status\": \"Certified\"}'; " + OutputPattern.command(SIZE);
      HttpResponse<String> submitted =
          LabHttp.postJson(url, "/v1/job", LabHttp.job("big", cmds).toString());
      assertThat(submitted.statusCode()).isEqualTo(200);
      String id = LabHttp.json(submitted.body()).path("job_id").asText();
      // The queue's job list says the state without carrying the output.
      Await.until("the job complete", LIMIT, () -> "complete".equals(queuedState(url)));

      // Four readers at once, each answer streamed from the same files.
      List<CompletableFuture<byte[]>> digests = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        digests.add(CompletableFuture.supplyAsync(() -> rawDigest(url, "/v1/result/" + id)));
      }
      JsonNode result = read(url, "/v1/result/" + id);
      JsonNode log = read(url, "/v1/result/" + id + "/log/output?phase=test");

      String expected = OutputPattern.sha256(STATUS_LINE, SIZE);
      assertThat(result.path("test_status").asInt()).isZero();
      assertThat(result.path("job_state").asText()).isEqualTo("complete");
      assertThat(utf8Length(result.path("test_output").asText()))
          .isEqualTo(STATUS_LINE.length() + SIZE);
      assertThat(sha256(result.path("test_output").asText())).isEqualTo(expected);
      assertThat(sha256(log.at("/output/test/log_data").asText())).isEqualTo(expected);
      byte[] first = digests.get(0).join();
      for (CompletableFuture<byte[]> digest : digests) {
        assertThat(digest.join()).isEqualTo(first);
      }
      assertThat(lab.process().isAlive()).as("the lab still serves").isTrue();
      assertThat(lab.errSoFar()).doesNotContain("OutOfMemoryError").doesNotContain("Exception");
    } finally {
      lab.process().destroyForcibly().waitFor();
    }
  }

  private static URI url(TfleetProcess lab) throws IOException {
    Await.until(
        "the lab's URL",
        LIMIT,
        () -> {
          try {
            return URL.matcher(lab.outSoFar()).find();
          } catch (IOException e) {
            return false;
          }
        });
    Matcher m = URL.matcher(lab.outSoFar());
    assertThat(m.find()).isTrue();
    return URI.create(m.group(1));
  }

  private static String queuedState(URI url) {
    try {
      HttpResponse<String> jobs = LabHttp.get(url, "/v1/queues/big/jobs");
      return jobs.statusCode() == 200
          ? LabHttp.json(jobs).path(0).path("job_state").asText()
          : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static JsonNode read(URI url, String path) throws Exception {
    HttpResponse<InputStream> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url + path)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    try (InputStream in = response.body()) {
      return BIG.readTree(in);
    }
  }

  /** The SHA-256 of the answer's bytes, read and dropped as they come. */
  private static byte[] rawDigest(URI url, String path) {
    try {
      HttpResponse<InputStream> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url + path)).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      long total = 0;
      try (InputStream in = response.body()) {
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
          digest.update(buffer, 0, n);
          total += n;
        }
      }
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(total).isGreaterThan(SIZE);
      return digest.digest();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static long utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
