package io.tfleet;

import static io.tfleet.testing.FleetFiles.MIXED_TEMPLATE;
import static io.tfleet.testing.FleetFiles.jobId;
import static io.tfleet.testing.FleetFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.TfleetProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many machines at once: every file right, no job twice, few requests. */
class ScaleIT {
  private static final Duration LIMIT = Duration.ofSeconds(180);

  @TempDir Path dir;

  @Test
  void fiveHundredMachinesWithMixedOutcomesAreEachFiledOnce() throws Exception {
    List<String> machines = new ArrayList<>(FleetFiles.ids("pass-", 400));
    machines.addAll(FleetFiles.ids("fail-", 100));
    FleetFiles.machines(dir, machines);
    FleetFiles.template(dir, MIXED_TEMPLATE);
    Path out = dir.resolve("job_outputs");
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO))) {
      TfleetProcess.Result run =
          InProcess.run(
              dir,
              LIMIT,
              "--server",
              lab.url().toString(),
              "--poll-interval",
              "0.5",
              "--concurrency",
              "16",
              "-q");

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(run.out()).contains("500 machines: 400 passed, 100 failed");
      assertThat(lab.stats().jobsCreated()).isEqualTo(500);
      Set<String> jobIds = new HashSet<>();
      for (String m : machines) {
        jobIds.add(jobId(out, m));
        String expected = m.startsWith("pass-") ? "Certified" : "Failed";
        assertThat(read(out.resolve(m).resolve("hw_status.txt"))).as(m).contains(expected);
      }
      assertThat(jobIds).hasSize(500);
      // One result per job, one submission per job, and searches per round rather than per job.
      assertThat(lab.stats().requestCount("POST /v1/job")).isEqualTo(500);
      assertThat(lab.stats().requestCount("GET /v1/result/{id}")).isEqualTo(500);
      assertThat(lab.stats().requestCount("GET /v1/job/search")).isLessThan(100);
    }
  }

  @Test
  void twoRunsInOneTreeHaveTheirOwnRunTags() throws Exception {
    FleetFiles.template(dir, MIXED_TEMPLATE);
    Path out = dir.resolve("job_outputs");
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO))) {
      String url = lab.url().toString();
      Files.writeString(dir.resolve("first.txt"), "pass-a1\npass-a2\n");
      Files.writeString(dir.resolve("second.txt"), "pass-b1\npass-b2\n");
      TfleetProcess.Result first =
          InProcess.run(
              dir,
              LIMIT,
              "--server",
              url,
              "--machines-file",
              "first.txt",
              "--poll-interval",
              "0.2");
      TfleetProcess.Result second =
          InProcess.run(
              dir,
              LIMIT,
              "--server",
              url,
              "--machines-file",
              "second.txt",
              "--poll-interval",
              "0.2");

      assertThat(first.exitCode()).as(first.toString()).isZero();
      assertThat(second.exitCode()).as(second.toString()).isZero();
      String tagA = read(out.resolve("pass-a1/.run_tag")).orElseThrow();
      String tagB = read(out.resolve("pass-b1/.run_tag")).orElseThrow();
      assertThat(tagA).startsWith("tfleet-run-").isNotEqualTo(tagB);
      assertThat(read(out.resolve("pass-a2/.run_tag"))).contains(tagA);
      assertThat(read(out.resolve("pass-b2/.run_tag"))).contains(tagB);
      assertThat(second.err()).doesNotContain("asking job by job");

      TfleetProcess.Result both = InProcess.run(dir, LIMIT, "--check-status", "--server", url);
      assertThat(both.exitCode()).isZero();
      assertThat(both.out()).contains("4 machines: 4 passed");
    }
  }

  @Test
  void treeFromTheOriginalScriptIsMonitoredJobByJob() throws Exception {
    Path out = dir.resolve("job_outputs");
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO))) {
      // What run-jobs.py leaves: a folder per machine with only the job id, no run tag.
      for (String m : List.of("m1", "m2")) {
        var answer =
            io.tfleet.testing.LabHttp.postJson(
                lab.url(),
                "/v1/job",
                "{\"job_queue\": \""
                    + m
                    + "\", \"test_data\": {\"test_cmds\": \"echo '{\\\"status\\\": \\\"Certified\\\"}'\"}}");
        String id = io.tfleet.testing.LabHttp.json(answer.body()).path("job_id").asText();
        Files.createDirectories(out.resolve(m));
        Files.writeString(out.resolve(m).resolve("tf_job_id.txt"), id);
      }
      TfleetProcess.Result run =
          InProcess.run(
              dir,
              LIMIT,
              "--check-status",
              "--server",
              lab.url().toString(),
              "--poll-interval",
              "0.2");
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(lab.stats().requestCount("GET /v1/job/search")).isZero();
      assertThat(read(out.resolve("m1/hw_status.txt"))).contains("Certified");
    }
  }
}
