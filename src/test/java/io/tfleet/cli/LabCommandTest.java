package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.lab.Fault;
import io.tfleet.lab.FaultPlan;
import io.tfleet.lab.MachineSetup;
import io.tfleet.lab.Trouble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The lab's settings as {@code tfleet lab}'s flags make them, parsed without serving. */
class LabCommandTest {
  private static LabCommand parse(String... args) {
    LabCommand command = new LabCommand(null);
    CommandLine.populateCommand(command, args);
    return command;
  }

  @Test
  void faultRoutesKeepThePlanToThoseRoutes() throws Exception {
    LabCommand command =
        parse(
            "--fault-rate",
            "1",
            "--fault-kinds",
            "503",
            "--fault-routes",
            "GET /v1/result/{id}/artifact , GET /v1/job/search");

    FaultPlan plan = command.config().faults();

    assertThat(plan.faultFor("GET /v1/result/{id}/artifact", 1)).contains(Fault.status(503));
    assertThat(plan.faultFor("GET /v1/job/search", 7)).contains(Fault.status(503));
    assertThat(plan.faultFor("GET /v1/result/{id}", 1)).isEmpty();
    assertThat(command.faultsLine())
        .contains("on GET /v1/result/{id}/artifact, GET /v1/job/search only");
  }

  @Test
  void troubleFlagsAndQueuesFileSettingsMakeTheLabsTrouble(@TempDir Path dir) throws Exception {
    Path queues =
        Files.writeString(
            dir.resolve("queues.txt"), "m1\nm2 test-status=1 provision-streak=fail:3\n");
    LabCommand command =
        parse(
            "--provision-failure-rate",
            "0.3",
            "--lose-job-rate",
            "0.05",
            "--agent-offline-rate",
            "0.1",
            "--agent-offline-seconds",
            "2.5",
            "--trouble-seed",
            "7",
            "--queues-file",
            queues.toString());

    Trouble trouble = command.config().trouble();

    assertThat(trouble)
        .isEqualTo(
            Trouble.none()
                .withProvisionFailureRate(0.3)
                .withLoseJobRate(0.05)
                .withAgentOffline(0.1, Duration.ofMillis(2500))
                .withSeed(7)
                .withMachines(
                    Map.of(
                        "m2",
                        MachineSetup.plain().withTestStatus(1).withProvisionStreak("fail", 3))));
    assertThat(command.trouble.line())
        .isEqualTo(
            "lab trouble: 0.3 of jobs fail their provision, 0.05 of jobs are lost after setup, 0.1"
                + " of jobs take their machine offline for 2.5 s after they end (seed 7)");
  }

  @Test
  void withoutTroubleFlagsTheLabHasNone() throws Exception {
    LabCommand command = parse();

    assertThat(command.config().trouble()).isEqualTo(Trouble.none());
    assertThat(command.trouble.line()).isEqualTo("lab trouble: none");
  }
}
