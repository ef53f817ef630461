package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.lab.Fault;
import io.tfleet.lab.FaultPlan;
import org.junit.jupiter.api.Test;
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
}
