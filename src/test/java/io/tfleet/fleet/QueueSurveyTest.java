package io.tfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.client.TestflingerClient;
import io.tfleet.fleet.QueueSurvey.QueueState;
import io.tfleet.fleet.QueueSurvey.Row;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.lab.QueuesFile;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A queue survey of a big fleet costs a handful of requests, counted by the client. */
class QueueSurveyTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void thousandMachinesTakeAHandfulOfRequestsAndShowBusyAndOfflineOnes() throws Exception {
    List<String> ids = new ArrayList<>();
    StringBuilder file = new StringBuilder("# the lab's machines, three of them out\n");
    for (int i = 1; i <= 999; i++) {
      String id = String.format("sv-%03d", i);
      ids.add(id);
      file.append(id)
          .append(
              switch (i) {
                case 10, 20 -> " offline";
                case 30 -> " maintenance";
                default -> "";
              })
          .append('\n');
    }
    QueuesFile.Queues fromFile =
        QueuesFile.parse(Files.writeString(dir.resolve("queues.txt"), file));
    LabConfig config =
        LabConfig.defaults()
            .withPhaseTime(Duration.ofMillis(10))
            .withQueues(fromFile.names())
            .withMachineStates(fromFile.machineStates());
    Path gate = dir.resolve("go");
    try (Lab lab = Lab.start(config)) {
      LabHttp http = new LabHttp(lab);
      String hold = "while [ ! -f " + gate + " ]; do sleep 0.05; done";
      List<String> busy = new ArrayList<>();
      for (String queue : List.of("sv-001", "sv-002")) {
        busy.add(http.submit(LabHttp.job(queue, hold)));
      }
      for (String id : busy) {
        Await.until("machine busy", DEADLINE, () -> "test".equals(http.state(id)));
      }
      http.submit(LabHttp.job("sv-001", "true"));
      http.submit(LabHttp.job("sv-001", "true"));
      http.submit(LabHttp.job("sv-010", "true"));
      List<QueueSurvey.Machine> machines = new ArrayList<>();
      ids.forEach(id -> machines.add(new QueueSurvey.Machine(id, id)));
      // One more machine whose queue no agent serves.
      machines.add(new QueueSurvey.Machine("sv-ghost", "sv-ghost"));
      TestflingerClient client = new TestflingerClient(lab.url(), Duration.ofSeconds(20));

      List<Row> rows =
          QueueSurvey.take(
              client, machines, 8, new Retry(client, Backoff.DEFAULT, FleetEvents.NONE));

      assertThat(rows).hasSize(1000);
      Map<String, Row> byMachine = new java.util.HashMap<>();
      rows.forEach(r -> byMachine.put(r.machine(), r));
      assertThat(byMachine.get("sv-001").state()).isEqualTo(QueueState.BUSY);
      assertThat(byMachine.get("sv-001").jobsWaiting()).isEqualTo(2);
      assertThat(byMachine.get("sv-001").agents().get(0).jobId()).isEqualTo(busy.get(0));
      assertThat(byMachine.get("sv-002").jobsWaiting()).isZero();
      assertThat(byMachine.get("sv-010").state()).isEqualTo(QueueState.OFFLINE);
      assertThat(byMachine.get("sv-010").jobsWaiting()).isEqualTo(1);
      assertThat(byMachine.get("sv-030").agents().get(0).state()).isEqualTo("maintenance");
      assertThat(byMachine.get("sv-500").state()).isEqualTo(QueueState.AVAILABLE);
      assertThat(byMachine.get("sv-500").jobsWaiting()).isZero();
      assertThat(byMachine.get("sv-001").p90()).isNotNull();
      assertThat(byMachine.get("sv-500").p50()).as("never started a job").isNull();
      assertThat(byMachine.get("sv-ghost").state()).isEqualTo(QueueState.NO_AGENT);
      assertThat(byMachine.get("sv-ghost").jobsWaiting()).isNull();

      // One listing, one wait-times call, and the jobs of the 5 queues without a free agent.
      assertThat(client.requestCounts())
          .isEqualTo(
              Map.of(
                  "GET /v1/agents/data", 1L,
                  "GET /v1/queues/wait_times", 1L,
                  "GET /v1/queues/{queue}/jobs", 5L));
      System.out.println(
          "queue survey of 1,000 machines: "
              + client.requestCounts().values().stream().mapToLong(Long::longValue).sum()
              + " requests");
      Files.writeString(gate, "");
      http.cancel(LabHttp.json(http.get("/v1/queues/sv-010/jobs")).get(0).path("job_id").asText());
      Await.idle(lab);
    }
  }
}
