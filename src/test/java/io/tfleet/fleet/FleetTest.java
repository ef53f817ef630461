package io.tfleet.fleet;

import static io.tfleet.testing.FleetFiles.MIXED_TEMPLATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tfleet.client.TestflingerClient;
import io.tfleet.job.MachineId;
import io.tfleet.job.RenderedJob;
import io.tfleet.job.Template;
import io.tfleet.lab.Fault;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.report.Verdict;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import io.tfleet.testing.Await;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.LabHttp;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet in this JVM against the lab in this JVM: fast, and a failure points at the fleet. */
class FleetTest {
  private static final Duration ROUNDS = Duration.ofMillis(100);

  @TempDir Path dir;

  private List<RenderedJob> jobs(List<String> machines) throws Exception {
    Template template = Template.read(FleetFiles.template(dir, MIXED_TEMPLATE), dir);
    List<RenderedJob> jobs = new ArrayList<>();
    for (int i = 0; i < machines.size(); i++) {
      jobs.add(template.render(new MachineId(machines.get(i), i + 1)));
    }
    return jobs;
  }

  private static List<MachineFolder> folders(OutputTree tree, List<String> machines) {
    return machines.stream().map(tree::machine).toList();
  }

  private static TestflingerClient client(Lab lab) {
    return new TestflingerClient(lab.url(), Duration.ofSeconds(10));
  }

