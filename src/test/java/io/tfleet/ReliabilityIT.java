package io.tfleet;

import static io.tfleet.testing.FleetFiles.MIXED_TEMPLATE;
import static io.tfleet.testing.FleetFiles.jobId;
import static io.tfleet.testing.FleetFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Processes that die, are stopped, or collide: nothing lost, nothing submitted twice. */
@Order(1) // among the longest: started first (docs/development.md)
class ReliabilityIT {
  private static final Duration LIMIT = Duration.ofSeconds(120);

  @TempDir Path dir;

  @Test
  void killedDuringSubmissionThenRerunEndsWithExactlyOneJobPerMachine() throws Exception {
    List<String> machines = FleetFiles.ids("pass-", 60);
    FleetFiles.machines(dir, machines);
    FleetFiles.template(dir, MIXED_TEMPLATE);
    Path out = dir.resolve("job_outputs");
    Random random = new Random(42);
    try (Lab lab =
        Lab.start(LabConfig.defaults().withSimulate(true).withPhaseTime(Duration.ZERO))) {
      String url = lab.url().toString();
      for (int kill = 1; kill <= 4; kill++) {
        long before = lab.stats().jobsCreated();
        TfleetProcess tfleet =
            TfleetProcess.start(
                dir, Map.of(), "--send-jobs", "--server", url, "--concurrency", "2");
        // Kill it at a different point of the submission each time: after a few more jobs exist.
        long more = 1 + random.nextInt(8);
        Await.until(
            "more jobs submitted",
            LIMIT,
            () ->
                lab.stats().jobsCreated() >= Math.min(before + more, machines.size())
                    || !tfleet.process().isAlive());
        tfleet.process().destroyForcibly().waitFor();
      }
      // The kills are the processes' part; what the tree holds afterwards is read in this JVM.
      TfleetProcess.Result rerun =
          InProcess.run(dir, LIMIT, "--server", url, "--poll-interval", "0.2");

      assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
      assertThat(lab.stats().jobsCreated()).isEqualTo(machines.size());
      Set<String> ids = new HashSet<>();
      for (String m : machines) {
        ids.add(jobId(out, m));
        assertThat(read(out.resolve(m).resolve("hw_status.txt"))).contains("Certified");
        assertThat(out.resolve(m).resolve(".tf_job_id.pending")).doesNotExist();
      }
      assertThat(ids).hasSize(machines.size());
    }
  }

