package io.tfleet;

import static io.tfleet.testing.FleetFiles.MIXED_TEMPLATE;
import static io.tfleet.testing.FleetFiles.jobId;
import static io.tfleet.testing.FleetFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.Await;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.LabHttp;
import io.tfleet.testing.TfleetProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tfleet against a lab over loopback: the jar as a separate process where that is the point (a
 * fleet worked on while it runs, --send-jobs then --check-status), in this JVM elsewhere.
 */
class FleetIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void twentyMachineFleetWithMixedOutcomesFilesEveryResult() throws Exception {
    List<String> machines = new ArrayList<>();
    machines.addAll(FleetFiles.ids("pass-", 12));
    machines.addAll(FleetFiles.ids("fail-", 5));
    machines.addAll(FleetFiles.ids("hold-", 2));
    // Every queue but this one has a machine, so its job waits until it is cancelled.
    Set<String> queues = new HashSet<>(machines);
    machines.add("wait-01");
    FleetFiles.machines(dir, machines);
    FleetFiles.template(dir, MIXED_TEMPLATE);
    Path out = dir.resolve("job_outputs");

    LabConfig config = LabConfig.defaults().withPhaseTime(Duration.ofMillis(20)).withQueues(queues);
    try (Lab lab = Lab.start(config)) {
      TfleetProcess tfleet =
          TfleetProcess.start(
              dir,
              Map.of(),
              "--server",
              lab.url().toString(),
              "--poll-interval",
              "0.2",
              "--no-preflight");
      for (String held : List.of("hold-01", "hold-02")) {
        Await.until(
            held + " running its test",
            LIMIT,
            () ->
                read(out.resolve(held).resolve("tf_job_id.txt"))
                    .map(id -> "test".equals(LabHttp.state(lab.url(), id)))
                    .orElse(false));
        LabHttp.cancel(lab.url(), jobId(out, held));
      }
      Await.until(
          "wait-01 submitted", LIMIT, () -> Files.exists(out.resolve("wait-01/tf_job_id.txt")));
      LabHttp.cancel(lab.url(), jobId(out, "wait-01"));

      TfleetProcess.Result run = tfleet.await(LIMIT);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(lab.stats().jobsCreated()).isEqualTo(20);
      for (String m : FleetFiles.ids("pass-", 12)) {
        assertThat(read(out.resolve(m).resolve("output.txt")))
            .as("output of " + m)
            .get()
            .asString()
            .contains("\"status\": \"Certified\", \"id\": \"" + m + "\"");
        assertThat(read(out.resolve(m).resolve("hw_status.txt"))).contains("Certified");
        assertThat(FleetFiles.summaryRow(run.out(), m)).contains(" complete ", " 0 ", " passed");
      }
      for (String m : FleetFiles.ids("fail-", 5)) {
        assertThat(read(out.resolve(m).resolve("hw_status.txt"))).contains("Failed");
        assertThat(FleetFiles.summaryRow(run.out(), m))
            .contains(" 3 ", " failed ", "test phase exited 3");
      }
      for (String m : List.of("hold-01", "hold-02")) {
        JsonNode result = LabHttp.json(read(out.resolve(m).resolve("result.json")).orElseThrow());
        boolean cancelledOrInterrupted =
            result.path("job_state").asText().equals("cancelled")
                || result.path("test_status").asInt(0) != 0;
        assertThat(cancelledOrInterrupted).as(m + " result " + result).isTrue();
        assertThat(FleetFiles.summaryRow(run.out(), m)).doesNotContain("passed");
      }
      assertThat(FleetFiles.summaryRow(run.out(), "wait-01")).contains(" cancelled ");
      assertThat(out.resolve("wait-01/output.txt")).doesNotExist();
      assertThat(run.out()).contains("20 machines: 12 passed, ");
      assertThat(FleetFiles.leftovers(out)).isEmpty();
    }
  }

  @Test
  void sendJobsThenCheckStatusAsSeparateProcessesLeaveTheOriginalFiles() throws Exception {
    List<String> machines = FleetFiles.ids("pass-", 5);
    FleetFiles.machines(dir, machines);
    FleetFiles.template(dir, MIXED_TEMPLATE);
    Path out = dir.resolve("job_outputs");
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ofMillis(20)))) {
      String url = lab.url().toString();
      TfleetProcess.Result sent = TfleetProcess.run(dir, LIMIT, "--send-jobs", "--server", url);
      assertThat(sent.exitCode()).as(sent.toString()).isZero();
      assertThat(sent.out()).contains("5 of 5 jobs submitted");
      for (String m : machines) {
        assertThat(jobId(out, m)).matches("[0-9a-f-]{36}");
        assertThat(out.resolve(m).resolve("output.txt")).doesNotExist();
      }

      TfleetProcess.Result checked =
          TfleetProcess.run(
              dir, LIMIT, "--check-status", "--server", url, "--poll-interval", "0.2");

      assertThat(checked.exitCode()).as(checked.toString()).isZero();
      assertThat(lab.stats().jobsCreated()).isEqualTo(5);
      for (String m : machines) {
        assertThat(read(out.resolve(m).resolve("hw_status.txt"))).contains("Certified");
        assertThat(read(out.resolve(m).resolve("output.txt"))).get().asString().contains(m);
        assertThat(checked.out()).contains(jobId(out, m));
      }
    }
  }

  @Test
  void serverThatReportsCompletedEndsMonitoring() throws Exception {
    FleetFiles.machines(dir, FleetFiles.ids("pass-", 3));
    FleetFiles.template(dir, MIXED_TEMPLATE);
    LabConfig config =
        LabConfig.defaults().withPhaseTime(Duration.ZERO).withFinalState("completed");
    try (Lab lab = Lab.start(config)) {
      TfleetProcess.Result run =
          InProcess.run(dir, LIMIT, "--server", lab.url().toString(), "--poll-interval", "0.2");
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).contains(" completed ").contains("3 machines: 3 passed");
    }
  }

  @Test
  void runningAgainSubmitsNothingNew() throws Exception {
    FleetFiles.machines(dir, FleetFiles.ids("pass-", 4));
    FleetFiles.template(dir, MIXED_TEMPLATE);
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO))) {
      String url = lab.url().toString();
      TfleetProcess.Result first =
          InProcess.run(dir, LIMIT, "--server", url, "--poll-interval", "0.2");
      TfleetProcess.Result second =
          InProcess.run(dir, LIMIT, "--server", url, "--poll-interval", "0.2");
      assertThat(first.exitCode()).as(first.toString()).isZero();
      assertThat(second.exitCode()).as(second.toString()).isZero();
      assertThat(second.err())
          .contains("pass-01: already has job " + jobId(dir.resolve("job_outputs"), "pass-01"));
      assertThat(lab.stats().jobsCreated()).isEqualTo(4);
    }
  }

  @Test
  void jobTheServerNoLongerKnowsIsReportedNotPolledForever() throws Exception {
    Path out = dir.resolve("job_outputs");
    Files.createDirectories(out.resolve("gone-01"));
    // A job id the server has never had, as one expired after 7 days looks.
    Files.writeString(out.resolve("gone-01/tf_job_id.txt"), java.util.UUID.randomUUID().toString());
    try (Lab lab = Lab.start(LabConfig.defaults())) {
      TfleetProcess.Result run =
          InProcess.run(
              dir,
              LIMIT,
              "--check-status",
              "--server",
              lab.url().toString(),
              "--poll-interval",
              "0.2");
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(FleetFiles.summaryRow(run.out(), "gone-01"))
          .contains("error", "no such job on the server (unknown, or expired after 7 days)");
      assertThat(read(out.resolve("gone-01/error.txt"))).get().asString().contains("no such job");
    }
  }

  @Test
  void unreachableServerExitsThreeAndSaysSo() throws Exception {
    FleetFiles.machines(dir, FleetFiles.ids("pass-", 3));
    FleetFiles.template(dir, MIXED_TEMPLATE);
    int freePort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      freePort = socket.getLocalPort();
    }
    TfleetProcess.Result run =
        InProcess.run(dir, LIMIT, "--server", "http://127.0.0.1:" + freePort);
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.err()).contains("cannot reach http://127.0.0.1:" + freePort);
  }
}
