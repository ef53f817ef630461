package io.tfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.client.TestflingerClient;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Preflight against a lab whose machines are working, offline, in maintenance or missing. */
class PreflightTest {
  private static Lab lab;
  private static TestflingerClient client;

  @BeforeAll
  static void start() throws Exception {
    lab =
        Lab.start(
            LabConfig.defaults()
                .withSimulate(true)
                .withQueues(Set.of("rq-01", "rq-02", "rq-03"))
                .withMachineStates(Map.of("rq-02", "offline", "rq-03", "maintenance")));
    client = new TestflingerClient(lab.url(), Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  private static Map<String, String> problems(List<String> queues) throws Exception {
    return Preflight.problems(
        client, queues, /* concurrency= */ 4, new Retry(Backoff.DEFAULT, FleetEvents.NONE));
  }

  @Test
  void offlineAndMaintenanceQueuesAreUnavailable() throws Exception {
    assertThat(problems(List.of("rq-01", "rq-02", "rq-03")))
        .containsOnly(
            Map.entry("rq-02", "no machine available (rq-02-agent offline)"),
            Map.entry("rq-03", "no machine available (rq-03-agent maintenance)"));
  }

  @Test
  void unknownQueueDoesNotExistAndAWorkingOneHasNoProblem() throws Exception {
    assertThat(problems(List.of("rq-01", "rq-99")))
        .containsOnly(Map.entry("rq-99", "queue does not exist"));
  }
}
