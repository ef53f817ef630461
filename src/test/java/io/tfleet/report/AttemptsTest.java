package io.tfleet.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** How every report words a machine's attempts. */
class AttemptsTest {
  private static Map<String, MachineReport> byId(RunReport run) {
    return run.machines().stream().collect(Collectors.toMap(MachineReport::machine, m -> m));
  }

  @Test
  void aPassAfterLabTroubleSaysOnWhichAttemptAndWhatWentWrongBefore() {
    MachineReport m = byId(Fixtures.retries()).get("lab-then-passed");

    assertThat(Attempts.result(m, false)).isEqualTo("passed (attempt 2)");
    assertThat(Attempts.story(m, false))
        .isEqualTo("passed on attempt 2: provision phase exited 1 once");
  }

  @Test
  void aMachineThatNeverPassedCountsEachReason() {
    MachineReport m = byId(Fixtures.retries()).get("lab-every-time");

    assertThat(Attempts.result(m, false)).isEqualTo("error (lab trouble)");
    assertThat(Attempts.story(m, false))
        .isEqualTo(
            "3 attempts, none passed: provision phase exited 1 twice, job vanished from the server"
                + " once");
  }

  @Test
  void aTestFailureIsJustFailedAndACancelByTheUserSaysSo() {
    Map<String, MachineReport> six = byId(Fixtures.sixMachines());

    assertThat(Attempts.result(six.get("202008-28130"), false)).isEqualTo("failed");
    assertThat(Attempts.result(six.get("202204-30011"), false)).isEqualTo("failed (lab trouble)");
    assertThat(Attempts.result(six.get("202101-28595"), false)).isEqualTo("cancelled (by you)");
    assertThat(Attempts.story(six.get("202008-28130"), false)).isNull();
  }

  @Test
  void aRepeatRunTellsThePassRateAndTheAttemptsThatFailed() {
    List<AttemptReport> attempts = new ArrayList<>();
    for (int n = 1; n <= 100; n++) {
      boolean fails = n == 12 || n == 55 || n == 81;
      attempts.add(
          new AttemptReport(
              n,
              "j" + n,
              fails ? Verdict.FAILED : Verdict.PASSED,
              fails ? Cause.TEST : null,
              null,
              null,
              null,
              null));
    }
    MachineReport m =
        MachineReport.builder("m1", Verdict.FAILED).cause(Cause.TEST).attempts(attempts).build();

    assertThat(Attempts.story(m, true)).isEqualTo("97/100 passed; failed 12, 55, 81");
    assertThat(Attempts.result(m, true)).isEqualTo("failed");
  }

  @Test
  void inARepeatRunLabTroubleIsNotCountedAgainstTheTest() {
    MachineReport m = byId(Fixtures.repeat()).get("r-lab-once");

    assertThat(m.passRate().label()).isEqualTo("4/4");
    assertThat(Attempts.story(m, true)).isEqualTo("4/4 passed; lab trouble 3");
    assertThat(Attempts.failed(m)).containsExactly(3);
  }

  @Test
  void longListsOfAttemptNumbersAreCut() {
    List<Integer> numbers = new ArrayList<>();
    for (int i = 1; i <= 25; i++) {
      numbers.add(i);
    }

    assertThat(Attempts.numbers(numbers)).startsWith("1, 2, 3").endsWith("20 and 5 more");
  }

  @Test
  void totalsLineCountsLabTroubleAmongTheMachinesThatDidNotPass() {
    assertThat(SummaryTable.totals(Fixtures.sixMachines().machines()))
        .isEqualTo(
            "6 machines: 1 passed, 2 failed, 1 cancelled, 1 error, 1 unfinished; 2 of them lab"
                + " trouble");
    assertThat(SummaryTable.totals(Fixtures.many(2, Verdict.FAILED)))
        .isEqualTo("2 machines: 2 failed");
  }
}
