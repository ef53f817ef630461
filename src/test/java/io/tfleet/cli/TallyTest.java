package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.fleet.Outcome;
import io.tfleet.report.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status line's counts: kept by events between rounds, taken from the state at each round. */
class TallyTest {
  private static final String JOB = "0f0e0d0c-0000-4000-8000-000000000001";

  @Test
  void aRoundsSnapshotIsTheTruthWhateverTheEventsSaid() {
    Tally tally = new Tally(3);
    tally.submitted("m1", JOB, /* reused= */ false);
    tally.stateChanged("m1", JOB, null, "provision");
    // An event missed (a machine filed before this run): the snapshot has it.
    tally.reset(
        List.of(
            new Outcome("m1", JOB, "test", null, null, Verdict.UNFINISHED, "not finished"),
            new Outcome("m2", JOB, "complete", 0, "Certified", Verdict.PASSED, null),
            new Outcome("m3", null, null, null, null, Verdict.NOT_SUBMITTED, "not sent")));

    Tally.Counts counts = tally.counts();
    assertThat(counts.finished()).isEqualTo(1);
    assertThat(counts.submitted()).isEqualTo(2);
    assertThat(counts.states()).isEqualTo(Map.of("test", 1));
    assertThat(counts.verdicts()).isEqualTo(Map.of(Verdict.PASSED, 1));
  }

  /** The machines of the status line that said "4/3 submitted | passed 4". */
  private static List<Outcome> passed(String... machines) {
    return java.util.Arrays.stream(machines)
        .map(m -> new Outcome(m, JOB, "complete", 0, "Certified", Verdict.PASSED, null))
        .toList();
  }

  @Test
  void aMachineFiledBothInASnapshotAndByAnEventCountsOnce() {
    Tally tally = new Tally(3);
    for (String m : List.of("m1", "m2", "m3")) {
      tally.submitted(m, JOB, /* reused= */ false);
    }
    // The round's snapshot already has m3 filed, and the filing's event for m3 comes after it.
    tally.reset(passed("m1", "m2", "m3"));
    tally.finished(passed("m3").get(0));

    Tally.Counts counts = tally.counts();
    assertThat(counts.submitted()).isEqualTo(3);
    assertThat(counts.finished()).isEqualTo(3);
    assertThat(counts.verdicts()).isEqualTo(Map.of(Verdict.PASSED, 3));
  }

  @Test
  void aSnapshotTakenBeforeAnEventDoesNotTakeTheVerdictBack() {
    Tally tally = new Tally(1);
    tally.submitted("m1", JOB, /* reused= */ false);
    tally.finished(passed("m1").get(0));
    tally.reset(
        List.of(new Outcome("m1", JOB, "cleanup", null, null, Verdict.UNFINISHED, "not finished")));

    Tally.Counts counts = tally.counts();
    assertThat(counts.finished()).isEqualTo(1);
    assertThat(counts.states()).isEmpty();
    assertThat(counts.verdicts()).isEqualTo(Map.of(Verdict.PASSED, 1));
  }

  @Test
  void aMachineSubmittedAgainIsNoLongerDone() {
    Tally tally = new Tally(1);
    tally.reset(
        List.of(new Outcome("m1", JOB, "complete", 1, null, Verdict.FAILED, "test failed")));
    tally.submitted("m1", JOB, /* reused= */ false);

    Tally.Counts counts = tally.counts();
    assertThat(counts.finished()).isZero();
    assertThat(counts.states()).isEqualTo(Map.of("submitted", 1));
  }
}
