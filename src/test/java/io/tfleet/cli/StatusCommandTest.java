package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tfleet status} on a tree whose jobs wait behind other people's jobs. */
class StatusCommandTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void waitingMachineShowsItsPlaceAndItsQueuesWaitForOneRequestEach() throws Exception {
    Path gate = dir.resolve("go");
    LabConfig config =
        LabConfig.defaults()
            .withPhaseTime(Duration.ofMillis(10))
            .withQueues(Set.of("sw-1", "sw-2", "sw-3"));
    try (Lab lab = Lab.start(config)) {
      LabHttp http = new LabHttp(lab);
      // Someone else's long job on sw-1 and sw-3, and one more waiting behind it on sw-1.
      String hold = "while [ ! -f " + gate + " ]; do sleep 0.05; done";
      String busy = http.submit(LabHttp.job("sw-1", hold));
      String busyToo = http.submit(LabHttp.job("sw-3", hold));
      Await.until(
          "the queues busy",
          DEADLINE,
          () -> "test".equals(http.state(busy)) && "test".equals(http.state(busyToo)));
      http.submit(LabHttp.job("sw-1", "true"));
      FleetFiles.machines(dir, List.of("sw-1", "sw-2", "sw-3"));
      FleetFiles.template(dir, "job_queue: $CANONICAL_ID\ntest_data:\n  test_cmds: \"true\"\n");
      String out = dir.resolve("out").toString();
      TfleetProcess.Result submit =
          InProcess.run(
              "submit",
              "--server",
              lab.url().toString(),
              "-q",
              "-o",
              out,
              "--machines-file",
              dir.resolve("machines.txt").toString(),
              "--template-file",
              dir.resolve("tf-job.yaml").toString());
      assertThat(submit.exitCode()).as(submit.toString()).isZero();
      String passing = FleetFiles.jobId(dir.resolve("out"), "sw-2");
      Await.until("sw-2 done", DEADLINE, () -> "complete".equals(http.state(passing)));
      long positions = lab.stats().requestCount("GET /v1/job/{id}/position");
      long waitTimes = lab.stats().requestCount("GET /v1/queues/wait_times");

      TfleetProcess.Result status = InProcess.run("status", "-o", out);

      assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCodes.FAILURES);
      assertThat(FleetFiles.summaryRow(status.out(), "sw-1"))
          .containsPattern("waiting \\(2nd in queue; p50 wait \\d+s\\) ");
      assertThat(FleetFiles.summaryRow(status.out(), "sw-3"))
          .containsPattern("waiting \\(1st in queue; p50 wait \\d+s\\) ");
      assertThat(FleetFiles.summaryRow(status.out(), "sw-2")).contains(" complete ");
      // One position per waiting job, one wait-times request for the whole tree.
      assertThat(lab.stats().requestCount("GET /v1/job/{id}/position") - positions).isEqualTo(2);
      assertThat(lab.stats().requestCount("GET /v1/queues/wait_times") - waitTimes).isEqualTo(1);

      Files.writeString(gate, "");
      Await.idle(lab);
    }
  }

  @Test
  void treeWithNothingWaitingAsksNeitherPositionsNorWaitTimes() throws Exception {
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO))) {
      FleetFiles.machines(dir, List.of("pass-1"));
      FleetFiles.template(dir, FleetFiles.MIXED_TEMPLATE);
      String out = dir.resolve("out").toString();
      TfleetProcess.Result run =
          InProcess.run(
              "--server",
              lab.url().toString(),
              "-q",
              "-o",
              out,
              "--poll-interval",
              "0.1",
              "--machines-file",
              dir.resolve("machines.txt").toString(),
              "--template-file",
              dir.resolve("tf-job.yaml").toString());
      assertThat(run.exitCode()).as(run.toString()).isZero();

      TfleetProcess.Result status = InProcess.run("status", "-o", out);

      assertThat(status.exitCode()).as(status.toString()).isZero();
      assertThat(lab.stats().requestCount("GET /v1/job/{id}/position")).isZero();
      assertThat(lab.stats().requestCount("GET /v1/queues/wait_times")).isZero();
    }
  }
}
