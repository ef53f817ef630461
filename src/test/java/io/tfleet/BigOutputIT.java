package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tfleet.lab.OutputPattern;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import io.tfleet.testing.TfleetProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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

  /** The test's parser holds a 200 MB string token whole; the lab's side must not. */
  private static final ObjectMapper BIG =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
              .build());

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
      Read result = read(url, "/v1/result/" + id, List.of("test_output"));
      Read log =
          read(
              url,
              "/v1/result/" + id + "/log/output?phase=test",
              List.of("output", "test", "log_data"));

      String expected = OutputPattern.sha256(STATUS_LINE, SIZE);
      assertThat(result.scalars().get("test_status")).isEqualTo("0");
      assertThat(result.scalars().get("job_state")).isEqualTo("complete");
      assertThat(result.utf8Length()).isEqualTo(STATUS_LINE.length() + SIZE);
      assertThat(result.sha256()).isEqualTo(expected);
      assertThat(log.sha256()).isEqualTo(expected);
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

  /** A JSON answer as Jackson reads it: its top-level scalars, and one string by its digest. */
  private record Read(Map<String, String> scalars, long utf8Length, String sha256) {}

  /**
   * Reads the JSON answer at {@code path} with Jackson, token by token: the string at {@code big}
   * (field names from the top) is decoded as {@code readTree} would decode it, but its characters
   * go to a digest as they come instead of into one 200 MB string and its copies.
   */
  private static Read read(URI url, String path, List<String> big) throws Exception {
    Map<String, String> scalars = new LinkedHashMap<>();
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    long[] length = {-1};
    try (InputStream in = open(url, path);
        JsonParser parser = BIG.getFactory().createParser(in)) {
      List<String> at = new ArrayList<>();
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        switch (token) {
          case START_OBJECT, START_ARRAY -> at.add(null);
          case END_OBJECT, END_ARRAY -> at.remove(at.size() - 1);
          case FIELD_NAME -> at.set(at.size() - 1, parser.currentName());
          default -> {
            if (token == JsonToken.VALUE_STRING && at.equals(big)) {
              CountingDigest bytes = new CountingDigest(digest);
              try (Writer text = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
                parser.getText(text);
              }
              length[0] = bytes.count;
            } else if (at.size() == 1) {
              scalars.put(at.get(0), parser.getValueAsString());
            }
          }
        }
      }
    }
    assertThat(length[0]).as("a string at %s in %s", big, path).isNotNegative();
    return new Read(scalars, length[0], HexFormat.of().formatHex(digest.digest()));
  }

  /** Bytes to a digest, counted, kept nowhere. */
  private static final class CountingDigest extends OutputStream {
    private final MessageDigest digest;
    private long count;

    CountingDigest(MessageDigest digest) {
      this.digest = digest;
    }

    @Override
    public void write(int b) {
      digest.update((byte) b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      digest.update(b, off, len);
      count += len;
    }
  }

  /** The answer's body, asserted to be a 200, read straight from the connection. */
  private static InputStream open(URI url, String path) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) URI.create(url + path).toURL().openConnection();
    assertThat(connection.getResponseCode()).as(path).isEqualTo(200);
    return connection.getInputStream();
  }

  /** The SHA-256 of the answer's bytes, read and dropped as they come. */
  private static byte[] rawDigest(URI url, String path) {
    try (InputStream in = open(url, path)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      CountingDigest bytes = new CountingDigest(digest);
      in.transferTo(bytes);
      assertThat(bytes.count).isGreaterThan(SIZE);
      return digest.digest();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
