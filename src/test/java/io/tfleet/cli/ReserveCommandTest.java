package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.TfleetProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tfleet reserve} in this JVM: its usage errors, and a reservation waited out to its end.
 */
class ReserveCommandTest {
  @TempDir Path dir;

  private String out() {
    return dir.resolve("out").toString();
  }

  @Test
  void machinesAndFailedTogetherOrNeitherAreUsageErrors() {
    TfleetProcess.Result both =
        InProcess.run("reserve", "m1", "--failed", "--ssh-key", "lp:x", "-o", out());
    TfleetProcess.Result neither = InProcess.run("reserve", "--ssh-key", "lp:x", "-o", out());

    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("name machines or --failed, not both");
    assertThat(neither.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(neither.err()).contains("name the machines to reserve, or --failed");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void sshKeyIsRequiredAndMustBeLaunchpadOrGithub() {
    TfleetProcess.Result none = InProcess.run("reserve", "m1", "-o", out());
    TfleetProcess.Result bad =
        InProcess.run(
            "reserve", "m1", "--ssh-key", "someone", "-o", out(), "--server", "http://127.0.0.1:9");
    TfleetProcess.Result noTime =
        InProcess.run("reserve", "m1", "--ssh-key", "lp:x", "--timeout", "0", "-o", out());

    assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.err()).contains("--ssh-key");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("--ssh-key: ssh key 'someone' is neither lp:USER nor gh:USER");
    assertThat(noTime.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noTime.err()).contains("--timeout must be longer than 0s");
  }

  @Test
  void reservationIsWaitedOutToItsEndAndFiled() throws Exception {
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ofMillis(20)))) {
      TfleetProcess.Result reserve =
          InProcess.run(
              "reserve",
              "m7",
              "--ssh-key",
              "lp:someone",
              "--timeout",
              "4s",
              "-o",
              out(),
              "--server",
              lab.url().toString());

      assertThat(reserve.exitCode()).as(reserve.toString()).isZero();
      List<String> lines = reserve.out().lines().toList();
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0))
          .matches("m7: ssh ubuntu@198\\.1[89]\\.\\S+  \\(reserved until .+\\)");
      assertThat(lines.get(1)).isEqualTo("m7: reservation ended (complete)");
      assertThat(reserve.err())
          .contains(
              "m7: reservation job " + FleetFiles.jobId(dir.resolve("out"), "m7") + " submitted")
          .contains("Ctrl-C leaves them running")
          .contains("tfleet cancel --output-dir " + out());
      assertThat(dir.resolve("out/m7/result.json")).exists();
      assertThat(Files.readString(dir.resolve("out/m7/reserve_output.txt"))).contains("RESERVED");

      TfleetProcess.Result status = InProcess.run("status", "-o", out());
      assertThat(FleetFiles.summaryRow(status.out(), "m7")).contains("a reservation: no test ran");
    }
  }

  @Test
  void failedOnATreeThatPassedReservesNothing() throws Exception {
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO))) {
      FleetFiles.machines(dir, List.of("pass-1"));
      FleetFiles.template(dir, FleetFiles.MIXED_TEMPLATE);
      TfleetProcess.Result run =
          InProcess.run(
              "--server",
              lab.url().toString(),
              "--machines-file",
              dir.resolve("machines.txt").toString(),
              "--template-file",
              dir.resolve("tf-job.yaml").toString(),
              "-o",
              out(),
              "-q",
              "--poll-interval",
              "0.1");
      assertThat(run.exitCode()).as(run.toString()).isZero();

      TfleetProcess.Result reserve =
          InProcess.run("reserve", "--failed", "--ssh-key", "lp:x", "-o", out());

      assertThat(reserve.exitCode()).as(reserve.toString()).isZero();
      assertThat(reserve.out()).startsWith("Nothing to reserve: every machine of ");
      assertThat(lab.stats().jobsCreated()).isEqualTo(1);
    }
  }
}
