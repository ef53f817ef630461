package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.client.TestflingerClient;
import io.tfleet.job.MachineId;
import io.tfleet.job.RenderedJob;
import io.tfleet.job.Template;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.LabExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's model of the original script, against the lab. */
class OneAtATimeTest {
  @RegisterExtension
  static final LabExtension LAB =
      new LabExtension(LabConfig.defaults().withSimulate(true).withPhaseTime(Duration.ZERO));

  @TempDir Path dir;

  @Test
  void goesMachineByMachineWithTheRequestsAndFilesOfTheOriginal() throws Exception {
    Path templateFile =
        Files.writeString(
            dir.resolve("tf-job.yaml"), "job_queue: $CANONICAL_ID\ntest_data:\n  test_cmds: hw\n");
    Template template = Template.read(templateFile, dir);
    List<RenderedJob> jobs =
        List.of(template.render(new MachineId("m1", 1)), template.render(new MachineId("m2", 2)));
    TestflingerClient client = new TestflingerClient(LAB.lab().url(), Duration.ofSeconds(10));
    Path out = Files.createDirectories(dir.resolve("out"));

    OneAtATime.Pass pass = OneAtATime.run(client, jobs, out, Duration.ofMillis(50));

    assertThat(pass.passed()).isEqualTo(2);
    assertThat(pass.total()).isGreaterThanOrEqualTo(pass.submit());
    for (String machine : List.of("m1", "m2")) {
      assertThat(Files.readString(out.resolve(machine + "/tf_job_id.txt")))
          .matches(TestflingerClient::isJobId);
      assertThat(Files.readString(out.resolve(machine + "/hw_status.txt"))).isEqualTo("Certified");
      assertThat(out.resolve(machine + "_tf-job.yaml")).doesNotExist();
    }
    // Per machine: testflinger submit (the queue's agents, the job), then per round testflinger
    // status, and once finished testflinger-cli results; queues counted as one kind of request.
    assertThat(client.requestCounts())
        .containsEntry("GET /v1/queues/{queue}/agents", 2L)
        .containsEntry("POST /v1/job", 2L);
    assertThat(client.requestCounts().get("GET /v1/result/{id}")).isGreaterThanOrEqualTo(4L);
  }
}
