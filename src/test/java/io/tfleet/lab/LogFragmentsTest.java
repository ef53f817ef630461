package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabExtension;
import io.tfleet.testing.LabHttp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Logs by phase and fragment while a job runs, as upstream keeps them and agents post them. */
class LogFragmentsTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @RegisterExtension
  static final LabExtension LAB =
      new LabExtension(LabConfig.defaults().withPhaseTime(Duration.ofMillis(10)));

  private final Lab lab = LAB.lab();
  private final LabHttp http = LAB.http();

  @TempDir Path dir;

  private static String fragment(int number, String phase, String text) {
    return LabHttp.JSON
        .createObjectNode()
        .put("fragment_number", number)
        .put("timestamp", "2026-01-01T00:00:00.000001")
        .put("phase", phase)
        .put("log_data", text)
        .toString();
  }

  /** A command that prints, then waits for the test to let it go on. */
  private String gated(Path gate) {
    return "echo first; while [ ! -f " + gate + " ]; do sleep 0.05; done; echo second";
  }

  @Test
  void runningPhaseShowsItsOutputSoFarInLogsAndResult() throws Exception {
    Path gate = dir.resolve("go");
    String id = http.submit(LabHttp.job("q", gated(gate)));
    Await.until(
        "the first line logged",
        DEADLINE,
        () -> "first\n".equals(http.result(id).path("test_output").asText()));

    JsonNode running = http.result(id);
    assertThat(running.path("job_state").asText()).isEqualTo("test");
    assertThat(running.has("test_status")).isFalse();
    JsonNode test = LabHttp.json(http.get("/v1/result/" + id + "/log/output?phase=test"));
    int last = test.path("output").path("test").path("last_fragment_number").asInt();
    assertThat(test.path("output").path("test").path("log_data").asText()).isEqualTo("first\n");

    Files.writeString(gate, "");
    Await.idle(lab);
    JsonNode rest =
        LabHttp.json(
            http.get("/v1/result/" + id + "/log/output?phase=test&start_fragment=" + (last + 1)));
    assertThat(rest.path("output").path("test").path("log_data").asText()).isEqualTo("second\n");
    assertThat(http.result(id).path("test_output").asText()).isEqualTo("first\nsecond\n");
  }

  @Test
  void agentsPostSerialFragmentsThatReadBackInNumberOrder() {
    String id = http.submit(LabHttp.job("q", "true"));
    Await.idle(lab);

    HttpResponse<String> posted =
        http.postJson("/v1/result/" + id + "/log/serial", fragment(1, "provision", "kernel\n"));
    http.postJson("/v1/result/" + id + "/log/serial", fragment(0, "provision", "U-Boot\n"));

    assertThat(posted.statusCode()).isEqualTo(200);
    assertThat(posted.body()).isEqualTo("OK");
    assertThat(posted.headers().firstValue("Content-Type")).hasValue(Response.TEXT);
    JsonNode serial = LabHttp.json(http.get("/v1/result/" + id + "/log/serial")).path("serial");
    assertThat(serial.path("provision").path("log_data").asText()).isEqualTo("U-Boot\nkernel\n");
    assertThat(serial.path("provision").path("last_fragment_number").asInt()).isEqualTo(1);
    assertThat(serial.path("test").path("last_fragment_number").asInt()).isEqualTo(-1);
    JsonNode later = LabHttp.json(http.get("/v1/result/" + id + "/log/serial?start_fragment=1"));
    assertThat(later.path("serial").path("provision").path("log_data").asText())
        .isEqualTo("kernel\n");
    // The output log is another log: the serial posts are not in it.
    assertThat(
            LabHttp.json(http.get("/v1/result/" + id + "/log/output?phase=provision"))
                .path("output")
                .path("provision")
                .path("log_data")
                .asText())
        .doesNotContain("U-Boot");
  }

  @Test
  void postsAreCheckedAsUpstreamsSchemaChecksThem() {
    String id = http.submit(LabHttp.job("q", "true"));
    Await.idle(lab);

    HttpResponse<String> empty = http.postJson("/v1/result/" + id + "/log/output", "{}");
    assertThat(empty.statusCode()).isEqualTo(422);
    assertThat(LabHttp.json(empty).path("detail").path("json").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("fragment_number", "log_data", "phase", "timestamp");
    HttpResponse<String> badPhase =
        http.postJson("/v1/result/" + id + "/log/output", fragment(0, "lunch", "x"));
    assertThat(badPhase.statusCode()).isEqualTo(422);
    assertThat(
            http.postJson("/v1/result/not-a-uuid/log/output", fragment(0, "test", "x"))
                .statusCode())
        .isEqualTo(400);
    assertThat(
            http.postJson("/v1/result/" + id + "/log/nope", fragment(0, "test", "x")).statusCode())
        .isEqualTo(500);
  }

  @Test
  void readsAnswerAsTheRecordedServerDid() {
    String unknown = UUID.randomUUID().toString();
    JsonNode none = LabHttp.json(http.get("/v1/result/" + unknown + "/log/output"));
    assertThat(none.path("output").fieldNames())
        .toIterable()
        .containsExactlyElementsOf(LabJob.ALL_PHASES);
    none.path("output")
        .forEach(p -> assertThat(p.path("last_fragment_number").asInt()).isEqualTo(-1));

    HttpResponse<String> badPhase = http.get("/v1/result/" + unknown + "/log/output?phase=nope");
    assertThat(badPhase.statusCode()).isEqualTo(400);
    assertThat(LabHttp.json(badPhase).path("message").path("phase").get(0).asText())
        .startsWith("Must be one of: setup, provision");

    HttpResponse<String> badType = http.get("/v1/result/" + unknown + "/log/nope");
    assertThat(badType.statusCode()).isEqualTo(500);
    assertThat(badType.body()).startsWith("<!doctype html>");
    assertThat(http.get("/v1/result/not-a-uuid/log/output").statusCode()).isEqualTo(400);
  }
}
