package io.tfleet.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class MachineReportTest {
  private static AttemptReport attempt(int n, Verdict verdict, Cause cause) {
    return new AttemptReport(n, "job-" + n, verdict, cause, null, null, null, null);
  }

  @Test
  void builderLeavesWhatIsNotSetUnknownAndLinksTheOutputFileAlone() {
    MachineReport m =
        MachineReport.builder("m1", Verdict.FAILED).outputFile("m1/output.txt").build();

    assertThat(m.jobId()).isNull();
    assertThat(m.cause()).isNull();
    assertThat(m.phaseStatuses()).isEmpty();
    assertThat(m.files()).containsExactly("m1/output.txt");
    assertThat(m.observed()).isEmpty();
    assertThat(m.attempts()).isEmpty();
  }

  @Test
  void toBuilderKeepsEveryPart() {
    MachineReport m = Fixtures.retries().machines().get(0);

    assertThat(m.toBuilder().build()).isEqualTo(m);
    assertThat(m.toBuilder().reason("other").build().attempts()).isEqualTo(m.attempts());
  }

  @Test
  void builderNeedsAMachineAndAVerdict() {
    assertThatThrownBy(() -> MachineReport.builder(null, Verdict.PASSED).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("machine");
    assertThatThrownBy(() -> MachineReport.builder("m1", null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("verdict");
  }

  @ParameterizedTest
  @EnumSource(
      value = Verdict.class,
      names = {"PASSED", "UNFINISHED"})
  void aMachineThatPassedOrIsGoingHasNoCause(Verdict verdict) {
    assertThatThrownBy(() -> MachineReport.builder("m1", verdict).cause(Cause.TEST).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no cause");
    assertThatThrownBy(() -> attempt(1, verdict, Cause.INFRASTRUCTURE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void attemptsMustBeInOrderEachOnce() {
    AttemptReport one = attempt(1, Verdict.FAILED, Cause.INFRASTRUCTURE);
    AttemptReport two = attempt(2, Verdict.PASSED, null);

    assertThatThrownBy(
            () -> MachineReport.builder("m1", Verdict.PASSED).attempts(List.of(two, one)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("in order");
    assertThatThrownBy(
            () -> MachineReport.builder("m1", Verdict.PASSED).attempts(List.of(one, one)).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> attempt(0, Verdict.PASSED, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "test, TEST",
    "setup, INFRASTRUCTURE",
    "provision, INFRASTRUCTURE",
    "firmware_update, INFRASTRUCTURE",
    "allocate, INFRASTRUCTURE",
    "reserve, INFRASTRUCTURE"
  })
  void onlyAFailedTestPhaseIsATestFailure(String phase, Cause cause) {
    assertThat(Cause.forFailedPhase(phase)).isEqualTo(cause);
  }

  @Test
  void causesHaveFileKeysAndWordsForPeople() {
    assertThat(List.of(Cause.values()))
        .extracting(Cause::key)
        .containsExactly("test", "infrastructure", "user");
    assertThat(Cause.INFRASTRUCTURE.label()).isEqualTo("lab trouble");
  }

  @Test
  void passRateCountsOnlyAttemptsWhoseTestRan() {
    MachineReport m =
        MachineReport.builder("m1", Verdict.FAILED)
            .cause(Cause.TEST)
            .attempts(
                List.of(
                    attempt(1, Verdict.PASSED, null),
                    attempt(2, Verdict.FAILED, Cause.INFRASTRUCTURE),
                    attempt(3, Verdict.FAILED, Cause.TEST),
                    attempt(4, Verdict.CANCELLED, Cause.USER),
                    attempt(5, Verdict.FAILED, null),
                    attempt(6, Verdict.UNFINISHED, null)))
            .build();

    assertThat(m.passRate()).isEqualTo(new PassRate(1, 3));
    assertThat(Attempts.passed(m)).isEqualTo(1);
    assertThat(Attempts.failed(m)).containsExactly(2, 3, 4, 5);
  }

  @Test
  void aMachineOfOneAttemptIsThatAttempt() {
    assertThat(MachineReport.builder("m1", Verdict.PASSED).build().passRate().label())
        .isEqualTo("1/1");
    MachineReport failed = MachineReport.builder("m1", Verdict.FAILED).cause(Cause.TEST).build();
    assertThat(failed.passRate().label()).isEqualTo("0/1");
    assertThat(Attempts.failed(failed)).containsExactly(1);
    MachineReport lab =
        MachineReport.builder("m1", Verdict.ERROR).cause(Cause.INFRASTRUCTURE).build();
    assertThat(lab.passRate().known()).isFalse();
    MachineReport never = MachineReport.builder("m1", Verdict.NOT_SUBMITTED).build();
    assertThat(Attempts.failed(never)).isEmpty();
  }

  @Test
  void passRatesCompareExactly() {
    assertThat(new PassRate(96, 100).below(new PassRate(99, 100))).isTrue();
    assertThat(new PassRate(99, 100).below(new PassRate(96, 100))).isFalse();
    assertThat(new PassRate(2, 3).below(new PassRate(4, 6))).isFalse();
    assertThat(new PassRate(0, 0).below(new PassRate(1, 1))).isFalse();
    assertThatThrownBy(() -> new PassRate(3, 2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void runReportKeepsItsRepeatAndRetriesAndRefusesNonsense() {
    RunReport plain = new RunReport(null, null, null, List.of());
    assertThat(plain.repeat()).isEqualTo(1);
    assertThat(plain.retries()).isZero();
    assertThat(plain.repeated()).isFalse();
    assertThat(Fixtures.repeat().repeated()).isTrue();
    assertThatThrownBy(() -> new RunReport(null, null, null, List.of(), false, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RunReport(null, null, null, List.of(), false, 1, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
