package io.tfleet;

import static io.tfleet.testing.FleetFiles.MIXED_TEMPLATE;
import static io.tfleet.testing.FleetFiles.jobId;
import static io.tfleet.testing.FleetFiles.summaryRow;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tfleet.lab.Fault;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.Await;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.LabHttp;
import io.tfleet.testing.TfleetProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run never reports more than happened: the tree remembers its server and every machine, resume
 * never drops one, what tfleet cancelled stays cancelled, and each exit code means what the README
 * says. Against the lab over loopback: processes where Ctrl-C comes, in this JVM elsewhere.
 */
class TrustworthyRunIT {
  private static final Duration LIMIT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void interruptedDuringSubmissionCheckStatusCountsTheMachinesWithoutAJobAndTheHintFinishesTheRun()
      throws Exception {
    List<String> machines = FleetFiles.ids("pass-", 30);
    FleetFiles.machines(dir, machines);
    FleetFiles.template(dir, MIXED_TEMPLATE);
    Path out = dir.resolve("job_outputs");
    // After five jobs, submissions hang until the test lets them through: Ctrl-C comes mid-way.
    AtomicBoolean stall = new AtomicBoolean(true);
    LabConfig config =
        LabConfig.defaults()
            .withSimulate(true)
            .withPhaseTime(Duration.ZERO)
            .withFaults(
                (route, count) ->
                    stall.get() && route.equals("POST /v1/job") && count > 5
                        ? Optional.of(Fault.slow(Duration.ofSeconds(30)))
                        : Optional.empty());
    try (Lab lab = Lab.start(config)) {
      String url = lab.url().toString();
      TfleetProcess tfleet =
          TfleetProcess.start(
              dir, Map.of(), "--server", url, "--concurrency", "2", "--poll-interval", "0.2");
      Await.until(
          "five jobs submitted",
          LIMIT,
          () ->
              lab.stats().jobsCreated() >= 5
                  && lab.stats().requests().getOrDefault("POST /v1/job", 0L) >= 7);
      interrupt(tfleet);
      TfleetProcess.Result stopped = tfleet.await(LIMIT);

      assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(130);
      assertThat(stopped.out()).contains("30 machines: ").contains("not submitted");
      String hint = carryOnCommand(stopped.err());
      assertThat(hint).contains("--server " + url).doesNotContain("--check-status");

      // Without --server: the tree knows its server. The seed's --check-status never submits.
      TfleetProcess.Result checked =
          InProcess.run(dir, LIMIT, "--check-status", "--poll-interval", "0.2");
      assertThat(checked.exitCode()).as(checked.toString()).isEqualTo(1);
      long passed = lab.stats().jobsCreated();
      assertThat(checked.out())
          .contains("30 machines: " + passed + " passed, " + (30 - passed) + " not submitted");
      assertThat(checked.err())
          .contains("no job: --check-status watches jobs and never submits", hint);
      JsonNode totals = JSON.readTree(out.resolve("summary.json").toFile()).get("totals");
      assertThat(totals.get("machines").asInt()).isEqualTo(30);
      assertThat(totals.get("passed").asInt() + totals.get("not_submitted").asInt()).isEqualTo(30);
      assertThat(Files.readString(out.resolve("junit.xml"))).contains("tests=\"30\"");

      TfleetProcess.Result status = InProcess.run(dir, LIMIT, "status");
      assertThat(status.exitCode()).as(status.toString()).isEqualTo(1);
      assertThat(status.out()).contains("not submitted");

      stall.set(false);
      TfleetProcess.Result finished = InProcess.run(dir, LIMIT, words(hint));
      assertThat(finished.exitCode()).as(finished.toString()).isZero();
      assertThat(finished.out()).contains("30 machines: 30 passed");
      assertThat(lab.stats().jobsCreated()).as("one job per machine").isEqualTo(30);
    }
  }

