package io.tfleet.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs the report tests are built from; every instant is fixed so the output is too. */
final class Fixtures {
  static final Instant START = Instant.parse("2024-05-01T10:00:00Z");

  /** Output with everything that breaks naive writers: markup, a CDATA end, controls, non-ASCII. */
  static final String NASTY_OUTPUT =
      "Running suite <all> & \"friends\"\r\n"
          + "]]> ends a CDATA section\n"
          + "bell\u0007 escape\u001b[31mred\u001b[0m nul\u0000 ff\u000c del\u007f\n"
          + "üñîçødé ✓ 日本語 😀 lone\ud800surrogate\n"
          + "<script>alert('pwned')</script>\n"
          + "FAIL: 3 of 40 tests\n";

  private Fixtures() {}

  /**
   * Six machines: every verdict once, a second failure, and nasty output on the first failure; the
   * test failure, the refused submission and failed provision (lab trouble) and the cancel (by the
   * user) each carry their cause.
   */
  static RunReport sixMachines() {
    return new RunReport(
        "https://testflinger.example.com",
        START,
        Instant.parse("2024-05-01T10:47:12.250Z"),
        List.of(
            MachineReport.builder("201712-26047", Verdict.PASSED)
                .jobId("0f0e0d0c-0000-4000-8000-000000000001")
                .queue("201712-26047")
                .state("complete")
                .phaseStatuses(phases("setup", 0, "provision", 0, "test", 0))
                .hwStatus("Passed")
                .submittedAt(at(5))
                .finishedAt(at(759))
                .outputTail("all 40 tests passed\n")
                .outputFile("201712-26047/output.txt")
                .build(),
            MachineReport.builder("202008-28130", Verdict.FAILED)
                .jobId("0f0e0d0c-0000-4000-8000-000000000002")
                .queue("rpi4-arm64")
                .state("complete")
                .phaseStatuses(phases("setup", 0, "provision", 0, "test", 1))
                .hwStatus("Failed")
                .cause(Cause.TEST)
                .reason("test phase exited 1")
                .submittedAt(at(6))
                .finishedAt(at(1234.5))
                .outputTail(NASTY_OUTPUT)
                .outputFile("202008-28130/output.txt")
                .build(),
            MachineReport.builder("202012-28526", Verdict.ERROR)
                .cause(Cause.INFRASTRUCTURE)
                .reason("submission refused: 422 unknown queue")
                .build(),
            MachineReport.builder("202101-28595", Verdict.CANCELLED)
                .jobId("0f0e0d0c-0000-4000-8000-000000000004")
                .queue("202101-28595")
                .state("cancelled")
                .phaseStatuses(phases("setup", 0, "provision", 0))
                .cause(Cause.USER)
                .submittedAt(at(7))
                .finishedAt(at(2831))
                .build(),
            MachineReport.builder("202103-28713", Verdict.UNFINISHED)
                .jobId("0f0e0d0c-0000-4000-8000-000000000005")
                .queue("202103-28713")
                .state("test")
                .phaseStatuses(phases("setup", 0, "provision", 0))
                .submittedAt(at(8))
                .build(),
            MachineReport.builder("202204-30011", Verdict.FAILED)
                .jobId("0f0e0d0c-0000-4000-8000-000000000006")
                .queue("202204-30011")
                .state("complete")
                .phaseStatuses(phases("setup", 0, "provision", 1))
                .cause(Cause.INFRASTRUCTURE)
                .reason("provision phase exited 1")
                .submittedAt(at(9))
                .finishedAt(at(20))
                .outputTail("provisioning failed\n")
                .outputFile("202204-30011/output.txt")
                .build()));
  }