  @Test
  void interruptedRunPrintsWhereThingsStandAndCheckStatusCarriesOn() throws Exception {
    List<String> machines = FleetFiles.ids("pass-", 6);
    FleetFiles.machines(dir, machines);
    FleetFiles.template(dir, MIXED_TEMPLATE);
    Path out = dir.resolve("job_outputs");
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ofMillis(300)))) {
      String url = lab.url().toString();
      TfleetProcess tfleet =
          TfleetProcess.start(dir, Map.of(), "--server", url, "--poll-interval", "0.2", "-q");
      Await.until(
          "all jobs submitted",
          LIMIT,
          () ->
              machines.stream()
                  .allMatch(m -> Files.exists(out.resolve(m).resolve("tf_job_id.txt"))));
      new ProcessBuilder("kill", "-INT", Long.toString(tfleet.process().pid())).start().waitFor();
      TfleetProcess.Result stopped = tfleet.await(LIMIT);

      assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(130);
      assertThat(stopped.out()).contains("6 machines: ");
      assertThat(stopped.err()).contains("Interrupted with", "--check-status");
      assertThat(FleetFiles.leftovers(out)).isEmpty();

      TfleetProcess.Result resumed =
          InProcess.run(dir, LIMIT, "--check-status", "--server", url, "--poll-interval", "0.2");
      assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
      assertThat(lab.stats().jobsCreated()).isEqualTo(6);
      for (String m : machines) {
        assertThat(read(out.resolve(m).resolve("hw_status.txt"))).contains("Certified");
      }
    }
  }

  @Test
  void cancelOnInterruptCancelsTheUnfinishedJobs() throws Exception {
    FleetFiles.machines(dir, FleetFiles.ids("hold-", 3));
    FleetFiles.template(dir, MIXED_TEMPLATE);
    Path out = dir.resolve("job_outputs");
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ofMillis(20)))) {
      TfleetProcess tfleet =
          TfleetProcess.start(
              dir,
              Map.of(),
              "--server",
              lab.url().toString(),
              "--poll-interval",
              "0.2",
              "--cancel-on-interrupt");
      Await.until(
          "jobs running their tests",
          LIMIT,
          () ->
              FleetFiles.ids("hold-", 3).stream()
                  .allMatch(
                      m ->
                          read(out.resolve(m).resolve("tf_job_id.txt"))
                              .map(id -> "test".equals(LabHttp.state(lab.url(), id)))
                              .orElse(false)));
      new ProcessBuilder("kill", "-TERM", Long.toString(tfleet.process().pid())).start().waitFor();
      TfleetProcess.Result stopped = tfleet.await(LIMIT);

      assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(130);
      assertThat(stopped.err()).contains("Cancelled the jobs of 3 unfinished machines");
      for (String m : FleetFiles.ids("hold-", 3)) {
        String state = LabHttp.state(lab.url(), jobId(out, m));
        assertThat(state).isIn("cancelled", "complete");
      }
      Await.until("the lab idle", LIMIT, () -> lab.stats().jobsActive() == 0);
    }
  }

  @Test
  void secondTfleetOnTheSameTreeRefusesNamingTheHolder() throws Exception {
    FleetFiles.machines(dir, FleetFiles.ids("hold-", 1));
    FleetFiles.template(dir, MIXED_TEMPLATE);
    Path out = dir.resolve("job_outputs");
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ofMillis(20)))) {
      String url = lab.url().toString();
      TfleetProcess first =
          TfleetProcess.start(dir, Map.of(), "--server", url, "--poll-interval", "0.2");
      Await.until(
          "first run submitted", LIMIT, () -> Files.exists(out.resolve("hold-01/tf_job_id.txt")));

      TfleetProcess.Result second =
          TfleetProcess.run(dir, LIMIT, "--check-status", "--server", url);

      assertThat(second.exitCode()).as(second.toString()).isEqualTo(2);
      assertThat(second.err())
          .contains("is in use by another tfleet (pid " + first.process().pid() + ")");
      first.process().destroyForcibly().waitFor();
      // The holder is dead: its lock is stale and the next run takes it over.
      LabHttp.cancel(lab.url(), jobId(out, "hold-01"));
      TfleetProcess.Result third =
          TfleetProcess.run(
              dir, LIMIT, "--check-status", "--server", url, "--poll-interval", "0.2");
      assertThat(third.exitCode()).as(third.toString()).isEqualTo(1);
      assertThat(third.out()).contains("hold-01");
    }
  }

  @Test
  void jobOverItsTimeLimitIsCancelledAndReportedAsTimedOut() throws Exception {
    FleetFiles.machines(dir, List.of("hold-1", "pass-1"));
    FleetFiles.template(dir, MIXED_TEMPLATE);
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
              "3s");
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(run.out()).contains("timed out: not finished 3s after submission (cancelled)");
      assertThat(run.out().lines().filter(l -> l.startsWith("pass-1 ")).findFirst().orElseThrow())
          .contains("passed");
      Await.until("the held job stopped", LIMIT, () -> lab.stats().jobsActive() == 0);
    }
  }

  @Test
  void retryFailedStartsANewRoundOnlyForFailedMachines() throws Exception {
    FleetFiles.machines(dir, List.of("pass-1", "fail-1"));
    FleetFiles.template(dir, MIXED_TEMPLATE);
    Path out = dir.resolve("job_outputs");
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO))) {
      String url = lab.url().toString();
      TfleetProcess.Result first =
          InProcess.run(dir, LIMIT, "--server", url, "--poll-interval", "0.2");
      assertThat(first.exitCode()).isEqualTo(1);
      String passJob = jobId(out, "pass-1");
      String failJob = jobId(out, "fail-1");

      TfleetProcess.Result retry =
          InProcess.run(dir, LIMIT, "--server", url, "--poll-interval", "0.2", "--retry-failed");

      assertThat(retry.exitCode()).as(retry.toString()).isEqualTo(1);
      assertThat(lab.stats().jobsCreated()).isEqualTo(3);
      assertThat(jobId(out, "pass-1")).isEqualTo(passJob);
      assertThat(jobId(out, "fail-1")).isNotEqualTo(failJob);
      assertThat(read(out.resolve("fail-1/round-1/tf_job_id.txt"))).contains(failJob);
      assertThat(out.resolve("fail-1/round-1/output.txt")).exists();

      TfleetProcess.Result resubmit =
          InProcess.run(dir, LIMIT, "--server", url, "--poll-interval", "0.2", "--resubmit");
      assertThat(resubmit.exitCode()).as(resubmit.toString()).isEqualTo(1);
      assertThat(lab.stats().jobsCreated()).isEqualTo(5);
      assertThat(read(out.resolve("pass-1/round-1/tf_job_id.txt"))).contains(passJob);
      assertThat(out.resolve("fail-1/round-2")).isDirectory();
    }
  }
}
