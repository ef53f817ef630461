package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import io.tfleet.testing.TfleetProcess;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tfleet lab} as a person runs it: a process that serves a job to the end and stops on
 * Ctrl-C.
 */
class LabProcessIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final Pattern URL = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

  @TempDir Path dir;

  @Test
  void labServesAJobSubmittedByHandToCompleteAndStopsOnCtrlC() throws Exception {
    TfleetProcess lab =
        TfleetProcess.start(
            dir, Map.of(), List.of(), "lab", "--port", "0", "--phase-seconds", "0.05");
    try {
      Await.until(
          "the lab's URL",
          LIMIT,
          () -> {
            try {
              return URL.matcher(lab.outSoFar()).find();
            } catch (java.io.IOException e) {
              return false;
            }
          });
      Matcher m = URL.matcher(lab.outSoFar());
      assertThat(m.find()).isTrue();
      URI url = URI.create(m.group(1));

      HttpResponse<String> submitted =
          LabHttp.postJson(
              url,
              "/v1/job",
              "{\"job_queue\": \"m1\", \"test_data\": {\"test_cmds\": \"echo hello from $DEVICE_IP; exit 4\"}}");
      assertThat(submitted.statusCode()).isEqualTo(200);
      String id = LabHttp.json(submitted.body()).path("job_id").asText();
      Await.until("the job complete", LIMIT, () -> "complete".equals(LabHttp.state(url, id)));
      var result = LabHttp.json(LabHttp.get(url, "/v1/result/" + id).body());
      assertThat(result.path("test_output").asText()).isEqualTo("hello from 127.0.0.1\n");
      assertThat(result.path("test_status").asInt()).isEqualTo(4);

      new ProcessBuilder("kill", "-INT", Long.toString(lab.process().pid())).start().waitFor();
      TfleetProcess.Result stopped = lab.await(LIMIT);
      assertThat(stopped.exitCode()).as(stopped.toString()).isIn(0, 130);
      assertThat(stopped.err()).doesNotContain("Exception");
    } finally {
      lab.process().destroyForcibly();
    }
  }
}
