package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab lists and reports its machines as upstream reports its agents. */
class AgentsTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @TempDir Path dir;

  private static JsonNode agentData(LabHttp http, String name) {
    HttpResponse<String> response = http.get("/v1/agents/data/" + name);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return LabHttp.json(response);
  }

  @Test
  void agentsDataListsEveryMachineAndAdvertisesItsQueue() throws Exception {
    try (Lab lab = Lab.start(LabConfig.defaults().withQueues(Set.of("b", "a")))) {
      LabHttp http = new LabHttp(lab);

      JsonNode agents = LabHttp.json(http.get("/v1/agents/data"));
      assertThat(agents).hasSize(2);
      assertThat(agents.get(0).get("name").asText()).isEqualTo("a-agent");
      assertThat(agents.get(0).get("queues").get(0).asText()).isEqualTo("a");
      assertThat(agents.get(0).get("state").asText()).isEqualTo("waiting");
      assertThat(agents.get(0).get("job_id").asText()).isEmpty();
      assertThat(agents.get(0).fieldNames())
          .toIterable()
          .contains("location", "provision_type", "comment", "updated_at", "restricted_to");
      assertThat(LabHttp.json(http.get("/v1/agents/queues")).fieldNames())
          .toIterable()
          .containsExactly("a", "b");
      assertThat(agentData(http, "b-agent").get("queues").get(0).asText()).isEqualTo("b");
    }
  }

  @Test
  void unknownAgentAnswers404() throws Exception {
    try (Lab lab = Lab.start(LabConfig.defaults().withQueues(Set.of("a")))) {
      HttpResponse<String> response = new LabHttp(lab).get("/v1/agents/data/nobody");

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(LabHttp.json(response).get("message").asText()).contains("nobody");
    }
  }

  @Test
  void agentStateFollowsTheJobsPhaseAndReturnsToWaiting() throws Exception {
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO))) {
      LabHttp http = new LabHttp(lab);
      Path go = dir.resolve("go");
      String id =
          http.submit(LabHttp.job("m1", "while [ ! -f '" + go + "' ]; do sleep 0.02; done"));

      Await.until(
          "the machine is in its test phase",
          DEADLINE,
          () -> agentData(http, "m1-agent").get("state").asText().equals("test"));
      JsonNode busy = agentData(http, "m1-agent");
      assertThat(busy.get("job_id").asText()).isEqualTo(id);
      assertThat(LabHttp.json(http.get("/v1/queues/m1/agents")).get(0).get("state").asText())
          .isEqualTo("test");

      Files.createFile(go);
      Await.idle(lab);
      JsonNode idle = agentData(http, "m1-agent");
      assertThat(idle.get("state").asText()).isEqualTo("waiting");
      assertThat(idle.get("job_id").asText()).isEmpty();
      assertThat(idle.get("provision_streak_count").asInt()).isEqualTo(1);
    }
  }

  @Test
  void offlineAndMaintenanceMachinesSayIt() throws Exception {
    try (Lab lab =
        Lab.start(
            LabConfig.defaults()
                .withPhaseTime(Duration.ZERO)
                .withQueues(Set.of("up", "down", "fixing"))
                .withMachineStates(Map.of("down", "offline", "fixing", "maintenance")))) {
      LabHttp http = new LabHttp(lab);

      assertThat(LabHttp.json(http.get("/v1/queues/down/agents")).get(0).get("state").asText())
          .isEqualTo("offline");
      assertThat(agentData(http, "fixing-agent").get("state").asText()).isEqualTo("maintenance");
      assertThat(agentData(http, "up-agent").get("state").asText()).isEqualTo("waiting");
      // They still advertise their queues, as upstream keeps an offline agent's queues.
      assertThat(LabHttp.json(http.get("/v1/agents/queues")).fieldNames())
          .toIterable()
          .containsExactlyInAnyOrder("up", "down", "fixing");
    }
  }

  @Test
  void offlineMachineTakesNoJobsWhileOthersRun() throws Exception {
    try (Lab lab =
        Lab.start(
            LabConfig.defaults()
                .withPhaseTime(Duration.ZERO)
                .withQueues(Set.of("up", "down"))
                .withMachineStates(Map.of("down", "offline")))) {
      LabHttp http = new LabHttp(lab);
      String stranded = http.submit(LabHttp.job("down", "true"));
      // Submitted after the stranded job, on the same lab: once it is done, the offline machine
      // had every chance to take its own.
      String served = http.submit(LabHttp.job("up", "true"));

      Await.until(
          "the working machine's job completes",
          DEADLINE,
          () -> http.state(served).equals("complete"));
      assertThat(http.state(stranded)).isEqualTo("waiting");
      assertThat(http.get("/v1/job/" + stranded + "/position").body()).isEqualTo("0");
      http.cancel(stranded);
      Await.idle(lab);
    }
  }

  @Test
  void everyMachineRunsItsCommandAtOnceWithoutALimit() throws Exception {
    int machines = 24;
    try (Lab lab =
        Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO).withMaxCommands(0))) {
      LabHttp http = new LabHttp(lab);
      Path go = dir.resolve("go");
      for (int i = 0; i < machines; i++) {
        // Each command says it started, then waits for all: a limit below 24 would never let go.
        http.submit(
            LabHttp.job(
                "m" + i,
                "touch '"
                    + dir.resolve("started-" + i)
                    + "'; while [ ! -f '"
                    + go
                    + "' ]; do sleep 0.02; done"));
      }

      Await.until("every command runs", DEADLINE, () -> started(machines) == machines);
      Files.createFile(go);
      Await.idle(lab);
    }
  }

  @Test
  void aCommandLimitHoldsTheRestInTheirTestPhase() throws Exception {
    try (Lab lab =
        Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO).withMaxCommands(2))) {
      LabHttp http = new LabHttp(lab);
      Path go = dir.resolve("go");
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ids.add(
            http.submit(
                LabHttp.job(
                    "m" + i,
                    "touch '"
                        + dir.resolve("started-" + i)
                        + "'; while [ ! -f '"
                        + go
                        + "' ]; do sleep 0.02; done")));
      }

      Await.until("two commands run", DEADLINE, () -> started(3) == 2);
      Await.until(
          "every machine is in its test phase",
          DEADLINE,
          () -> ids.stream().allMatch(id -> http.state(id).equals("test")));
      // Two commands hold both turns and wait for "go", so the third cannot have started.
      assertThat(started(3)).isEqualTo(2);
      Files.createFile(go);
      Await.idle(lab);
      assertThat(started(3)).isEqualTo(3);
    }
  }

  private long started(int machines) {
    long n = 0;
    for (int i = 0; i < machines; i++) {
      if (Files.exists(dir.resolve("started-" + i))) {
        n++;
      }
    }
    return n;
  }
}
