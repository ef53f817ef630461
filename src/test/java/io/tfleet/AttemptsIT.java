package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.lab.MachineSetup;
import io.tfleet.lab.Trouble;
import io.tfleet.testing.Await;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.TfleetProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lab trouble is not a test failure: {@code --retries} submits a machine again when the lab failed
 * it, exactly once per attempt, across {@code kill -9}; {@code --repeat} runs every machine N
 * times, one attempt after another; preflight names failing provision streaks. Which job meets
 * which trouble depends only on the lab's seed and the jobs per queue, so every machine's attempts
 * are worked out beforehand.
 */
class AttemptsIT {
  private static final Duration LIMIT = Duration.ofMinutes(3);

  @TempDir Path dir;

  private static Trouble trouble(List<String> failing) {
    return trouble(failing, 0.05);
  }

  private static Trouble trouble(List<String> failing, double loseJobRate) {
    Map<String, MachineSetup> setups = new LinkedHashMap<>();
    failing.forEach(m -> setups.put(m, MachineSetup.plain().withTestStatus(1)));
    return Trouble.none()
        .withProvisionFailureRate(0.3)
        .withLoseJobRate(loseJobRate)
        .withSeed(11)
        .withMachines(setups);
  }

  /** How many of {@code max} attempts a machine gets: until one meets no trouble. */
  private static int expectedAttempts(Trouble trouble, String machine, int max) {
    for (int n = 1; n < max; n++) {
      if (trouble.forJob(machine, n) == Trouble.Kind.NONE) {
        return n;
      }
    }
    return max;
  }

  /** A simulated lab whose phases take {@code phase} and whose machines have {@code trouble}. */
  private static Lab lab(Trouble trouble, Duration phase) throws Exception {
    return Lab.start(
        LabConfig.defaults().withSimulate(true).withPhaseTime(phase).withTrouble(trouble));
  }

  private String[] args(Lab lab, List<String> machines, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server",
                lab.url().toString(),
                "--machines-file",
                FleetFiles.machines(dir, machines).toString(),
                "--template-file",
                FleetFiles.template(dir, "job_queue: $CANONICAL_ID\n").toString(),
                "--output-dir",
                "out",
                "--poll-interval",
                "0.2",
                "-q"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private static List<String> fleet(int passing, int failing) {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= passing; i++) {
      ids.add(String.format("pass-%02d", i));
    }
    for (int i = 1; i <= failing; i++) {
      ids.add(String.format("fail-%02d", i));
    }
    return ids;
  }

