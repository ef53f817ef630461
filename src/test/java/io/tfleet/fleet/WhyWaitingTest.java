package io.tfleet.fleet;

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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run says why its jobs wait once they have waited a while, at a bounded cost: one position
 * request per waiting job a minute, one wait-times request a round, none for jobs that start soon.
 */
class WhyWaitingTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aJobBehindAnotherIsExplainedOnceItHasWaitedAndAskedAboutOnceAMinute() throws Exception {
    Path gate = dir.resolve("go");
    try (Lab lab =
        Lab.start(
            LabConfig.defaults()
                .withPhaseTime(Duration.ofMillis(10))
                .withQueues(Set.of("ww-1", "ww-2")))) {
      LabHttp http = new LabHttp(lab);
      String busy =
          http.submit(LabHttp.job("ww-1", "while [ ! -f " + gate + " ]; do sleep 0.05; done"));
      Await.until("ww-1 busy", DEADLINE, () -> "test".equals(http.state(busy)));
      // Someone else's job waits in front of the run's.
      http.submit(LabHttp.job("ww-1", "true"));
      FleetFiles.machines(dir, List.of("ww-1", "ww-2"));
      FleetFiles.template(dir, "job_queue: $CANONICAL_ID\ntest_data:\n  test_cmds: \"true\"\n");
      CompletableFuture<TfleetProcess.Result> run =
          CompletableFuture.supplyAsync(
              () ->
                  InProcess.run(
                      "--server",
                      lab.url().toString(),
                      "--machines-file",
                      dir.resolve("machines.txt").toString(),
                      "--template-file",
                      dir.resolve("tf-job.yaml").toString(),
                      "--output-dir",
                      dir.resolve("out").toString(),
                      "--poll-interval",
                      "0.2",
                      "--no-progress"));
      Await.until(
          "ww-1's place asked",
          DEADLINE,
          () -> lab.stats().requestCount("GET /v1/job/{id}/position") > 0);
      long rounds = lab.stats().requestCount("GET /v1/job/search");
      Await.until(
          "five more rounds",
          DEADLINE,
          () -> lab.stats().requestCount("GET /v1/job/search") >= rounds + 5);
      Files.writeString(gate, "");
      TfleetProcess.Result result = run.get();

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.err()).contains("1 waiting: 1 behind other jobs");
      assertThat(lab.stats().requestCount("GET /v1/job/{id}/position"))
          .as("one job waited, for less than a minute: asked once")
          .isEqualTo(1);
      assertThat(lab.stats().requestCount("GET /v1/queues/wait_times"))
          .as("at most one a round")
          .isBetween(1L, lab.stats().requestCount("GET /v1/job/search"));
      Await.idle(lab);
    }
  }
}
