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
            new MachineReport(
                "201712-26047",
                "0f0e0d0c-0000-4000-8000-000000000001",
                "201712-26047",
                "complete",
                phases("setup", 0, "provision", 0, "test", 0),
                "Passed",
                Verdict.PASSED,
                null,
                at(5),
                at(759),
                "all 40 tests passed\n",
                "201712-26047/output.txt"),
            new MachineReport(
                "202008-28130",
                "0f0e0d0c-0000-4000-8000-000000000002",
                "rpi4-arm64",
                "complete",
                phases("setup", 0, "provision", 0, "test", 1),
                "Failed",
                Verdict.FAILED,
                "test phase exited 1",
                at(6),
                at(1234.5),
                NASTY_OUTPUT,
                "202008-28130/output.txt"),
            new MachineReport(
                "202012-28526",
                null,
                null,
                null,
                null,
                null,
                Verdict.ERROR,
                "submission refused: 422 unknown queue",
                null,
                null,
                null,
                null),
            new MachineReport(
                "202101-28595",
                "0f0e0d0c-0000-4000-8000-000000000004",
                "202101-28595",
                "cancelled",
                phases("setup", 0, "provision", 0),
                null,
                Verdict.CANCELLED,
                null,
                at(7),
                at(2831),
                null,
                null),
            new MachineReport(
                "202103-28713",
                "0f0e0d0c-0000-4000-8000-000000000005",
                "202103-28713",
                "test",
                phases("setup", 0, "provision", 0),
                null,
                Verdict.UNFINISHED,
                null,
                at(8),
                null,
                null,
                null),
            new MachineReport(
                "202204-30011",
                "0f0e0d0c-0000-4000-8000-000000000006",
                "202204-30011",
                "complete",
                phases("setup", 0, "provision", 1),
                null,
                Verdict.FAILED,
                "provision phase exited 1",
                at(9),
                at(20),
                "provisioning failed\n",
                "202204-30011/output.txt")));
  }

  /** {@code n} machines with the given verdict, a job each, sorted by id. */
  static List<MachineReport> many(int n, Verdict verdict) {
    List<MachineReport> machines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = String.format("m%04d-%s", i, verdict.key());
      machines.add(
          new MachineReport(
              id,
              "job-" + i,
              "q",
              "complete",
              phases("test", 0),
              "Passed",
              verdict,
              verdict == Verdict.PASSED ? null : "because",
              at(i),
              at(i + 60.0 + i),
              "ok\n",
              id + "/output.txt"));
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
          new MachineReport(
              id,
              "0f0e0d0c-0000-4000-8000-" + String.format("%012d", i),
              "q-" + i,
              going ? "test" : "complete",
              going
                  ? phases("setup", 0, "provision", 0)
                  : phases("setup", 0, "provision", 0, "test", fails ? 1 : 0),
              going ? null : fails ? "Not Seen" : i % 5 == 0 ? "Unknown" : "Certified",
              verdict,
              verdict == Verdict.PASSED
                  ? null
                  : fails ? "test phase exited 1" : "not finished (last seen test)",
              at(1),
              going ? null : at(t),
              going ? null : "done\n",
              going ? null : id + "/output.txt",
              going
                  ? List.of()
                  : List.of(
                      id + "/output.txt",
                      id + "/test_output.txt",
                      id + "/result.json",
                      id + "/job.yaml"),
              seen));
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