  private void assertAttempts(Lab lab, Trouble trouble, List<String> machines) throws Exception {
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("out/summary.json").toFile());
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    summary.path("machines").forEach(m -> byId.put(m.path("machine").asText(), m));
    for (String m : machines) {
      int expected = expectedAttempts(trouble, m, 3);
      boolean troubleAtLast = trouble.forJob(m, expected) != Trouble.Kind.NONE;
      assertThat(lab.stats().jobsSubmitted(m)).as(m + ": one job per attempt").isEqualTo(expected);
      Path folder = dir.resolve("out").resolve(m);
      for (int k = 1; k < expected; k++) {
        assertThat(folder.resolve("attempt-" + k).resolve("tf_job_id.txt"))
            .as(m + " keeps attempt " + k)
            .exists();
      }
      assertThat(folder.resolve("attempt-" + expected)).as(m).doesNotExist();
      assertThat(folder.resolve("tf_job_id.txt")).exists();
      String verdict = byId.get(m).path("verdict").asText();
      if (troubleAtLast) {
        assertThat(verdict).as(m).isIn("failed", "error");
      } else {
        assertThat(verdict).as(m).isEqualTo(m.startsWith("pass-") ? "passed" : "failed");
      }
    }
  }

  @Test
  void labTroubleIsRetriedAndTestFailuresAreNot() throws Exception {
    List<String> machines = fleet(50, 10);
    Trouble trouble = trouble(machines.subList(50, 60));
    try (Lab lab = lab(trouble, Duration.ofMillis(10))) {
      TfleetProcess.Result run = InProcess.run(dir, LIMIT, args(lab, machines, "--retries", "2"));

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertAttempts(lab, trouble, machines);
      long retried = machines.stream().filter(m -> expectedAttempts(trouble, m, 3) > 1).count();
      assertThat(retried).as("the seed gives lab trouble to retry").isGreaterThan(10);
    }
  }

  @Test
  void killedTwiceAndResumedNoAttemptIsLostOrSentTwice() throws Exception {
    List<String> machines = fleet(16, 4);
    // No lost jobs here: a job the server loses while tfleet is down, before tfleet recorded the
    // server's answer, is one the server says it never had, and is rightly sent again.
    Trouble trouble = trouble(machines.subList(16, 20), 0);
    try (Lab lab = lab(trouble, Duration.ofMillis(150))) {
      String[] args = args(lab, machines, "--retries", "2");
      for (long jobs : new long[] {10, 26}) {
        TfleetProcess run = TfleetProcess.start(dir, Map.of(), args);
        Await.until(jobs + " jobs submitted", LIMIT, () -> lab.stats().jobsCreated() >= jobs);
        run.process().destroyForcibly().waitFor();
      }
      TfleetProcess.Result resumed = InProcess.run(dir, LIMIT, args);

      assertThat(resumed.exitCode()).as(resumed.toString()).isIn(0, 1);
      assertAttempts(lab, trouble, machines);
    }
  }

  @Test
  void aRepeatRunsEachMachinesAttemptsOneAfterAnother() throws Exception {
    List<String> machines = fleet(4, 0);
    Trouble trouble = Trouble.none().withProvisionFailureRate(0.2).withSeed(5);
    try (Lab lab = lab(trouble, Duration.ofMillis(10))) {
      TfleetProcess.Result run = InProcess.run(dir, LIMIT, args(lab, machines, "--repeat", "10"));

      Map<String, List<Integer>> failed = new LinkedHashMap<>();
      for (String m : machines) {
        List<Integer> numbers = new ArrayList<>();
        for (int n = 1; n <= 10; n++) {
          if (trouble.forJob(m, n) != Trouble.Kind.NONE) {
            numbers.add(n);
          }
        }
        failed.put(m, numbers);
      }
      boolean anyFailed = failed.values().stream().anyMatch(l -> !l.isEmpty());
      assertThat(anyFailed).as("the seed fails some attempts").isTrue();
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(lab.stats().jobsCreated()).isEqualTo(40);
      JsonNode summary = new ObjectMapper().readTree(dir.resolve("out/summary.json").toFile());
      for (JsonNode m : summary.path("machines")) {
        List<Integer> expected = failed.get(m.path("machine").asText());
        List<Integer> got = new ArrayList<>();
        m.path("failed_attempts").forEach(n -> got.add(n.asInt()));
        assertThat(got).as(m.path("machine").asText()).isEqualTo(expected);
        assertThat(m.path("passed_attempts").asInt()).isEqualTo(10 - expected.size());
        assertThat(m.path("attempts")).hasSize(10);
      }
      // The tree's reports rebuilt later know it was a pressure run: its manifest says so.
      TfleetProcess.Result rebuilt = InProcess.run(dir, LIMIT, "report", "--output-dir", "out");
      assertThat(rebuilt.exitCode()).as(rebuilt.toString()).isZero();
      assertThat(rebuilt.out()).contains("PASS RATE");
      assertThat(
              new ObjectMapper()
                  .readTree(dir.resolve("out/summary.json").toFile())
                  .path("repeat")
                  .asInt())
          .isEqualTo(10);
      // A second pressure run on a lab where pass-01's test fails: compare tells the pass rates
      // apart (lab trouble does not count in them: only attempts whose test ran).
      Trouble failing =
          Trouble.none().withMachines(Map.of("pass-01", MachineSetup.plain().withTestStatus(1)));
      try (Lab second = lab(failing, Duration.ofMillis(10))) {
        List<String> again = new ArrayList<>(List.of(args(second, machines, "--repeat", "3")));
        again.set(again.indexOf("out"), "again");
        TfleetProcess.Result rerun = InProcess.run(dir, LIMIT, again.toArray(String[]::new));
        assertThat(rerun.exitCode()).as(rerun.toString()).isEqualTo(1);
      }
      TfleetProcess.Result compared = InProcess.run(dir, LIMIT, "compare", "out", "again");
      int tested = 10 - failed.get("pass-01").size();
      assertThat(compared.exitCode()).as(compared.toString()).isEqualTo(1);
      assertThat(compared.out())
          .as(compared.toString())
          .contains("PASS RATE")
          .contains(tested + "/" + tested)
          .contains("0/3");
      for (String m : machines) {
        assertThat(lab.stats().jobsSubmitted(m)).isEqualTo(10);
        Path folder = dir.resolve("out").resolve(m);
        for (int k = 1; k < 10; k++) {
          Path next = k + 1 < 10 ? folder.resolve("attempt-" + (k + 1)) : folder;
          Instant ended = modified(folder.resolve("attempt-" + k).resolve("result.json"));
          Instant sent = modified(next.resolve("tf_job_id.txt"));
          assertThat(sent).as(m + ": attempt " + (k + 1) + " after " + k + " ended").isAfter(ended);
        }
      }
    }
  }

  @Test
  void preflightNamesMachinesWhoseProvisionsKeepFailing() throws Exception {
    List<String> machines = fleet(3, 0);
    Trouble streak =
        Trouble.none()
            .withMachines(Map.of("pass-02", MachineSetup.plain().withProvisionStreak("fail", 4)));
    try (Lab lab =
        Lab.start(
            LabConfig.defaults()
                .withSimulate(true)
                .withPhaseTime(Duration.ZERO)
                // Machines listed before any job, as on a real server.
                .withQueues(java.util.Set.copyOf(machines))
                .withTrouble(streak))) {
      List<String> plain = new ArrayList<>(List.of(args(lab, machines)));
      plain.remove("-q");
      // Skipped first: a provision that passed would end the streak.
      List<String> skipping = new ArrayList<>(plain);
      skipping.set(skipping.indexOf("out"), "skipped");
      skipping.add("--skip-failing-provisions");
      TfleetProcess.Result skipped = InProcess.run(dir, LIMIT, skipping.toArray(String[]::new));
      assertThat(skipped.exitCode()).as(skipped.toString()).isEqualTo(1);
      assertThat(dir.resolve("skipped/pass-02/error.txt")).content().contains("provision");
      assertThat(dir.resolve("skipped/pass-02/tf_job_id.txt")).doesNotExist();
      assertThat(lab.stats().jobsSubmitted("pass-02")).isZero();

      TfleetProcess.Result named = InProcess.run(dir, LIMIT, plain.toArray(String[]::new));
      assertThat(named.exitCode()).as(named.toString()).isZero();
      assertThat(named.err()).contains("pass-02").contains("last 4 provisions failed");
      assertThat(named.err())
          .doesNotContain("pass-01-agent: its last")
          .doesNotContain("pass-03-agent: its last");
      assertThat(lab.stats().jobsSubmitted("pass-02")).isEqualTo(1);
    }
  }

  private static String listing(Path folder) throws Exception {
    try (var files = Files.walk(folder)) {
      return files.map(p -> folder.relativize(p).toString()).sorted().toList().toString();
    }
  }

  private static Instant modified(Path file) throws Exception {
    return Files.getLastModifiedTime(file).toInstant();
  }
}