  @Test
  void statusCancelAndMonitorUseTheTreesServerAndWhatTfleetCancelledStaysCancelled()
      throws Exception {
    List<String> machines = FleetFiles.ids("hold-", 3);
    FleetFiles.machines(dir, machines);
    FleetFiles.template(dir, MIXED_TEMPLATE);
    Path out = dir.resolve("job_outputs");
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ofMillis(20)))) {
      String url = lab.url().toString();
      TfleetProcess.Result sent = InProcess.run(dir, LIMIT, "--send-jobs", "--server", url);
      assertThat(sent.exitCode()).as(sent.toString()).isZero();
      Await.until(
          "every job running its test",
          LIMIT,
          () ->
              machines.stream()
                  .allMatch(m -> "test".equals(LabHttp.state(lab.url(), jobId(out, m)))));

      TfleetProcess.Result status = InProcess.run(dir, LIMIT, "status");
      assertThat(status.exitCode()).as(status.toString()).isEqualTo(1);
      assertThat(summaryRow(status.out(), "hold-01")).contains(" test ", "unfinished");

      TfleetProcess.Result cancel = InProcess.run(dir, LIMIT, "cancel");
      assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
      assertThat(cancel.out()).contains("3 jobs cancelled");
      // The lab, like the upstream agent, ends a cancelled running job `complete` with the
      // interrupted phase's status non-zero: tfleet must not read that as a failed test.
      Await.until(
          "the agent's own outcome overwrote cancelled",
          LIMIT,
          () ->
              machines.stream()
                  .allMatch(m -> "complete".equals(LabHttp.state(lab.url(), jobId(out, m)))));

      TfleetProcess.Result monitored =
          InProcess.run(dir, LIMIT, "--check-status", "--poll-interval", "0.2");
      assertThat(monitored.exitCode()).as(monitored.toString()).isEqualTo(1);
      assertThat(monitored.out()).contains("3 machines: 3 cancelled");
      assertThat(summaryRow(monitored.out(), "hold-02")).contains("cancelled with tfleet cancel");

      TfleetProcess.Result report = InProcess.run(dir, LIMIT, "report");
      assertThat(report.exitCode()).as(report.toString()).isZero();
      JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
      assertThat(summary.get("server").asText()).isEqualTo(lab.url().toString());
      assertThat(summary.get("totals").get("cancelled").asInt()).isEqualTo(3);
    }
  }

  @Test
  void aTimedOutJobStaysTimedOutInLaterCommands() throws Exception {
    FleetFiles.machines(dir, List.of("hold-1"));
    FleetFiles.template(dir, MIXED_TEMPLATE);
    Path out = dir.resolve("job_outputs");
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ofMillis(20)))) {
      TfleetProcess.Result run =
          InProcess.run(
              dir,
              LIMIT,
              "--server",
              lab.url().toString(),
              "--poll-interval",
              "0.2",
              "--timeout",
              "2s");
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(run.out()).contains("1 machine: 1 timed out");
      Await.until(
          "the agent finished the cancelled job", LIMIT, () -> lab.stats().jobsActive() == 0);

      TfleetProcess.Result monitored = InProcess.run(dir, LIMIT, "--check-status");
      assertThat(monitored.exitCode()).as(monitored.toString()).isEqualTo(1);
      assertThat(summaryRow(monitored.out(), "hold-1"))
          .contains("timed out: not finished 2s after submission");
      assertThat(
              JSON.readTree(out.resolve("summary.json").toFile())
                  .get("machines")
                  .get(0)
                  .get("verdict")
                  .asText())
          .isEqualTo("timed_out");
    }
  }

  @Test
  void anUnreachableServerExits3WithWordsForEveryCommand() throws Exception {
    FleetFiles.machines(dir, List.of("pass-1"));
    FleetFiles.template(dir, MIXED_TEMPLATE);
    Path out = dir.resolve("job_outputs");
    String closed;
    try (Lab lab =
        Lab.start(LabConfig.defaults().withSimulate(true).withPhaseTime(Duration.ofSeconds(30)))) {
      TfleetProcess.Result sent =
          InProcess.run(dir, LIMIT, "--send-jobs", "--server", lab.url().toString());
      assertThat(sent.exitCode()).as(sent.toString()).isZero();
      closed = lab.url().toString();
    }
    // The tree's own server, now gone; and a --server that never was, taken on purpose.
    String never = "http://127.0.0.1:" + freePort();
    List<List<String>> commands =
        List.of(
            List.of(),
            List.of("--check-status"),
            List.of("status"),
            List.of("cancel"),
            List.of("cancel", UUID.randomUUID().toString()),
            List.of("status", "--server", never, "--allow-server-change"));
    for (List<String> command : commands) {
      TfleetProcess.Result result = InProcess.run(dir, LIMIT, command.toArray(String[]::new));
      assertThat(result.exitCode()).as(command + "\n" + result).isEqualTo(3);
      assertThat(result.err())
          .as(command + "\n" + result)
          .containsAnyOf(
              "cannot reach " + closed + ": connection refused",
              "cannot reach " + never + ": connection refused")
          .doesNotContain("Exception", "\tat ");
    }
    assertThat(out.resolve("pass-1/result.json")).doesNotExist();
  }

  @Test
  void aRunThatCannotReachTheServerLeavesNoNewFolderBehind() throws Exception {
    FleetFiles.machines(dir, List.of("pass-1"));
    FleetFiles.template(dir, MIXED_TEMPLATE);
    String never = "http://127.0.0.1:" + freePort();
    Path kept = Files.createDirectories(dir.resolve("kept"));

    TfleetProcess.Result fresh =
        InProcess.run(dir, LIMIT, "--server", never, "--output-dir", "fresh");
    TfleetProcess.Result existing =
        InProcess.run(dir, LIMIT, "--server", never, "--output-dir", "kept");

    assertThat(fresh.exitCode()).as(fresh.toString()).isEqualTo(3);
    assertThat(dir.resolve("fresh")).doesNotExist();
    // A folder the user made stays, whatever tfleet did in it.
    assertThat(existing.exitCode()).as(existing.toString()).isEqualTo(3);
    assertThat(kept).isDirectory();
  }

  @Test
  void anOutputTreeThatCannotBeWrittenExits4NotAFailedMachine() throws Exception {
    FleetFiles.machines(dir, List.of("pass-1", "pass-2"));
    FleetFiles.template(dir, MIXED_TEMPLATE);
    Path out = Files.createDirectories(dir.resolve("job_outputs"));
    Files.writeString(out.resolve("pass-2"), "a file where the machine's folder belongs");
    try (Lab lab =
        Lab.start(LabConfig.defaults().withSimulate(true).withPhaseTime(Duration.ZERO))) {
      TfleetProcess.Result run =
          InProcess.run(
              dir,
              LIMIT,
              "--server",
              lab.url().toString(),
              "--poll-interval",
              "0.2",
              "--no-preflight");
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
      assertThat(run.err()).contains("cannot write the output tree").doesNotContain("\tat ");
    }
  }

  @Test
  void ctrlCWhileWaitingForAgentsExits130WithNothingSubmitted() throws Exception {
    FleetFiles.machines(dir, List.of("pass-1"));
    FleetFiles.template(dir, MIXED_TEMPLATE);
    try (Lab lab = Lab.start(LabConfig.defaults().withQueues(Set.of("other")))) {
      TfleetProcess tfleet =
          TfleetProcess.start(
              dir,
              Map.of(),
              "--server",
              lab.url().toString(),
              "--wait-for-available-agents",
              "--poll-interval",
              "0.2");
      Await.until(
          "waiting for machines",
          LIMIT,
          () ->
              FleetFiles.read(tfleet.stderr())
                  .orElse("")
                  .contains("waiting for available machines"));
      interrupt(tfleet);
      TfleetProcess.Result stopped = tfleet.await(LIMIT);
      assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(130);
      assertThat(stopped.err()).contains("interrupted before anything was submitted");
      assertThat(lab.stats().jobsCreated()).isZero();
    }
  }

  private static void interrupt(TfleetProcess tfleet) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-INT", Long.toString(tfleet.process().pid())).start().waitFor();
  }

  /** The command an interrupted run prints for carrying on, without the leading {@code tfleet}. */
  private static String carryOnCommand(String err) {
    List<String> lines = err.lines().toList();
    for (int i = 0; i < lines.size() - 1; i++) {
      if (lines.get(i).endsWith("Carry on with:")) {
        return lines.get(i + 1).strip();
      }
    }
    throw new AssertionError("no carry-on command in\n" + err);
  }

  private static String[] words(String command) {
    List<String> words = new ArrayList<>(List.of(command.split(" ")));
    assertThat(words.remove(0)).isEqualTo("tfleet");
    return words.toArray(String[]::new);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
