package io.tfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.client.TestflingerClient;
import io.tfleet.lab.Fault;
import io.tfleet.lab.FaultPlan;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import java.time.Duration;
import java.util.ArrayList;
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
        client,
        queues,
        /* concurrency= */ 4,
        new Retry(client, Backoff.DEFAULT, FleetEvents.NONE),
        FleetEvents.NONE);
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

  @Test
  void aListedFleetCostsOneRequestWhateverItsSize() throws Exception {
    try (Lab counted =
        Lab.start(
            LabConfig.defaults()
                .withSimulate(true)
                .withQueues(Set.of("q-1", "q-2", "q-3", "q-4", "q-5")))) {
      TestflingerClient c = new TestflingerClient(counted.url(), Duration.ofSeconds(10));
      Map<String, String> problems =
          Preflight.problems(
              c,
              List.of("q-1", "q-2", "q-3", "q-4", "q-5"),
              4,
              new Retry(c, Backoff.DEFAULT, FleetEvents.NONE),
              FleetEvents.NONE);
      assertThat(problems).isEmpty();
      assertThat(counted.stats().requests()).containsOnlyKeys("GET /v1/agents/data");
      assertThat(counted.stats().requestCount("GET /v1/agents/data")).isEqualTo(1);
    }
  }

  @Test
  void aServerWithoutTheListingIsAskedQueueByQueueAndSaysSoOnce() throws Exception {
    LabConfig config =
        LabConfig.defaults()
            .withSimulate(true)
            .withQueues(Set.of("q-1", "q-2"))
            .withMachineStates(Map.of("q-2", "offline"))
            .withFaults(FaultPlan.always("GET /v1/agents/data", Fault.status(404)));
    try (Lab refusing = Lab.start(config)) {
      TestflingerClient c = new TestflingerClient(refusing.url(), Duration.ofSeconds(10));
      List<String> notices = new ArrayList<>();
      FleetEvents events =
          new FleetEvents() {
            @Override
            public void notice(String message) {
              notices.add(message);
            }
          };
      Map<String, String> problems =
          Preflight.problems(
              c, List.of("q-1", "q-2", "q-9"), 4, new Retry(c, Backoff.DEFAULT, events), events);
      assertThat(problems)
          .containsOnly(
              Map.entry("q-2", "no machine available (q-2-agent offline)"),
              Map.entry("q-9", "queue does not exist"));
      assertThat(notices)
          .singleElement()
          .asString()
          .contains("does not list its agents", "queue by queue");
    }
  }
}
