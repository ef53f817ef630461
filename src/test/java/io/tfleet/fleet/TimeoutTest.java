package io.tfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tfleet.lab.Fault;
import io.tfleet.lab.FaultPlan;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.lab.LabStats;
import io.tfleet.testing.Await;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.TfleetProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --timeout} holds whatever the job search says: a search the server refuses (tfleet then
 * asks job by job), one that keeps failing, or one that still lists the jobs being cancelled never
 * lets a job run past the limit. The jobs here would run for minutes; a run that ignored the limit
 * would not end within the test's minute.
 */
class TimeoutTest {
  private static final List<String> MACHINES = List.of("hold-1", "hold-2", "hold-3");

  @TempDir Path dir;

  private LabStats stats;

  @ParameterizedTest(name = "search answers {0}")
  @ValueSource(ints = {404, 503})
  void jobsPastTheLimitAreCancelledWhateverTheSearchAnswers(int answer) throws Exception {
    TfleetProcess.Result result =
        run(
            (route, count) ->
                route.equals("GET /v1/job/search")
                    ? Optional.of(Fault.status(answer))
                    : Optional.empty());

    assertEveryJobTimedOut(result);
    assertThat(stats.requestCount("GET /v1/job/search"))
        .as("the search was asked, and answered %d", answer)
        .isPositive();
  }

  /**
   * The jobs timed out first are cancelled slowly, so the next round's search still lists them as
   * active while the last machine's job runs on: they are still tfleet's own jobs, and the search
   * is still trusted.
   */
  @Test
  void jobsBeingCancelledAreStillOursToTheSearch() throws Exception {
    TfleetProcess.Result result =
        run(
            (route, count) -> {
              if (route.equals("POST /v1/job") && count == MACHINES.size()) {
                return Optional.of(Fault.slow(Duration.ofSeconds(3)));
              }
              if (route.equals("POST /v1/job/{id}/action") && count < MACHINES.size()) {
                return Optional.of(Fault.slow(Duration.ofSeconds(1)));
              }
              return Optional.empty();
            });

    assertEveryJobTimedOut(result);
    assertThat(result.err()).doesNotContain("not one of ours").doesNotContain("job by job");
    assertThat(stats.requestCount("GET /v1/job/search")).isPositive();
    assertThat(stats.requestCount("GET /v1/result/{id}"))
        .as("no job asked about one by one")
        .isZero();
  }

  /** Runs the machines, whose jobs wait for a file that never comes, with a 2-second limit. */
  private TfleetProcess.Result run(FaultPlan faults) throws Exception {
    String template =
        "job_queue: $CANONICAL_ID\n"
            + "test_data:\n"
            + "  test_cmds: |\n"
            + "    while [ ! -f "
            + dir.resolve("never")
            + " ]; do sleep 0.05; done\n";
    LabConfig config =
        LabConfig.defaults()
            .withPhaseTime(Duration.ofMillis(20))
            .withTestTimeout(Duration.ofMinutes(10))
            .withFaults(faults);
    try (Lab lab = Lab.start(config)) {
      TfleetProcess.Result result =
          InProcess.run(
              dir,
              Duration.ofMinutes(1),
              "--server",
              lab.url().toString(),
              "--machines-file",
              FleetFiles.machines(dir, MACHINES).toString(),
              "--template-file",
              FleetFiles.template(dir, template).toString(),
              "--output-dir",
              "out",
              "--timeout",
              "2s",
              "--poll-interval",
              "0.2",
              "--no-progress");
      // A cancel is answered before the lab has stopped the job's command; the jobs wait on a file
      // that never comes, so only their cancels can end them.
      Await.idle(lab);
      stats = lab.stats();
      return result;
    }
  }

  private void assertEveryJobTimedOut(TfleetProcess.Result result) throws Exception {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("out/summary.json").toFile());
    assertThat(summary.path("machines")).hasSize(MACHINES.size());
    for (JsonNode machine : summary.path("machines")) {
      assertThat(machine.path("verdict").asText()).as(machine.toString()).isEqualTo("timed_out");
    }
    assertThat(stats.requestCount("POST /v1/job/{id}/action"))
        .as("each job cancelled once")
        .isEqualTo(MACHINES.size());
    assertThat(stats.jobsActive()).as("no job left running on the lab").isZero();
  }
}
