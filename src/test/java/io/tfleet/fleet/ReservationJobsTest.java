package io.tfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tfleet.client.ReserveData;
import io.tfleet.job.InputException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The job a reservation sends: its run's job without the test, with the reservation's data. */
class ReservationJobsTest {
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final ReserveData DATA =
      new ReserveData(List.of("lp:someone", "gh:other"), Duration.ofHours(2));

  private static ObjectNode yaml(String text) throws Exception {
    return (ObjectNode) YAML.readTree(text);
  }

  @Test
  void runJobLosesItsTestAndKeepsEverythingElse() throws Exception {
    ObjectNode run =
        yaml(
            String.join(
                "\n",
                "job_queue: rack-7-01",
                "job_priority: 5",
                "tags: [nightly]",
                "provision_data:",
                "  distro: noble",
                "test_data:",
                "  test_cmds: checkbox-cli run",
                "reserve_data:",
                "  ssh_keys: [lp:earlier]",
                "  timeout: 60",
                ""));

    ObjectNode job = ReservationJobs.job("rack-7-01", run, DATA);

    assertThat(job.has("test_data")).isFalse();
    assertThat(job.path("job_queue").asText()).isEqualTo("rack-7-01");
    assertThat(job.path("job_priority").asInt()).isEqualTo(5);
    assertThat(job.path("tags").get(0).asText()).isEqualTo("nightly");
    assertThat(job.path("provision_data").path("distro").asText()).isEqualTo("noble");
    assertThat(job.path("reserve_data").toString())
        .isEqualTo("{\"ssh_keys\":[\"lp:someone\",\"gh:other\"],\"timeout\":7200}");
    assertThat(run.has("test_data")).as("the run's job is left as it was").isTrue();
  }

  @Test
  void machineWithoutARunJobGetsItsQueueAndTheReservationOnly() throws Exception {
    ObjectNode job = ReservationJobs.job("m9", null, DATA);

    assertThat(job.toString())
        .isEqualTo(
            "{\"job_queue\":\"m9\",\"reserve_data\":"
                + "{\"ssh_keys\":[\"lp:someone\",\"gh:other\"],\"timeout\":7200}}");
  }

  @Test
  void runJobThatProvisionsWithAttachmentsIsRefused() throws Exception {
    ObjectNode run =
        yaml(
            "job_queue: m1\nprovision_data:\n  attachments:\n    - local: image.img\n"
                + "test_data:\n  test_cmds: true\n");

    assertThatThrownBy(() -> ReservationJobs.job("m1", run, DATA))
        .isInstanceOf(InputException.class)
        .hasMessage(
            "m1: its job's provision_data has attachments, which tfleet reserve does not upload");
  }

  @Test
  void testAttachmentsGoWithTheTest() throws Exception {
    ObjectNode run =
        yaml(
            "job_queue: m1\ntest_data:\n  attachments:\n    - local: t.sh\n  test_cmds: sh t.sh\n");

    assertThat(ReservationJobs.job("m1", run, DATA).has("test_data")).isFalse();
  }

  @Test
  void runJobWithoutAQueueIsRefused() throws Exception {
    assertThatThrownBy(() -> ReservationJobs.job("m1", yaml("test_data: {test_cmds: x}\n"), DATA))
        .isInstanceOf(InputException.class)
        .hasMessage("m1: its job.yaml has no job_queue");
  }
}