  /**
   * A run of {@code --retries 2}: a machine that passed at once, one that passed after lab trouble,
   * one that passed after a test failure, one whose test failed after lab trouble, and one that had
   * lab trouble on every attempt.
   */
  static RunReport retries() {
    String prov = "provision phase exited 1";
    return new RunReport(
        "https://testflinger.example.com",
        START,
        at(3600),
        List.of(
            retried(
                "lab-every-time",
                Verdict.ERROR,
                Cause.INFRASTRUCTURE,
                "job vanished from the server",
                attempt("lab-every-time", 1, Verdict.FAILED, Cause.INFRASTRUCTURE, prov, 10),
                attempt("lab-every-time", 2, Verdict.FAILED, Cause.INFRASTRUCTURE, prov, 1000),
                latest(
                    "lab-every-time",
                    3,
                    Verdict.ERROR,
                    Cause.INFRASTRUCTURE,
                    "job vanished from the server",
                    2000)),
            retried(
                "lab-then-passed",
                Verdict.PASSED,
                null,
                null,
                attempt("lab-then-passed", 1, Verdict.FAILED, Cause.INFRASTRUCTURE, prov, 10),
                latest("lab-then-passed", 2, Verdict.PASSED, null, null, 1000)),
            retried(
                "lab-then-test-failed",
                Verdict.FAILED,
                Cause.TEST,
                "test phase exited 1",
                attempt(
                    "lab-then-test-failed",
                    1,
                    Verdict.FAILED,
                    Cause.INFRASTRUCTURE,
                    "setup phase exited 2",
                    10),
                latest(
                    "lab-then-test-failed",
                    2,
                    Verdict.FAILED,
                    Cause.TEST,
                    "test phase exited 1",
                    1000)),
            MachineReport.builder("passed-at-once", Verdict.PASSED)
                .jobId("job-passed-at-once")
                .state("complete")
                .phaseStatuses(phases("setup", 0, "provision", 0, "test", 0))
                .hwStatus("Certified")
                .submittedAt(at(10))
                .finishedAt(at(900))
                .build(),
            retried(
                "test-then-passed",
                Verdict.PASSED,
                null,
                null,
                attempt(
                    "test-then-passed", 1, Verdict.FAILED, Cause.TEST, "test phase exited 1", 10),
                latest("test-then-passed", 2, Verdict.PASSED, null, null, 1000))),
        /* live= */ false,
        /* repeat= */ 1,
        /* retries= */ 2);
  }

  /**
   * A pressure run of {@code --repeat 5}: a machine that passed every time, one whose test failed
   * twice (2 and 4), and one with lab trouble once (3) that passed whenever it was tested.
   */
  static RunReport repeat() {
    List<MachineReport> machines = new ArrayList<>();
    machines.add(repeated("r-flaky", Verdict.FAILED, Cause.TEST, "2 of 5 attempts failed", 2, 4));
    machines.add(repeated("r-lab-once", Verdict.PASSED, null, null, 3));
    machines.add(repeated("r-steady", Verdict.PASSED, null, null));
    return new RunReport(
        "https://testflinger.example.com",
        START,
        at(5 * 600 + 60),
        machines,
        /* live= */ false,
        /* repeat= */ 5,
        /* retries= */ 0);
  }

  /** Five attempts of 500 s each, 600 s apart; those in {@code failing} do not pass. */
  private static MachineReport repeated(
      String id, Verdict verdict, Cause cause, String reason, int... failing) {
    List<AttemptReport> attempts = new ArrayList<>();
    for (int n = 1; n <= 5; n++) {
      boolean fails = false;
      for (int f : failing) {
        fails |= f == n;
      }
      // The lab machine's odd attempt out is lab trouble, the others' are test failures.
      boolean lab = id.equals("r-lab-once");
      attempts.add(
          new AttemptReport(
              n,
              "job-" + id + "-" + n,
              fails ? Verdict.FAILED : Verdict.PASSED,
              fails ? (lab ? Cause.INFRASTRUCTURE : Cause.TEST) : null,
              fails ? (lab ? "provision phase exited 1" : "test phase exited 1") : null,
              at(10 + (n - 1) * 600),
              at(510 + (n - 1) * 600),
              n == 5 ? null : id + "/attempt-" + n));
    }
    return MachineReport.builder(id, verdict)
        .jobId("job-" + id + "-5")
        .state("complete")
        .phaseStatuses(phases("setup", 0, "provision", 0, "test", 0))
        .hwStatus("Certified")
        .cause(cause)
        .reason(reason)
        .submittedAt(at(2410))
        .finishedAt(at(2910))
        .outputFile(id + "/output.txt")
        .attempts(attempts)
        .build();
  }

  private static MachineReport retried(
      String id, Verdict verdict, Cause cause, String reason, AttemptReport... attempts) {
    AttemptReport last = attempts[attempts.length - 1];
    return MachineReport.builder(id, verdict)
        .jobId(last.jobId())
        .state(verdict == Verdict.ERROR ? "vanished" : "complete")
        .phaseStatuses(
            verdict == Verdict.ERROR
                ? null
                : phases("setup", 0, "provision", 0, "test", verdict.passed() ? 0 : 1))
        .hwStatus(verdict == Verdict.ERROR ? null : verdict.passed() ? "Certified" : "Failed")
        .cause(cause)
        .reason(reason)
        .submittedAt(last.submittedAt())
        .finishedAt(last.finishedAt())
        .outputFile(verdict == Verdict.ERROR ? null : id + "/output.txt")
        .attempts(List.of(attempts))
        .build();
  }

