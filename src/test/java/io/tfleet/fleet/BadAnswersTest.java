package io.tfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tfleet.client.BadAnswerException;
import io.tfleet.lab.Fault;
import io.tfleet.lab.FaultPlan;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.TfleetProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An answer that is not what the API promises (a portal's page, JSON cut in half, JSON of another
 * shape) is trouble that may pass, never a verdict: tried again, said once, and when it never
 * passes the machine stays unfinished for a later {@code --check-status}.
 */
class BadAnswersTest {
  @TempDir Path dir;

  private List<String> machines(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      ids.add(String.format("pass-%03d", i));
    }
    return ids;
  }

  private String[] run(Lab lab, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server",
                lab.url().toString(),
                "--machines-file",
                FleetFiles.machines(dir, machines(count)).toString(),
                "--template-file",
                FleetFiles.template(dir, FleetFiles.MIXED_TEMPLATE).toString(),
                "--output-dir",
                dir.resolve("out").toString(),
                "--poll-interval",
                "0.2",
                "--no-progress"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private int count = 100;

  @Test
  void mangledReadsOfResultsAndSearchesCostNoMachineItsResult() throws Exception {
    FaultPlan mangled =
        FaultPlan.random(0.15, List.of(Fault.html(), Fault.truncate(), Fault.badJson()), 7)
            .onRoutes(List.of("GET /v1/result/{id}", "GET /v1/job/search"));
    try (Lab lab =
        Lab.start(
            LabConfig.defaults()
                .withSimulate(true)
                .withPhaseTime(Duration.ofMillis(50))
                .withFaults(mangled))) {
      TfleetProcess.Result result = InProcess.run(run(lab, "--retry-for", "30s"));

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(lab.stats().faultsTotal()).as("the answers were mangled").isGreaterThan(10);
      for (String m : machines(count)) {
        assertThat(dir.resolve("out").resolve(m).resolve("hw_status.txt"))
            .content()
            .isEqualTo("Certified");
      }
      assertThat(result.err().split(BadAnswerException.hint(), -1))
          .as("the notice, once")
          .hasSize(2);
      assertThat(result.err()).doesNotContain("error:").doesNotContain("Exception");
    }
  }

  @Test
  void answersThatNeverPassLeaveMachinesUnfinishedForALaterCheck() throws Exception {
    count = 3;
    AtomicBoolean healthy = new AtomicBoolean();
    FaultPlan portal =
        (route, n) ->
            !healthy.get() && route.equals("GET /v1/result/{id}")
                ? Optional.of(Fault.html())
                : Optional.empty();
    try (Lab lab =
        Lab.start(
            LabConfig.defaults()
                .withSimulate(true)
                .withPhaseTime(Duration.ZERO)
                .withFaults(portal))) {
      TfleetProcess.Result stalled = InProcess.run(run(lab, "--retry-for", "2s"));

      assertThat(stalled.exitCode()).as(stalled.toString()).isEqualTo(1);
      JsonNode summary = new ObjectMapper().readTree(dir.resolve("out/summary.json").toFile());
      for (JsonNode machine : summary.path("machines")) {
        assertThat(machine.path("verdict").asText()).isEqualTo("unfinished");
        assertThat(machine.path("reason").asText()).contains("not JSON");
      }
      assertThat(summary.path("machines")).hasSize(count);
      assertThat(dir.resolve("out/pass-001/result.json")).doesNotExist();
      assertThat(stalled.err().split(BadAnswerException.hint(), -1)).hasSize(2);

      healthy.set(true);
      TfleetProcess.Result checked =
          InProcess.run(
              "--check-status",
              "--server",
              lab.url().toString(),
              "--output-dir",
              dir.resolve("out").toString(),
              "--poll-interval",
              "0.2",
              "--no-progress");

      assertThat(checked.exitCode()).as(checked.toString()).isZero();
      for (String m : machines(count)) {
        assertThat(dir.resolve("out").resolve(m).resolve("hw_status.txt"))
            .content()
            .isEqualTo("Certified");
      }
    }
  }
}
