package io.tfleet;

import static io.tfleet.testing.FleetFiles.MIXED_TEMPLATE;
import static io.tfleet.testing.FleetFiles.jobId;
import static io.tfleet.testing.FleetFiles.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.Await;
import io.tfleet.testing.Chromium;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.LabHttp;
import io.tfleet.testing.TfleetProcess;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees and does: progress, reports, the subcommands, dry runs, shards. */
class OperatorIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);

  @TempDir Path dir;

  private static LabConfig quickLab() {
    return LabConfig.defaults().withPhaseTime(Duration.ofMillis(20));
  }

  @Test
  void onATerminalProgressIsOneStatusLineRedrawnInPlace() throws Exception {
    FleetFiles.machines(dir, FleetFiles.ids("pass-", 3));
    FleetFiles.template(dir, MIXED_TEMPLATE);
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ofMillis(200)))) {
      String command =
          String.join(
              " ",
              TfleetProcess.shellCommand(),
              "--server",
              lab.url().toString(),
              "--poll-interval",
              "0.2");
      // script(1) runs tfleet on a pseudo-terminal and copies what it shows to its stdout.
      ProcessBuilder builder =
          new ProcessBuilder("script", "-qfec", command, "/dev/null")
              .directory(dir.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(dir.resolve("tty.txt").toFile())
              .redirectErrorStream(true);
      builder.environment().put("TERM", "xterm");
      Process script = builder.start();
      assertThat(script.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      String screen = Files.readString(dir.resolve("tty.txt"), StandardCharsets.UTF_8);

      assertThat(script.exitValue()).as(screen).isZero();
      assertThat(screen)
          .contains("\r\033[K")
          .contains("tfleet: 3/3 submitted")
          .contains("passed 3");
      assertThat(screen).doesNotContainPattern("\\d\\d:\\d\\d:\\d\\d pass-01 \\(");
      assertThat(screen).contains("3 machines: 3 passed");
    }
  }

  @Test
  void inAPipeProgressIsPlainTimestampedLines() throws Exception {
    FleetFiles.machines(dir, List.of("pass-01", "fail-01"));
    FleetFiles.template(dir, MIXED_TEMPLATE);
    try (Lab lab = Lab.start(quickLab())) {
      TfleetProcess.Result run =
          InProcess.run(dir, LIMIT, "--server", lab.url().toString(), "--poll-interval", "0.2");

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).doesNotContain("\033[");
      assertThat(run.err().lines().filter(l -> l.contains("pass-01 (")))
          .isNotEmpty()
          .allMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d pass-01 \\([0-9a-f-]{36}\\): .+"));
      assertThat(run.err())
          .containsPattern("\\d\\d:\\d\\d:\\d\\d fail-01: failed: test phase exited 3");
    }
  }

  @Test
  void everyRunWritesSummaryJunitAndHtmlReports() throws Exception {
    FleetFiles.machines(dir, List.of("pass-01", "pass-02", "fail-01"));
    FleetFiles.template(dir, MIXED_TEMPLATE);
    Path out = dir.resolve("job_outputs");
    try (Lab lab = Lab.start(quickLab())) {
      TfleetProcess.Result run =
          InProcess.run(
              dir, LIMIT, "run", "--server", lab.url().toString(), "--poll-interval", "0.2");
      assertThat(run.exitCode()).isEqualTo(1);
    }
    JsonNode summary = LabHttp.json(read(out.resolve("summary.json")).orElseThrow());
    assertThat(summary.at("/totals/machines").asInt()).isEqualTo(3);
    assertThat(summary.at("/totals/passed").asInt()).isEqualTo(2);
    assertThat(summary.at("/totals/failed").asInt()).isEqualTo(1);
    JsonNode failed = summary.at("/machines/0");
    assertThat(failed.path("machine").asText()).isEqualTo("fail-01");
    assertThat(failed.path("queue").asText()).isEqualTo("fail-01");
    assertThat(failed.at("/phase_statuses/test").asInt()).isEqualTo(3);
    assertThat(failed.path("job_id").asText()).isEqualTo(jobId(out, "fail-01"));

    SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
        .newSchema(Path.of("src/test/resources/report/junit.xsd").toFile())
        .newValidator()
        .validate(new StreamSource(out.resolve("junit.xml").toFile()));
    String junit = read(out.resolve("junit.xml")).orElseThrow();
    assertThat(junit).contains("tests=\"3\"", "failures=\"1\"", "name=\"fail-01\"");

    assumeTrue(Chromium.available(), Chromium.missing());
    String dom = Chromium.dumpDom(out.resolve("report.html"), "");
    Matcher rows = Pattern.compile("<tr data-verdict=\"(\\w+)\"").matcher(dom);
    List<String> verdicts = new ArrayList<>();
    while (rows.find()) {
      verdicts.add(rows.group(1));
    }
    assertThat(verdicts).containsExactly("failed", "passed", "passed");
    assertThat(dom).contains("href=\"fail-01/output.txt\"");
  }

  @Test
  void subcommandsSubmitStatusMonitorCancelAndReportEndToEnd() throws Exception {
    FleetFiles.machines(dir, List.of("pass-01", "hold-01"));
    FleetFiles.template(dir, MIXED_TEMPLATE);
    Path out = dir.resolve("job_outputs");
    try (Lab lab = Lab.start(quickLab())) {
      String url = lab.url().toString();
      TfleetProcess.Result submit = InProcess.run(dir, LIMIT, "submit", "--server", url);
      assertThat(submit.exitCode()).as(submit.toString()).isZero();
      assertThat(submit.out()).contains("2 of 2 jobs submitted");
      String held = jobId(out, "hold-01");
      Await.until(
          "hold-01 running its test", LIMIT, () -> "test".equals(LabHttp.state(lab.url(), held)));

      TfleetProcess.Result status = InProcess.run(dir, LIMIT, "status", "--server", url);
      assertThat(status.exitCode()).isEqualTo(1);
      assertThat(FleetFiles.summaryRow(status.out(), "hold-01"))
          .contains(held, " test ", "unfinished");
      assertThat(out.resolve("hold-01/result.json")).doesNotExist();

      TfleetProcess.Result cancel = InProcess.run(dir, LIMIT, "cancel", "--server", url);
      assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
      assertThat(cancel.out()).contains("cancelled the job of hold-01");
      assertThat(LabHttp.state(lab.url(), held)).isIn("cancelled", "complete");

      TfleetProcess.Result monitor =
          InProcess.run(dir, LIMIT, "monitor", "--server", url, "--poll-interval", "0.2");
      assertThat(monitor.exitCode()).as(monitor.toString()).isEqualTo(1);
      assertThat(FleetFiles.summaryRow(monitor.out(), "pass-01")).contains("passed");
      assertThat(FleetFiles.summaryRow(monitor.out(), "hold-01")).doesNotContain("passed");

      Files.delete(out.resolve("summary.json"));
      TfleetProcess.Result report = InProcess.run(dir, LIMIT, "report");
      assertThat(report.exitCode()).isZero();
      assertThat(out.resolve("summary.json")).exists();
      assertThat(
              LabHttp.json(read(out.resolve("summary.json")).orElseThrow())
                  .at("/totals/passed")
                  .asInt())
          .isEqualTo(1);
      assertThat(lab.stats().jobsCreated()).isEqualTo(2);
    }
  }

  @Test
  void dryRunRendersEveryJobAndSendsNothing() throws Exception {
    FleetFiles.machines(dir, List.of("pass-01", "pass-02"));
    FleetFiles.template(dir, MIXED_TEMPLATE);
    try (Lab lab = Lab.start(quickLab())) {
      TfleetProcess.Result run =
          InProcess.run(dir, LIMIT, "--server", lab.url().toString(), "--dry-run");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out())
          .contains(
              "# pass-01: POST /v1/job",
              "# pass-02: POST /v1/job",
              "\"job_queue\" : \"pass-02\"",
              "Dry run: 2 jobs rendered, nothing sent.");
      assertThat(lab.stats().requests()).isEmpty();
      assertThat(dir.resolve("job_outputs")).doesNotExist();
    }
  }

  @Test
  void shardsCoverTheMachinesFileExactlyOnce() throws Exception {
    List<String> machines = FleetFiles.ids("pass-", 30);
    FleetFiles.machines(dir, machines);
    FleetFiles.template(dir, MIXED_TEMPLATE);
    try (Lab lab = Lab.start(quickLab())) {
      List<String> seen = new ArrayList<>();
      for (int k = 1; k <= 3; k++) {
        Path out = dir.resolve("shard-" + k);
        TfleetProcess.Result run =
            InProcess.run(
                dir,
                LIMIT,
                "submit",
                "--server",
                lab.url().toString(),
                "--shard",
                k + "/3",
                "--output-dir",
                out.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        try (var folders = Files.list(out)) {
          folders.filter(Files::isDirectory).forEach(f -> seen.add(f.getFileName().toString()));
        }
      }
      assertThat(seen).containsExactlyInAnyOrderElementsOf(machines);
      assertThat(lab.stats().jobsCreated()).isEqualTo(30);
    }
  }

  @Test
  void preflightStopsBeforeSubmittingWhenAQueueHasNoMachine() throws Exception {
    FleetFiles.machines(dir, List.of("pass-01", "pass-02", "pass-03"));
    FleetFiles.template(dir, MIXED_TEMPLATE);
    LabConfig config = quickLab().withQueues(Set.of("pass-01", "pass-02"));
    try (Lab lab = Lab.start(config)) {
      String url = lab.url().toString();
      TfleetProcess.Result stopped = InProcess.run(dir, LIMIT, "--server", url);
      assertThat(stopped.exitCode()).isEqualTo(2);
      assertThat(stopped.err())
          .contains("pass-03 (queue pass-03): queue does not exist", "nothing was submitted");
      assertThat(lab.stats().jobsCreated()).isZero();

      TfleetProcess.Result skipped =
          InProcess.run(
              dir, LIMIT, "--server", url, "--skip-unavailable", "--poll-interval", "0.2");
      assertThat(skipped.exitCode()).isEqualTo(1);
      assertThat(FleetFiles.summaryRow(skipped.out(), "pass-01")).contains("passed");
      assertThat(FleetFiles.summaryRow(skipped.out(), "pass-03"))
          .contains("error", "skipped: queue pass-03");
      assertThat(lab.stats().jobsCreated()).isEqualTo(2);
    }
  }

  @Test
  void waitForAvailableAgentsWaitsUntilTheQueuesCanRunJobs() throws Exception {
    FleetFiles.machines(dir, List.of("pass-01"));
    FleetFiles.template(dir, MIXED_TEMPLATE);
    // The queue reads as unknown twice, as while its machine is being set up, then exists.
    LabConfig config =
        quickLab()
            .withFaults(
                io.tfleet.lab.FaultPlan.firstN(
                    "GET /v1/queues/{queue}/agents", 2, io.tfleet.lab.Fault.status(404)));
    try (Lab lab = Lab.start(config)) {
      TfleetProcess.Result run =
          InProcess.run(
              dir,
              LIMIT,
              "--server",
              lab.url().toString(),
              "--poll-interval",
              "0.2",
              "--wait-for-available-agents");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.err().split("waiting for available machines on 1 queue", -1)).hasSize(3);
      assertThat(lab.stats().requestCount("GET /v1/queues/{queue}/agents")).isEqualTo(3);
      assertThat(lab.stats().jobsCreated()).isEqualTo(1);
    }
  }

  @Test
  void variablesAndAStatusPatternShapeTheJobAndTheHwStatus() throws Exception {
    FleetFiles.machines(dir, List.of("m-01"));
    FleetFiles.template(
        dir,
        String.join(
            "\n",
            "job_queue: $CANONICAL_ID",
            "test_data:",
            "  test_cmds: echo \"hw=${STAGE}-ok $UNSET_THING\"",
            ""));
    try (Lab lab = Lab.start(quickLab())) {
      TfleetProcess.Result run =
          InProcess.run(
              dir,
              LIMIT,
              "--server",
              lab.url().toString(),
              "--poll-interval",
              "0.2",
              "--var",
              "STAGE=beta",
              "--status-pattern",
              "hw=(\\S+)");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(read(dir.resolve("job_outputs/m-01/hw_status.txt"))).contains("beta-ok");
      assertThat(run.err()).contains("$UNSET_THING is not replaced").doesNotContain("$STAGE");
    }
  }
}
