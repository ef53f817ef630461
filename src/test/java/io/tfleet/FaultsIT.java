package io.tfleet;

import static io.tfleet.testing.FleetFiles.MIXED_TEMPLATE;
import static io.tfleet.testing.FleetFiles.jobId;
import static io.tfleet.testing.FleetFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.lab.Fault;
import io.tfleet.lab.FaultPlan;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.lab.LabStats;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.LabHttp;
import io.tfleet.testing.TfleetProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that fails, restarts, refuses search or expires tokens: tfleet still files every machine
 * once.
 */
class FaultsIT {
  private static final Duration LIMIT = Duration.ofSeconds(240);
  private static final String ATTACHMENTS = "POST /v1/job/{id}/attachments";

  @TempDir Path dir;

  private TfleetProcess.Result run(Lab lab, String... extra) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("--server", lab.url().toString(), "--poll-interval", "0.3"));
    args.addAll(List.of(extra));
    return InProcess.run(dir, LIMIT, args.toArray(String[]::new));
  }

  private void assertEveryMachineFiledOnce(Lab lab, List<String> machines) {
    Path out = dir.resolve("job_outputs");
    Set<String> jobIds = new HashSet<>();
    for (String m : machines) {
      jobIds.add(jobId(out, m));
      assertThat(read(out.resolve(m).resolve("hw_status.txt"))).as(m).contains("Certified");
      assertThat(out.resolve(m).resolve("error.txt")).as(m).doesNotExist();
    }
    assertThat(jobIds).hasSize(machines.size());
    assertThat(lab.stats().jobsCreated()).as("jobs the lab created").isEqualTo(machines.size());
  }

  @Test
  void twoHundredMachinesWithOneCallInFiveFailingEveryWay() throws Exception {
    List<String> machines = FleetFiles.ids("pass-", 200);
    FleetFiles.machines(dir, machines);
    FleetFiles.template(dir, MIXED_TEMPLATE);
    List<Fault> kinds =
        List.of(
            Fault.status(500),
            Fault.status(503),
            Fault.reset(),
            Fault.slow(Duration.ofMillis(500)));
    LabConfig config =
        LabConfig.defaults()
            .withSimulate(true)
            .withPhaseTime(Duration.ofMillis(50))
            .withFaults(FaultPlan.random(0.2, kinds, 7));
    try (Lab lab = Lab.start(config)) {
      TfleetProcess.Result run = run(lab, "--concurrency", "16");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertEveryMachineFiledOnce(lab, machines);
      LabStats stats = lab.stats();
      long injected = stats.faultsInjected().values().stream().mapToLong(Long::longValue).sum();
      long requests = stats.requests().values().stream().mapToLong(Long::longValue).sum();
      assertThat(injected).isGreaterThan(50);
      assertThat(stats.faultsInjected().keySet())
          .contains("500", "503", "reset", "slow", "500-after-handling", "reset-after-handling");
      // The figures the README's reliability section reports.
      System.out.printf(
          "faults: %d requests, %d injected %s, %d jobs, 0 lost, 0 duplicates%n",
          requests, injected, stats.faultsInjected(), stats.jobsCreated());
    }
  }

  @Test
  void labRestartDropsEveryConnectionAndTheRunCarriesOn() throws Exception {
    List<String> machines = FleetFiles.ids("pass-", 40);
    FleetFiles.machines(dir, machines);
    FleetFiles.template(dir, MIXED_TEMPLATE);
    LabConfig config =
        LabConfig.defaults()
            .withSimulate(true)
            .withPhaseTime(Duration.ofMillis(50))
            .withRestartAfter(30);
    try (Lab lab = Lab.start(config)) {
      TfleetProcess.Result run = run(lab);
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertEveryMachineFiledOnce(lab, machines);
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {401, 403, 404})
  void serverThatRefusesSearchIsPolledJobByJob(int refusal) throws Exception {
    List<String> machines = FleetFiles.ids("pass-", 5);
    FleetFiles.machines(dir, machines);
    FleetFiles.template(dir, MIXED_TEMPLATE);
    LabConfig config =
        LabConfig.defaults()
            .withPhaseTime(Duration.ofMillis(50))
            .withFaults(FaultPlan.always("GET /v1/job/search", Fault.status(refusal)));
    try (Lab lab = Lab.start(config)) {
      TfleetProcess.Result run = run(lab);

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.err().split("refuses job search", -1)).hasSize(2);
      assertThat(lab.stats().requestCount("GET /v1/job/search")).isEqualTo(1);
      assertEveryMachineFiledOnce(lab, machines);
    }
  }

  private void attachmentTemplate() throws Exception {
    Files.createDirectories(dir.resolve("examples"));
    for (String name : List.of("hwctl", "with-attachment.yaml")) {
      Files.copy(
          Path.of("examples", name),
          dir.resolve("examples").resolve(name),
          StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  @Test
  void uploadThatFailsTwiceThenWorksIsDelivered() throws Exception {
    attachmentTemplate();
    FleetFiles.machines(dir, List.of("pass-001"));
    LabConfig config =
        LabConfig.defaults()
            .withPhaseTime(Duration.ofMillis(20))
            .withFaults(FaultPlan.firstN(ATTACHMENTS, 2, Fault.reset()));
    try (Lab lab = Lab.start(config)) {
      TfleetProcess.Result run =
          run(
              lab,
              "--template-file",
              "examples/with-attachment.yaml",
              "--attachments-relative-to",
              "examples");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(lab.stats().requestCount(ATTACHMENTS)).isEqualTo(3);
      assertThat(read(dir.resolve("job_outputs/pass-001/output.txt")))
          .get()
          .asString()
          .contains("hwctl: checking machine pass-001");
    }
  }

  @Test
  void uploadThatNeverWorksCancelsTheJobAndReportsTheMachine() throws Exception {
    attachmentTemplate();
    FleetFiles.machines(dir, List.of("pass-001", "pass-002"));
    LabConfig config =
        LabConfig.defaults()
            .withPhaseTime(Duration.ofMillis(20))
            .withFaults(FaultPlan.always(ATTACHMENTS, Fault.status(503)));
    try (Lab lab = Lab.start(config)) {
      TfleetProcess.Result run =
          run(
              lab,
              "--template-file",
              "examples/with-attachment.yaml",
              "--attachments-relative-to",
              "examples",
              "--retry-for",
              "3s");

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(run.out()).contains("2 machines: 2 error");
      assertThat(run.out()).contains("attachments upload failed, job cancelled: cannot upload");
      String job = jobId(dir.resolve("job_outputs"), "pass-001");
      assertThat(LabHttp.state(lab.url(), job)).isEqualTo("cancelled");
      assertThat(lab.stats().requestCount(ATTACHMENTS)).isGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void tokenThatExpiresInTheMiddleOfARunIsRenewed() throws Exception {
    List<String> machines = FleetFiles.ids("pass-", 3);
    FleetFiles.machines(dir, machines);
    FleetFiles.template(dir, MIXED_TEMPLATE);
    // Five phases of 600 ms: every job outlives the first token. A token lives long enough for a
    // renewal and the call it replays even on a busy machine (300 ms once did not).
    LabConfig config =
        LabConfig.defaults()
            .withPhaseTime(Duration.ofMillis(600))
            .withClients(Map.of("ci-bot", "s3cret-key"))
            .withTokenLifetime(Duration.ofMillis(1500));
    try (Lab lab = Lab.start(config)) {
      TfleetProcess.Result run =
          run(lab, "--client-id", "ci-bot", "--secret-key", "s3cret-key", "-v");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(lab.stats().requestCount("POST /v1/oauth2/token")).isGreaterThanOrEqualTo(2);
      assertThat(run.err()).contains("-> 401").doesNotContain("s3cret-key");
      assertEveryMachineFiledOnce(lab, machines);
    }
  }
}