  private static FleetSettings settings() {
    return FleetSettings.defaults()
        .withConcurrency(4)
        .withBackoff(
            new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(20)));
  }

  @Test
  void submitsOneJobPerMachineAndMonitorsWithOneSearchPerRound() throws Exception {
    List<String> machines = List.of("pass-1", "pass-2", "fail-1");
    OutputTree tree = OutputTree.open(dir.resolve("out"), /* create= */ true);
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO));
        Fleet fleet =
            new Fleet(
                client(lab), FleetState.load(tree, jobs(machines)), FleetEvents.NONE, settings())) {
      List<Fleet.Submission> submitted = fleet.submit();
      assertThat(submitted).allMatch(Fleet.Submission::ok).hasSize(3);

      List<Outcome> outcomes = fleet.monitor(ROUNDS);

      assertThat(outcomes)
          .extracting(Outcome::machine)
          .containsExactly("fail-1", "pass-1", "pass-2");
      assertThat(outcomes)
          .extracting(Outcome::verdict)
          .containsExactly(Verdict.FAILED, Verdict.PASSED, Verdict.PASSED);
      assertThat(lab.stats().jobsCreated()).isEqualTo(3);
      assertThat(lab.stats().requestCount("GET /v1/result/{id}")).isEqualTo(3);
      assertThat(tree.machine("pass-1").hwStatus()).contains("Certified");
    }
  }

  @Test
  void everyPhasesOutputIsKeptBesideTheTestOutput() throws Exception {
    List<String> machines = List.of("pass-1", "fail-1");
    OutputTree tree = OutputTree.open(dir.resolve("out"), /* create= */ true);
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO));
        Fleet fleet =
            new Fleet(
                client(lab), FleetState.load(tree, jobs(machines)), FleetEvents.NONE, settings())) {
      fleet.submit();
      fleet.monitor(ROUNDS);

      for (String machine : machines) {
        Path folder = tree.machine(machine).dir();
        String jobId = tree.machine(machine).jobId().orElseThrow();
        assertThat(folder.resolve("setup_output.txt"))
            .content()
            .isEqualTo("Agent " + machine + "-agent set up job " + jobId + "\n");
        assertThat(folder.resolve("provision_output.txt"))
            .content()
            .startsWith("Provisioning " + machine);
        assertThat(folder.resolve("cleanup_output.txt")).content().isEqualTo("Cleanup complete\n");
        assertThat(folder.resolve("firmware_update_output.txt"))
            .as("no output, no file")
            .doesNotExist();
        assertThat(folder.resolve("test_output.txt"))
            .as("the test output stays output.txt")
            .doesNotExist();
        // The lab has no serial console: it serves the log, with nothing in it.
        try (var files = Files.list(folder)) {
          assertThat(files.map(f -> f.getFileName().toString()))
              .noneMatch(f -> f.endsWith("_serial.txt"));
        }
      }
      assertThat(tree.machine("pass-1").dir().resolve("output.txt"))
          .content()
          .contains("\"status\": \"Certified\"");
      // Serial logs are asked for the machine that did not pass only.
      assertThat(lab.stats().requestCount("GET /v1/result/{id}/log/{type}")).isEqualTo(1);
    }
  }

  @Test
  void aSubmissionWhoseAnswerIsLostIsAskedAboutNotSentTwice() throws Exception {
    List<String> machines = List.of("pass-1", "pass-2");
    OutputTree tree = OutputTree.open(dir.resolve("out"), /* create= */ true);
    // The lab takes each first submission, then answers 500 as if it had not.
    LabConfig config =
        LabConfig.defaults()
            .withSimulate(true)
            .withPhaseTime(Duration.ZERO)
            .withFaults(
                (route, count) ->
                    route.equals("POST /v1/job") && count <= 2
                        ? Optional.of(Fault.status(500).onceHandled())
                        : Optional.empty());
    try (Lab lab = Lab.start(config);
        Fleet fleet =
            new Fleet(
                client(lab), FleetState.load(tree, jobs(machines)), FleetEvents.NONE, settings())) {
      fleet.submit();
      fleet.monitor(ROUNDS);

      assertThat(lab.stats().jobsCreated()).isEqualTo(2);
      assertThat(lab.stats().requestCount("POST /v1/job")).isEqualTo(2);
      assertThat(tree.machine("pass-1").jobId()).isPresent();
    }
  }

  @Test
  void peekFilesNothingAndWaitsForNothing() throws Exception {
    List<String> machines = List.of("hold-1");
    OutputTree tree = OutputTree.open(dir.resolve("out"), /* create= */ true);
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO));
        Fleet fleet =
            new Fleet(
                client(lab), FleetState.load(tree, jobs(machines)), FleetEvents.NONE, settings())) {
      fleet.submit();
      List<Outcome> seen = fleet.peek();
      assertThat(seen).singleElement().extracting(Outcome::verdict).isEqualTo(Verdict.UNFINISHED);
      assertThat(tree.machine("hold-1").result()).isEmpty();
      fleet.cancelUnfinished("test over");
    }
  }

  @Test
  void whatTheFleetCancelledEndsCancelledThoughTheAgentSaysComplete() throws Exception {
    List<String> machines = List.of("hold-1", "hold-2");
    OutputTree tree = OutputTree.open(dir.resolve("out"), /* create= */ true);
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ofMillis(20)));
        Fleet fleet =
            new Fleet(
                client(lab), FleetState.load(tree, jobs(machines)), FleetEvents.NONE, settings())) {
      fleet.submit();
      Fleet.Cancelled cancelled = fleet.cancelUnfinished("cancelled in a test");
      assertThat(cancelled.machines()).containsExactly("hold-1", "hold-2");
      assertThat(cancelled.failures()).isEmpty();
      for (String m : machines) {
        String job = tree.machine(m).jobId().orElseThrow();
        Await.until(
            m + " reported complete by its agent",
            Duration.ofSeconds(30),
            () -> "complete".equals(LabHttp.state(lab.url(), job)));
      }

      List<Outcome> outcomes = fleet.monitor(ROUNDS);
      assertThat(outcomes)
          .allSatisfy(
              o -> {
                assertThat(o.verdict()).isEqualTo(Verdict.CANCELLED);
                assertThat(o.reason()).isEqualTo("cancelled in a test");
              });
    }
  }

  @Test
  void aTreeThatCannotBeWrittenStopsTheBatch() throws Exception {
    List<String> machines = List.of("pass-1", "pass-2");
    OutputTree tree = OutputTree.open(dir.resolve("out"), /* create= */ true);
    Files.writeString(dir.resolve("out/pass-2"), "a file where a folder belongs");
    try (Lab lab = Lab.start(LabConfig.defaults().withSimulate(true).withPhaseTime(Duration.ZERO));
        Fleet fleet =
            new Fleet(
                client(lab), FleetState.load(tree, jobs(machines)), FleetEvents.NONE, settings())) {
      assertThatThrownBy(() -> fleet.submit())
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("pass-2");
    }
  }
}
