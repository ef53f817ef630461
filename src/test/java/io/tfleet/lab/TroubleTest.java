package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Lab trouble as a client sees it: failed provisions, lost jobs and agents going offline look as
 * they do on the upstream server, hit the jobs the seed says, and show in the agents data.
 */
class TroubleTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  private static Lab start(Trouble trouble, String... queues) throws IOException {
    return Lab.start(
        LabConfig.defaults()
            .withPhaseTime(Duration.ZERO)
            .withQueues(Set.of(queues))
            .withTrouble(trouble));
  }

  private static JsonNode agent(LabHttp http, String queue) {
    return LabHttp.json(http.get("/v1/agents/data/" + queue + "-agent"));
  }

  /** Submits a job and waits for the lab to finish it. */
  private static String finished(Lab lab, String queue, String testCmds) {
    String id = new LabHttp(lab).submit(LabHttp.job(queue, testCmds));
    Await.idle(lab);
    return id;
  }

  @Test
  void aFailedProvisionEndsTheJobCompleteWithoutATestAsTheUpstreamAgentDoes() throws Exception {
    try (Lab lab = start(Trouble.none().withProvisionFailureRate(1), "q")) {
      LabHttp http = new LabHttp(lab);
      String id = finished(lab, "q", "echo never runs");

      JsonNode result = http.result(id);
      assertThat(result.get("job_state").asText()).isEqualTo("complete");
      assertThat(result.get("setup_status").asInt()).isZero();
      assertThat(result.get("provision_status").asInt()).isEqualTo(1);
      assertThat(result.get("provision_output").asText()).contains("failed");
      // The agent skips every phase after a failed one but cleanup.
      assertThat(result.has("test_status")).isFalse();
      assertThat(result.has("test_output")).isFalse();
      assertThat(result.get("cleanup_status").asInt()).isZero();

      JsonNode machine = agent(http, "q");
      assertThat(machine.get("provision_streak_type").asText()).isEqualTo("fail");
      assertThat(machine.get("provision_streak_count").asInt()).isEqualTo(1);
      assertThat(machine.get("state").asText()).isEqualTo("waiting");

      finished(lab, "q", null);
      assertThat(agent(http, "q").get("provision_streak_count").asInt()).isEqualTo(2);
      assertThat(lab.stats().troubleOf("q"))
          .extracting(Trouble.Event::jobNumber, Trouble.Event::kind)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(1L, Trouble.Kind.PROVISION_FAILS),
              org.assertj.core.groups.Tuple.tuple(2L, Trouble.Kind.PROVISION_FAILS));
    }
  }

  @Test
  void aLostJobAnswersAsAnUnknownJobFromThenOnAndItsMachineGoesOn() throws Exception {
    try (Lab lab = start(Trouble.none().withLoseJobRate(1), "q")) {
      LabHttp http = new LabHttp(lab);
      com.fasterxml.jackson.databind.node.ObjectNode job = LabHttp.job("q", "echo never runs");
      job.putArray("tags").add("lost");
      String id = http.submit(job);
      Await.idle(lab);

      // As the upstream server answers for a job it never had (upstream-exchanges.json).
      assertThat(http.get("/v1/job/" + id).statusCode()).isEqualTo(204);
      HttpResponse<String> result = http.get("/v1/result/" + id);
      assertThat(result.statusCode()).isEqualTo(204);
      assertThat(result.body()).isEmpty();
      assertThat(http.get("/v1/job/" + id + "/position").statusCode()).isEqualTo(410);
      assertThat(http.cancel(id).body()).isEqualTo("The job is already completed or cancelled");
      JsonNode log = LabHttp.json(http.get("/v1/result/" + id + "/log/output"));
      assertThat(log.at("/output/test/last_fragment_number").asInt()).isEqualTo(-1);
      assertThat(log.at("/output/setup/log_data").asText()).isEmpty();
      assertThat(LabHttp.json(http.get("/v1/job/search?tags=lost"))).isEmpty();
      assertThat(http.get("/v1/queues/q/jobs").statusCode()).isEqualTo(204);
      assertThat(http.get("/v1/result/" + id + "/artifact").statusCode()).isEqualTo(404);

      JsonNode machine = agent(http, "q");
      assertThat(machine.get("state").asText()).isEqualTo("waiting");
      assertThat(machine.get("job_id").asText()).isEmpty();
      LabStats stats = lab.stats();
      assertThat(stats.jobsSubmitted("q")).isEqualTo(1);
      assertThat(stats.jobsActive()).isZero();
      assertThat(stats.troubleCount(Trouble.Kind.JOB_LOST)).isEqualTo(1);
    }
  }

  @Test
  void aLostJobsIdSubmittedAgainIsANewJobThatRuns() throws Exception {
    Trouble trouble = seedWhere(Trouble.none().withLoseJobRate(0.5), "q", Trouble.Kind.JOB_LOST);
    try (Lab lab = start(trouble, "q")) {
      LabHttp http = new LabHttp(lab);
      String id = UUID.randomUUID().toString();
      http.submit(LabHttp.job("q", "echo second try").put("job_id", id));
      Await.idle(lab);
      assertThat(http.get("/v1/result/" + id).statusCode()).isEqualTo(204);

      http.submit(LabHttp.job("q", "echo second try").put("job_id", id));
      Await.idle(lab);

      assertThat(http.result(id).get("test_output").asText()).isEqualTo("second try\n");
      assertThat(lab.stats().jobsSubmitted("q")).isEqualTo(2);
    }
  }

  /** The trouble with a seed whose first job on the queue meets {@code first}, its second none. */
  private static Trouble seedWhere(Trouble trouble, String queue, Trouble.Kind first) {
    for (long seed = 1; ; seed++) {
      Trouble t = trouble.withSeed(seed);
      if (t.forJob(queue, 1) == first && t.forJob(queue, 2) == Trouble.Kind.NONE) {
        return t;
      }
    }
  }

  @Test
  void anAgentThatGoesOfflineMidJobShowsItAsUpstreamsAgentDoesAndComesBackLater() throws Exception {
    Trouble trouble =
        seedWhere(
                Trouble.none().withAgentOffline(0.5, Duration.ofSeconds(1)),
                "q",
                Trouble.Kind.AGENT_OFFLINE)
            .withAgentOffline(0.5, Duration.ofSeconds(1));
    try (Lab lab =
        Lab.start(
            LabConfig.defaults()
                .withPhaseTime(Duration.ofMillis(100))
                .withQueues(Set.of("q"))
                .withTrouble(trouble))) {
      LabHttp http = new LabHttp(lab);
      String first = http.submit(LabHttp.job("q", "echo never runs"));
      Await.until(
          "the machine offline",
          DEADLINE,
          () -> agent(http, "q").path("state").asText().equals("offline"));
      JsonNode offline = agent(http, "q");
      assertThat(offline.get("comment").asText())
          .isEqualTo(
              "Set to offline by agent. Recovery Failed found during " + first + " execution.");
      String second = http.submit(LabHttp.job("q", "echo after it came back"));

      Await.until("the first job complete", DEADLINE, () -> http.state(first).equals("complete"));
      JsonNode result = http.result(first);
      assertThat(result.get("provision_status").asInt()).isEqualTo(AgentTrouble.RECOVERY_FAILED);
      assertThat(result.has("test_status")).isFalse();
      assertThat(result.get("cleanup_status").asInt()).isZero();
      // Offline for a while after the job: the next job waits for the machine.
      assertThat(agent(http, "q").get("state").asText()).isEqualTo("offline");
      assertThat(http.state(second)).isEqualTo("waiting");

      Await.idle(lab);
      assertThat(http.result(second).get("test_output").asText()).isEqualTo("after it came back\n");
      JsonNode back = agent(http, "q");
      assertThat(back.get("state").asText()).isEqualTo("waiting");
      assertThat(back.get("comment").asText()).isEmpty();
      assertThat(back.get("provision_streak_type").asText()).isEqualTo("pass");
      assertThat(back.get("provision_streak_count").asInt()).isEqualTo(1);
    }
  }

  @Test
  void theSeedDecidesWhichJobOfWhichQueueMeetsTroubleWhateverTheOrderOfQueues() throws Exception {
    Trouble trouble =
        Trouble.none()
            .withProvisionFailureRate(0.3)
            .withLoseJobRate(0.1)
            .withAgentOffline(0.1, Duration.ZERO)
            .withSeed(42);
    List<String> queues = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      queues.add(String.format("m%02d", i));
    }
    try (Lab lab = start(trouble, queues.toArray(String[]::new))) {
      LabHttp http = new LabHttp(lab);
      List<String> backwards = new ArrayList<>(queues);
      java.util.Collections.reverse(backwards);
      for (int round = 0; round < 3; round++) {
        for (String queue : round % 2 == 0 ? queues : backwards) {
          http.submit(LabHttp.job(queue, null));
        }
        Await.idle(lab);
      }

      List<Trouble.Event> expected = new ArrayList<>();
      for (String queue : queues) {
        for (long n = 1; n <= 3; n++) {
          if (trouble.forJob(queue, n) != Trouble.Kind.NONE) {
            expected.add(new Trouble.Event(queue, "?", n, trouble.forJob(queue, n)));
          }
        }
      }
      LabStats stats = lab.stats();
      assertThat(stats.trouble())
          .extracting(Trouble.Event::queue, Trouble.Event::jobNumber, Trouble.Event::kind)
          .containsExactlyInAnyOrderElementsOf(
              expected.stream()
                  .map(e -> org.assertj.core.groups.Tuple.tuple(e.queue(), e.jobNumber(), e.kind()))
                  .toList());
      assertThat(expected).isNotEmpty();
      for (String queue : queues) {
        assertThat(stats.jobsSubmitted(queue)).as(queue).isEqualTo(3);
      }
      assertThat(stats.jobsByQueue()).hasSize(12);
    }
  }

  @Test
  void aMachineSetToFailItsTestFailsItWhateverItsCommandsExitWith() throws Exception {
    Trouble trouble =
        Trouble.none().withMachines(Map.of("bad", MachineSetup.plain().withTestStatus(3)));
    try (Lab lab = start(trouble, "bad", "good")) {
      LabHttp http = new LabHttp(lab);
      String bad = http.submit(LabHttp.job("bad", "echo fine"));
      String good = http.submit(LabHttp.job("good", "echo fine"));
      Await.idle(lab);

      JsonNode failed = http.result(bad);
      assertThat(failed.get("test_status").asInt()).isEqualTo(3);
      assertThat(failed.get("test_output").asText())
          .startsWith("fine\n")
          .contains("test status set to 3 for this machine");
      assertThat(http.result(good).get("test_status").asInt()).isZero();
    }
  }

  @Test
  void aSimulatedMachineSetToFailSaysSoAndOneSetToPrintMorePrintsThePattern() throws Exception {
    Trouble trouble =
        Trouble.none()
            .withMachines(
                Map.of(
                    "bad", MachineSetup.plain().withTestStatus(1),
                    "big", MachineSetup.plain().withTestOutput(1_000_000)));
    try (Lab lab =
        Lab.start(
            LabConfig.defaults()
                .withSimulate(true)
                .withPhaseTime(Duration.ZERO)
                .withQueues(Set.of("bad", "big"))
                .withTrouble(trouble))) {
      LabHttp http = new LabHttp(lab);
      String bad = http.submit(LabHttp.job("bad", null));
      String big = http.submit(LabHttp.job("big", null));
      Await.idle(lab);

      JsonNode failed = http.result(bad);
      assertThat(failed.get("test_status").asInt()).isEqualTo(1);
      assertThat(failed.get("test_output").asText())
          .isEqualTo("{\"status\": \"Failed\", \"machine\": \"bad-agent\"}\n");
      String line = "{\"status\": \"Certified\", \"machine\": \"big-agent\"}\n";
      String output = http.result(big).get("test_output").asText();
      assertThat(output).startsWith(line).hasSize(line.length() + 1_000_000);
      assertThat(
              java.util.HexFormat.of()
                  .formatHex(
                      java.security.MessageDigest.getInstance("SHA-256")
                          .digest(output.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
          .isEqualTo(OutputPattern.sha256(line, 1_000_000));
    }
  }

  @Test
  void aProvisionStreakSetUpForAMachineShowsBeforeAnyJobAndProvisionsCarryItOn() throws Exception {
    Trouble trouble =
        Trouble.none()
            .withMachines(Map.of("flaky", MachineSetup.plain().withProvisionStreak("fail", 3)));
    try (Lab lab = start(trouble, "flaky", "fine")) {
      LabHttp http = new LabHttp(lab);

      JsonNode agents = LabHttp.json(http.get("/v1/agents/data"));
      assertThat(agents.get(0).get("name").asText()).isEqualTo("fine-agent");
      assertThat(agents.get(0).get("provision_streak_type").asText()).isEqualTo("pass");
      assertThat(agents.get(0).get("provision_streak_count").asInt()).isZero();
      assertThat(agents.get(1).get("provision_streak_type").asText()).isEqualTo("fail");
      assertThat(agents.get(1).get("provision_streak_count").asInt()).isEqualTo(3);

      finished(lab, "flaky", null);
      JsonNode after = agent(http, "flaky");
      assertThat(after.get("provision_streak_type").asText()).isEqualTo("pass");
      assertThat(after.get("provision_streak_count").asInt()).isEqualTo(1);
    }
  }
}
