package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabExtension;
import io.tfleet.testing.LabHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CancelTest {
  /** No machine serves this queue, so its jobs wait until cancelled. */
  private static final String UNSERVED = "nowhere";

  @RegisterExtension
  static final LabExtension LAB =
      new LabExtension(
          LabConfig.defaults().withPhaseTime(Duration.ofMillis(5)).withQueues(Set.of("q")));

  private final Lab lab = LAB.lab();
  private final LabHttp http = LAB.http();

  @Test
  void cancellingAWaitingJobEndsItAtOnce() {
    String id = http.submit(LabHttp.job(UNSERVED, "true"));
    assertThat(http.get("/v1/job/" + id + "/position").body()).isEqualTo("0");

    HttpResponse<String> response = http.cancel(id);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("OK");
    assertThat(LabHttp.json(http.get("/v1/result/" + id)))
        .isEqualTo(LabHttp.json("{\"job_state\": \"cancelled\"}"));
    assertThat(http.get("/v1/job/" + id + "/position").statusCode()).isEqualTo(410);
  }

  @Test
  void cancellingARunningJobShowsCancelledThenEndsCompleteWithTheTestInterrupted() {
    String id = http.submit(LabHttp.job("q", "echo partial; sleep 30; echo never"));
    Await.until(
        "the test command has printed",
        Duration.ofSeconds(10),
        () -> {
          JsonNode test =
              LabHttp.json(http.get("/v1/result/" + id + "/log/output"))
                  .path("output")
                  .path("test");
          return test.path("log_data").asText().contains("partial");
        });

    assertThat(http.cancel(id).statusCode()).isEqualTo(200);
    // The lab may already have ended it; either way it never shows a running phase again.
    assertThat(http.state(id)).isIn("cancelled", "complete");
    Await.idle(lab);

    JsonNode result = http.result(id);
    assertThat(result.get("job_state").asText()).isEqualTo("complete");
    assertThat(result.get("test_status").asInt()).isEqualTo(LabJob.INTERRUPTED);
    assertThat(result.get("test_output").asText()).isEqualTo("partial\n");
    assertThat(result.has("cleanup_status")).isFalse();
  }

  @Test
  void cancellingTwiceOrAnUnknownJobAnswers400() {
    String id = http.submit(LabHttp.job(UNSERVED, null));
    assertThat(http.cancel(id).statusCode()).isEqualTo(200);

    for (String target : new String[] {id, UUID.randomUUID().toString()}) {
      HttpResponse<String> again = http.cancel(target);
      assertThat(again.statusCode()).isEqualTo(400);
      assertThat(again.body()).isEqualTo("The job is already completed or cancelled");
    }
  }

  @Test
  void cancellingAFinishedJobAnswers400() {
    String id = http.submit(LabHttp.job("q", null));
    Await.idle(lab);

    assertThat(http.cancel(id).statusCode()).isEqualTo(400);
    assertThat(http.state(id)).isEqualTo("complete");
  }

  @Test
  void malformedIdAnswers400AndUnknownAction422() {
    HttpResponse<String> malformed = http.cancel("nope");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).isEqualTo("Invalid job id");

    String id = http.submit(LabHttp.job(UNSERVED, null));
    assertThat(http.postJson("/v1/job/" + id + "/action", "{\"action\": \"explode\"}").statusCode())
        .isEqualTo(422);
    assertThat(http.cancel(id).statusCode()).isEqualTo(200);
  }
}
