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

  /** Six machines: every verdict once, a second failure, and nasty output on the first failure. */
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
                .reason("test phase exited 1")
                .submittedAt(at(6))
                .finishedAt(at(1234.5))
                .outputTail(NASTY_OUTPUT)
                .outputFile("202008-28130/output.txt")
                .build(),
            MachineReport.builder("202012-28526", Verdict.ERROR)
                .reason("submission refused: 422 unknown queue")
                .build(),
            MachineReport.builder("202101-28595", Verdict.CANCELLED)
                .jobId("0f0e0d0c-0000-4000-8000-000000000004")
                .queue("202101-28595")
                .state("cancelled")
                .phaseStatuses(phases("setup", 0, "provision", 0))
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
                .reason("provision phase exited 1")
                .submittedAt(at(9))
                .finishedAt(at(20))
                .outputTail("provisioning failed\n")
                .outputFile("202204-30011/output.txt")
                .build()));
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
