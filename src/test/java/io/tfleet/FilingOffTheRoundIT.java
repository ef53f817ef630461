package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.lab.Fault;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import io.tfleet.testing.TfleetProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow or failing download never delays seeing and filing other machines: with every artifact
 * download answering 503 and a minute to keep trying, each machine's hw status is on disk soon
 * after its own job ends, one machine after another, while the downloads are still being retried.
 */
@Order(2) // among the longest: started first (docs/development.md)
class FilingOffTheRoundIT {
  private static final int MACHINES = 20;

  /** Far below the minute of artifact retries that a round waiting for its downloads would take. */
  private static final Duration FILED_WITHIN = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void everyHwStatusIsFiledWhileTheArtifactDownloadsAreStillRetried() throws Exception {
    List<String> machines = new ArrayList<>();
    for (int i = 1; i <= MACHINES; i++) {
      machines.add(String.format("fr-%02d", i));
    }
    Files.write(dir.resolve("machines.txt"), machines);
    // Each machine's test ends when the test says so: its gate file appears.
    Files.writeString(
        dir.resolve("tf-job.yaml"),
        "job_queue: $CANONICAL_ID\n"
            + "test_data:\n"
            + "  test_cmds: |\n"
            + "    while [ ! -f "
            + dir
            + "/go-$CANONICAL_ID ]; do sleep 0.05; done\n"
            + "    echo '{\"status\": \"Certified\"}'\n");
    LabConfig config =
        LabConfig.defaults()
            .withPhaseTime(Duration.ofMillis(20))
            .withFaults(
                (route, count) ->
                    route.equals("GET /v1/result/{id}/artifact")
                        ? Optional.of(Fault.status(503))
                        : Optional.empty());
    try (Lab lab = Lab.start(config)) {
      TfleetProcess run =
          TfleetProcess.start(
              dir,
              Map.of(),
              "--server",
              lab.url().toString(),
              "--machines-file",
              "machines.txt",
              "--template-file",
              "tf-job.yaml",
              "--output-dir",
              "out",
              "--artifacts",
              "--retry-for",
              "60s",
              "--poll-interval",
              "1");
      try {
        for (String m : machines) {
          Path jobId = dir.resolve("out").resolve(m).resolve("tf_job_id.txt");
          Await.until(m + " submitted", Duration.ofSeconds(60), () -> Files.exists(jobId));
          String job = Files.readString(jobId);
          Await.until(
              m + " in its test", Duration.ofSeconds(30), () -> "test".equals(state(lab, job)));
          Files.writeString(dir.resolve("go-" + m), "");
          Await.until(m + " complete", Duration.ofSeconds(30), () -> isComplete(lab, job));
          Path hw = dir.resolve("out").resolve(m).resolve("hw_status.txt");
          Await.until(m + "'s hw_status.txt filed", FILED_WITHIN, () -> Files.exists(hw));
          assertThat(hw).content().isEqualTo("Certified");
        }
        assertThat(run.process().isAlive()).as("still trying the artifact downloads").isTrue();
        assertThat(lab.stats().requestCount("GET /v1/result/{id}/artifact"))
            .as("every machine's download was tried, and failed")
            .isGreaterThanOrEqualTo(MACHINES);
        assertThat(dir.resolve("out/fr-01/artifacts")).doesNotExist();
      } finally {
        run.process().destroy();
        run.await(Duration.ofSeconds(30));
      }
    }
  }

  private static String state(Lab lab, String job) {
    return LabHttp.state(lab.url(), job);
  }

  private static boolean isComplete(Lab lab, String job) {
    return "complete".equals(state(lab, job));
  }
}
