package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.UUID;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JobLifecycleTest {
  private static Lab lab;
  private static LabHttp http;

  @BeforeAll
  static void startLab() throws Exception {
    lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ofMillis(5)));
    http = new LabHttp(lab);
  }

  @AfterAll
  static void stopLab() {
    lab.close();
  }

  @AfterEach
  void noJobLeftRunning() {
    Await.idle(lab);
  }

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
}
