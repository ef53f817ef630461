package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.Await;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.LabHttp;
import io.tfleet.testing.TfleetProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tfleet queues}: the fleet's queues from its machines file and template, no tree. */
class QueuesCommandTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir Path dir;

  private TfleetProcess.Result queues(Lab lab, String... more) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "queues",
                "--server",
                lab.url().toString(),
                "--machines-file",
                FleetFiles.machines(dir, List.of("qa-1", "qa-2", "qa-3", "qa-4")).toString(),
                "--template-file",
                FleetFiles.template(dir, "job_queue: rack-$CANONICAL_ID\n").toString()));
    args.addAll(List.of(more));
    return InProcess.run(args.toArray(String[]::new));
  }

  @Test
  void tableShowsEachMachinesQueueAndTheTotals() throws Exception {
    Path gate = dir.resolve("go");
    LabConfig config =
        LabConfig.defaults()
            .withPhaseTime(Duration.ofMillis(10))
            .withQueues(Set.of("rack-qa-1", "rack-qa-2", "rack-qa-3"))
            .withMachineStates(Map.of("rack-qa-3", "offline"));
    try (Lab lab = Lab.start(config)) {
      LabHttp http = new LabHttp(lab);
      String busy =
          http.submit(LabHttp.job("rack-qa-1", "while [ ! -f " + gate + " ]; do sleep 0.05; done"));
      Await.until("machine busy", DEADLINE, () -> "test".equals(http.state(busy)));
      http.submit(LabHttp.job("rack-qa-1", "true"));

      TfleetProcess.Result table = queues(lab);

      assertThat(table.exitCode()).as(table.toString()).isEqualTo(ExitCodes.FAILURES);
      List<String> lines = table.out().lines().toList();
      assertThat(lines.get(0)).startsWith("MACHINE  QUEUE      STATE      WAITING  P50 WAIT");
      assertThat(lines.get(1))
          .startsWith("qa-1     rack-qa-1  busy       1        0s")
          .endsWith("rack-qa-1-agent test");
      assertThat(lines.get(2)).startsWith("qa-2     rack-qa-2  available  0        -");
      assertThat(lines.get(3)).contains("offline").endsWith("rack-qa-3-agent offline");
      assertThat(lines.get(4)).startsWith("qa-4     rack-qa-4  no agent   -");
      assertThat(lines.get(5))
          .isEqualTo(
              "4 machines: 1 available, 1 busy, 1 offline, 1 without an agent; 1 job waiting");
      // The listing, the wait times, and the jobs of the two queues without a free agent.
      assertThat(lab.stats().requestCount("GET /v1/agents/data")).isEqualTo(1);
      assertThat(lab.stats().requestCount("GET /v1/queues/wait_times")).isEqualTo(1);
      assertThat(lab.stats().requestCount("GET /v1/queues/{queue}/jobs")).isEqualTo(2);

      TfleetProcess.Result json = queues(lab, "--json");
      JsonNode answer = LabHttp.json(json.out());
      assertThat(answer.path("machines")).hasSize(4);
      JsonNode first = answer.path("machines").get(0);
      assertThat(first.path("state").asText()).isEqualTo("busy");
      assertThat(first.path("jobs_waiting").asInt()).isEqualTo(1);
      assertThat(first.path("agents").get(0).path("job_id").asText()).isEqualTo(busy);
      assertThat(first.path("agents").get(0).path("provision_streak_type").asText())
          .isEqualTo("pass");
      assertThat(answer.path("totals").path("no_agent").asInt()).isEqualTo(1);
      assertThat(json.err()).isEmpty();
      Files.writeString(gate, "");
      Await.idle(lab);
    }
  }

  @Test
  void fleetWhoseQueuesAllWorkExitsZero() throws Exception {
    try (Lab lab = Lab.start(LabConfig.defaults())) {
      for (String id : List.of("qa-1", "qa-2", "qa-3", "qa-4")) {
        new LabHttp(lab).submit(LabHttp.job("rack-" + id, "true"));
      }
      Await.idle(lab);

      TfleetProcess.Result table = queues(lab);

      assertThat(table.exitCode()).as(table.toString()).isZero();
      assertThat(table.out())
          .endsWith("4 machines: 4 available, 0 busy, 0 offline; 0 jobs waiting\n");
    }
  }

  @Test
  void badMachinesFileStopsBeforeAnythingIsSent() throws Exception {
    try (Lab lab = Lab.start(LabConfig.defaults())) {
      Path machines = Files.writeString(dir.resolve("bad.txt"), "ok-1\n../x\n");
      TfleetProcess.Result bad =
          InProcess.run(
              "queues",
              "--server",
              lab.url().toString(),
              "--machines-file",
              machines.toString(),
              "--template-file",
              FleetFiles.template(dir, "job_queue: $CANONICAL_ID\n").toString());

      assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(bad.err()).contains(machines + ":2");
      assertThat(lab.stats().requests()).isEmpty();
    }
  }
}