  /** An earlier attempt, submitted at {@code at} seconds and filed 300 s later. */
  private static AttemptReport attempt(
      String id, int n, Verdict verdict, Cause cause, String reason, double at) {
    return new AttemptReport(
        n,
        "job-" + id + "-" + n,
        verdict,
        cause,
        reason,
        at(at),
        at(at + 300),
        id + "/attempt-" + n);
  }

  /** The latest attempt, whose files are the machine's own. */
  private static AttemptReport latest(
      String id, int n, Verdict verdict, Cause cause, String reason, double at) {
    return new AttemptReport(
        n, "job-" + id + "-" + n, verdict, cause, reason, at(at), at(at + 800), null);
  }

  /** {@code n} machines with the given verdict, a job each, sorted by id. */
  static List<MachineReport> many(int n, Verdict verdict) {
    List<MachineReport> machines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = String.format("m%04d-%s", i, verdict.key());
      machines.add(
          MachineReport.builder(id, verdict)
              .jobId("job-" + i)
              .queue("q")
              .state("complete")
              .phaseStatuses(phases("test", 0))
              .hwStatus("Passed")
              .reason(verdict == Verdict.PASSED ? null : "because")
              .submittedAt(at(i))
              .finishedAt(at(i + 60.0 + i))
              .outputTail("ok\n")
              .outputFile(id + "/output.txt")
              .build());
    }
    return machines;
  }

  /** A report of the given machines with the fixed start and end. */
  static RunReport run(List<MachineReport> machines) {
    return new RunReport(
        "https://testflinger.example.com", START, START.plusSeconds(3600), machines);
  }

  /**
   * A fleet of {@code n} with recorded states: every machine walks waiting, setup, provision, test
   * and cleanup with lengths that vary by machine; every seventh fails its test, and with {@code
   * live} the last tenth are still in their test phase.
   */
  static RunReport observed(int n, boolean live) {
    List<MachineReport> machines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = String.format("obs-%04d", i);
      boolean fails = i % 7 == 3;
      boolean going = live && i >= n - n / 10;
      double t = 2 + (i % 13);
      List<Observed> seen = new ArrayList<>();
      String[] states = {"waiting", "setup", "provision", "test", "cleanup", "complete"};
      double[] lengths = {5 + (i % 5) * 20, 30, 200 + (i % 11) * 15, 400 + (i % 17) * 30, 20};
      int last = going ? 3 : states.length - 1;
      for (int k = 0; k <= last; k++) {
        seen.add(new Observed(states[k], at(t)));
        if (k < lengths.length) {
          t += lengths[k];
        }
      }
      Verdict verdict = going ? Verdict.UNFINISHED : fails ? Verdict.FAILED : Verdict.PASSED;
      machines.add(
          MachineReport.builder(id, verdict)
              .jobId("0f0e0d0c-0000-4000-8000-" + String.format("%012d", i))
              .queue("q-" + i)
              .state(going ? "test" : "complete")
              .phaseStatuses(
                  going
                      ? phases("setup", 0, "provision", 0)
                      : phases("setup", 0, "provision", 0, "test", fails ? 1 : 0))
              .hwStatus(going ? null : fails ? "Not Seen" : i % 5 == 0 ? "Unknown" : "Certified")
              .reason(
                  verdict == Verdict.PASSED
                      ? null
                      : fails ? "test phase exited 1" : "not finished (last seen test)")
              .submittedAt(at(1))
              .finishedAt(going ? null : at(t))
              .outputTail(going ? null : "done\n")
              .outputFile(going ? null : id + "/output.txt")
              .files(
                  going
                      ? List.of()
                      : List.of(
                          id + "/output.txt",
                          id + "/test_output.txt",
                          id + "/result.json",
                          id + "/job.yaml"))
              .observed(seen)
              .build());
    }
    Instant end = live ? at(1500) : at(2200);
    return new RunReport("https://testflinger.example.com", START, end, machines, live);
  }

  static Instant at(double seconds) {
    return START.plusMillis(Math.round(seconds * 1000));
  }

  private static Map<String, Integer> phases(Object... phaseThenStatus) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < phaseThenStatus.length; i += 2) {
      m.put((String) phaseThenStatus[i], (Integer) phaseThenStatus[i + 1]);
    }
    return m;
  }
}
