package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.lab.MachineSetup;
import io.tfleet.lab.Trouble;
import io.tfleet.testing.Await;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.LabHttp;
import io.tfleet.testing.TfleetProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tfleet reserve} (a process where Ctrl-C comes): the failed machine of a run is reserved,
 * its earlier result kept in round-1, and {@code tfleet cancel} ends the reservation; Ctrl-C leaves
 * it running.
 */
class ReserveIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final Pattern SSH =
      Pattern.compile("(?m)^(\\S+): ssh ubuntu@(198\\.1[89]\\.\\d{1,3}\\.\\d{1,3})(.*)$");

  /** The machines lab agents walking phases at a test's pace, one set up to fail its test. */
  private static LabConfig lab() {
    return LabConfig.defaults()
        .withPhaseTime(Duration.ofMillis(20))
        .withTrouble(
            Trouble.none().withMachines(Map.of("rv-2", MachineSetup.plain().withTestStatus(1))));
  }

  @TempDir Path dir;

  @Test
  void failedMachineIsReservedWithItsEarlierResultKeptAndCancelEndsIt() throws Exception {
    try (Lab lab = Lab.start(lab())) {
      LabHttp http = new LabHttp(lab);
      FleetFiles.machines(dir, List.of("rv-1", "rv-2", "rv-3"));
      FleetFiles.template(
          dir,
          "job_queue: $CANONICAL_ID\n"
              + "provision_data:\n  distro: noble\n"
              + "test_data:\n  test_cmds: |\n    echo '{\"status\": \"Certified\"}'\n");
      TfleetProcess.Result run =
          InProcess.run(
              dir,
              LIMIT,
              "--server",
              lab.url().toString(),
              "--output-dir",
              "out",
              "--poll-interval",
              "0.1");
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      Path out = dir.resolve("out");
      String failedJob = FleetFiles.jobId(out, "rv-2");

      TfleetProcess.Result reserve =
          InProcess.run(
              dir,
              LIMIT,
              "reserve",
              "--failed",
              "--ssh-key",
              "lp:someone",
              "--timeout",
              "1h",
              "--no-wait",
              "--output-dir",
              "out");

      assertThat(reserve.exitCode()).as(reserve.toString()).isZero();
      Matcher ssh = SSH.matcher(reserve.out());
      assertThat(ssh.find()).as(reserve.toString()).isTrue();
      assertThat(ssh.group(1)).isEqualTo("rv-2");
      assertThat(ssh.group(3)).startsWith("  (reserved until ");
      String address = ssh.group(2);
      assertThat(ssh.find()).as("one machine only: " + reserve.out()).isFalse();
      assertThat(reserve.err()).contains("tfleet cancel --output-dir out");
      String reservation = FleetFiles.jobId(out, "rv-2");
      assertThat(reservation).isNotEqualTo(failedJob);
      JsonNode held = http.result(reservation);
      assertThat(held.path("job_state").asText()).isEqualTo("reserve");
      assertThat(held.path("device_info").path("device_ip").asText()).isEqualTo(address);
      // The earlier result stays in round-1; the machines that passed keep theirs as they were.
      Path round = out.resolve("rv-2").resolve("round-1");
      assertThat(FleetFiles.read(round.resolve("tf_job_id.txt"))).contains(failedJob);
      assertThat(
              LabHttp.json(Files.readString(round.resolve("result.json")))
                  .path("test_status")
                  .asInt())
          .isEqualTo(1);
      assertThat(out.resolve("rv-1").resolve("round-1")).doesNotExist();
      assertThat(out.resolve("rv-3").resolve("round-1")).doesNotExist();
      assertThat(Files.readString(out.resolve("rv-2").resolve("job.yaml")))
          .contains("reserve_data")
          .doesNotContain("test_data");

      TfleetProcess.Result cancel = InProcess.run(dir, LIMIT, "cancel", "--output-dir", "out");

      assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
      assertThat(cancel.out()).contains("cancelled the job of rv-2").contains("1 job cancelled");
      assertThat(http.state(reservation)).isIn("cancelled", "complete");
      // The hold was let go by the cancel, not at its timeout an hour from now.
      Await.until(
          "the reservation ended",
          LIMIT,
          () -> http.result(reservation).path("reserve_status").asInt(-1) == 247);
      Await.idle(lab);
    }
  }

  @Test
  void ctrlCWhileWaitingExits130AndLeavesTheReservationRunning() throws Exception {
    try (Lab lab = Lab.start(lab())) {
      LabHttp http = new LabHttp(lab);
      TfleetProcess waiting =
          TfleetProcess.start(
              dir,
              Map.of(),
              "reserve",
              "rv-9",
              "--ssh-key",
              "gh:someone",
              "--output-dir",
              "new",
              "--server",
              lab.url().toString());
      Await.until("the ssh command printed", LIMIT, () -> SSH.matcher(printed(waiting)).find());

      new ProcessBuilder("kill", "-INT", Long.toString(waiting.process().pid())).start().waitFor();
      TfleetProcess.Result stopped = waiting.await(LIMIT);

      assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(130);
      assertThat(stopped.err())
          .contains("tfleet cancel --output-dir new")
          .doesNotContain("Exception");
      String id = FleetFiles.jobId(dir.resolve("new"), "rv-9");
      assertThat(http.state(id)).isEqualTo("reserve");
      assertThat(Files.readString(dir.resolve("new/rv-9/job.yaml")))
          .startsWith("---\njob_queue: \"rv-9\"");

      // The new tree knows its server: cancel needs no --server.
      TfleetProcess.Result cancel = InProcess.run(dir, LIMIT, "cancel", "-o", "new");
      assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
      Await.until(
          "the reservation ended",
          LIMIT,
          () -> http.result(id).path("reserve_status").asInt(-1) == 247);
      Await.idle(lab);
    }
  }

  private static String printed(TfleetProcess process) {
    try {
      return process.outSoFar();
    } catch (IOException e) {
      return "";
    }
  }
}
