package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabExtension;
import io.tfleet.testing.LabHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JobLifecycleTest {
  @RegisterExtension
  static final LabExtension LAB =
      new LabExtension(
          LabConfig.defaults()
              .withPhaseTime(Duration.ofMillis(5))
              .withTestTimeout(Duration.ofSeconds(1)));

  private final Lab lab = LAB.lab();
  private final LabHttp http = LAB.http();

  @Test
  void jobRunsThroughItsPhasesToCompleteWithTheCommandsOutputAndExitCode() {
    String id = http.submit(LabHttp.job("q1", "echo hello; echo oops >&2; exit 3"));
    Await.idle(lab);

    JsonNode result = http.result(id);
    assertThat(result.get("job_state").asText()).isEqualTo("complete");
    assertThat(result.get("test_status").asInt()).isEqualTo(3);
    assertThat(result.get("test_output").asText()).isEqualTo("hello\noops\n");
    for (String phase : new String[] {"setup", "provision", "cleanup"}) {
      assertThat(result.get(phase + "_status").asInt()).as(phase).isZero();
      assertThat(result.get(phase + "_output").asText()).as(phase).isNotEmpty();
    }
    assertThat(result.get("device_info").get("agent_name").asText()).isEqualTo("q1-agent");
  }

  @Test
  void passingCommandEndsWithStatusZero() {
    String id = http.submit(LabHttp.job("q1", "true"));
    Await.idle(lab);

    assertThat(http.result(id).get("test_status").asInt()).isZero();
  }

  @Test
  void listOfCommandsRunsAsLinesOfOneScriptWithDeviceIpSet() {
    ObjectNode job = LabHttp.job("q1", null);
    job.putObject("test_data").putArray("test_cmds").add("x=lab").add("echo $x $DEVICE_IP");
    String id = http.submit(job);
    Await.idle(lab);

    assertThat(http.result(id).get("test_output").asText()).isEqualTo("lab 127.0.0.1\n");
  }

  @Test
  void jobWithoutTestCommandsPassesWithEmptyOutput() {
    String id = http.submit(LabHttp.job("q1", null));
    Await.idle(lab);

    JsonNode result = http.result(id);
    assertThat(result.get("test_status").asInt()).isZero();
    assertThat(result.get("test_output").asText()).isEmpty();
  }

  @Test
  void commandRunningPastTheTimeoutIsKilledWithStatus124AndKeepsItsOutput() {
    String id = http.submit(LabHttp.job("q-timeout", "echo before; sleep 30; echo never"));
    Await.idle(lab);

    JsonNode result = http.result(id);
    assertThat(result.get("job_state").asText()).isEqualTo("complete");
    assertThat(result.get("test_status").asInt()).isEqualTo(124);
    assertThat(result.get("test_output").asText()).startsWith("before\n").doesNotContain("never");
  }

  @Test
  void commandRunsInAFolderOfItsOwn() {
    String first = http.submit(LabHttp.job("q1", "touch marker; ls"));
    String second = http.submit(LabHttp.job("q1", "ls"));
    Await.idle(lab);

    assertThat(http.result(first).get("test_output").asText()).isEqualTo("marker\n");
    assertThat(http.result(second).get("test_output").asText()).isEmpty();
  }

  @Test
  void getJobAnswersTheDefinitionWithItsId() {
    ObjectNode job = LabHttp.job("q1", "true").put("name", "my job");
    String id = http.submit(job);

    HttpResponse<String> response = http.get("/v1/job/" + id);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = LabHttp.json(response);
    assertThat(body.get("job_id").asText()).isEqualTo(id);
    assertThat(body.get("name").asText()).isEqualTo("my job");
    assertThat(body.get("job_queue").asText()).isEqualTo("q1");
  }

  @Test
  void unknownJobAnswers204AndMalformedIdAnswers400() {
    String unknown = UUID.randomUUID().toString();
    assertThat(http.get("/v1/job/" + unknown).statusCode()).isEqualTo(204);
    HttpResponse<String> result = http.get("/v1/result/" + unknown);
    assertThat(result.statusCode()).isEqualTo(204);
    assertThat(result.body()).isEmpty();

    assertThat(http.get("/v1/job/not-a-uuid").statusCode()).isEqualTo(400);
    HttpResponse<String> malformed = http.get("/v1/result/not-a-uuid");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(LabHttp.json(malformed))
        .isEqualTo(LabHttp.json("{\"detail\": {}, \"message\": \"Invalid job_id specified\"}"));
  }

  @Test
  void jobWithoutQueueOrWithoutJsonIsRejectedWith422() {
    for (String body : new String[] {"{\"name\": \"x\"}", "not json", ""}) {
      HttpResponse<String> response = http.postJson("/v1/job", body);
      assertThat(response.statusCode()).as(body).isEqualTo(422);
      assertThat(LabHttp.json(response))
          .isEqualTo(
              LabHttp.json(
                  "{\"message\":\"Validation error\",\"detail\":{\"json\":"
                      + "{\"job_queue\":[\"Missing data for required field.\"]}}}"));
    }
    assertThat(http.postJson("/v1/job", "{\"job_queue\": \"\"}").statusCode()).isEqualTo(422);
    assertThat(http.postJson("/v1/job", "{\"job_queue\": 7}").statusCode()).isEqualTo(422);
  }

  @Test
  void malformedClientJobIdIsRejectedWith400() {
    HttpResponse<String> response =
        http.postJson("/v1/job", "{\"job_queue\": \"q1\", \"job_id\": \"nope\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(LabHttp.json(response).get("message").asText())
        .isEqualTo("Invalid job_id specified");
  }

  @Test
  void clientJobIdIsKeptAndPostingItTwiceCreatesTwoJobs() {
    String id = UUID.randomUUID().toString();
    long before = lab.stats().jobsCreated();

    assertThat(http.submit(LabHttp.job("q1", "echo one").put("job_id", id))).isEqualTo(id);
    Await.idle(lab);
    assertThat(http.submit(LabHttp.job("q1", "echo two").put("job_id", id))).isEqualTo(id);
    Await.idle(lab);

    assertThat(lab.stats().jobsCreated() - before).isEqualTo(2);
    assertThat(http.result(id).get("test_output").asText()).isEqualTo("two\n");
  }

  @Test
  void unknownPathAnswers404AndWrongMethod405() {
    HttpResponse<String> missing = http.get("/v1/nothing");
    assertThat(missing.statusCode()).isEqualTo(404);
    // As upstream: Werkzeug's text, not JSON.
    assertThat(missing.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(missing.body()).startsWith("Not found: 404 Not Found: ");

    assertThat(http.postJson("/v1/result/" + UUID.randomUUID(), "{}").statusCode()).isEqualTo(405);
    assertThat(http.get("/v1/job").statusCode()).isEqualTo(405);
  }

  @Test
  void statsCountRequestsByRoute() {
    long before = lab.stats().requestCount("GET /v1/result/{id}");
    String id = http.submit(LabHttp.job("q1", null));
    Await.idle(lab);
    http.result(id);
    http.result(id);

    assertThat(lab.stats().requestCount("GET /v1/result/{id}") - before).isEqualTo(2);
    assertThat(lab.stats().requestCount("POST /v1/job")).isPositive();
    assertThat(lab.stats().jobsActive()).isZero();
  }

  @Test
  void finalStateCanMimicTheServersCompletedEnum() throws Exception {
    try (Lab other = Lab.start(LabConfig.defaults().withFinalState("completed"))) {
      LabHttp client = new LabHttp(other);
      String id = client.submit(LabHttp.job("q", "echo hi"));
      Await.idle(other);

      assertThat(client.state(id)).isEqualTo("completed");
    }
  }

  @Test
  void simulatedLabRunsNothingAndCertifiesTheMachine() throws Exception {
    try (Lab other = Lab.start(LabConfig.defaults().withSimulate(true))) {
      LabHttp client = new LabHttp(other);
      String id = client.submit(LabHttp.job("rack7", "exit 9"));
      Await.idle(other);

      JsonNode result = client.result(id);
      assertThat(result.get("test_status").asInt()).isZero();
      assertThat(result.get("test_output").asText())
          .isEqualTo("{\"status\": \"Certified\", \"machine\": \"rack7-agent\"}\n");
    }
  }

  @Test
  void outputLogFollowsPhasesAndFragments() {
    String id = http.submit(LabHttp.job("q1", "echo line1; echo line2"));
    Await.idle(lab);

    JsonNode log = LabHttp.json(http.get("/v1/result/" + id + "/log/output"));
    JsonNode test = log.get("output").get("test");
    assertThat(test.get("log_data").asText()).isEqualTo("line1\nline2\n");
    int last = log.get("output").get("cleanup").get("last_fragment_number").asInt();

    JsonNode later =
        LabHttp.json(http.get("/v1/result/" + id + "/log/output?start_fragment=" + (last + 1)));
    // Upstream names every phase; one with nothing new says -1.
    assertThat(later.get("output").fieldNames())
        .toIterable()
        .containsExactlyElementsOf(LabJob.ALL_PHASES);
    later
        .get("output")
        .forEach(p -> assertThat(p.get("last_fragment_number").asInt()).isEqualTo(-1));
    later.get("output").forEach(p -> assertThat(p.get("log_data").asText()).isEmpty());
    JsonNode onlySetup = LabHttp.json(http.get("/v1/result/" + id + "/log/output?phase=setup"));
    assertThat(onlySetup.get("output").fieldNames()).toIterable().containsExactly("setup");
    // 400, not the 422 of body checks: upstream loads the query itself (recorded).
    assertThat(http.get("/v1/result/" + id + "/log/output?start_fragment=x").statusCode())
        .isEqualTo(400);
  }
}
