package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.report.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusLineTest {
  private static final Tally.Counts BUSY =
      new Tally.Counts(
          200,
          200,
          40,
          Map.of(
              "setup",
              100,
              "waiting",
              10,
              "firmware_update",
              20,
              "provision",
              25,
              "test",
              4,
              "cleanup",
              1),
          Map.of(Verdict.PASSED, 30, Verdict.FAILED, 8, Verdict.TIMED_OUT, 2));
  private static final Duration ELAPSED = Duration.ofMinutes(12).plusSeconds(5);
  private static final Optional<Duration> ETA = Optional.of(Duration.ofMinutes(48));

  @Test
  void statesFollowTheJobsLifecycleAndUnknownStatesComeLast() {
    assertThat(
            StatusLine.inLifecycleOrder(
                List.of("test", "zeta", "cleanup", "alpha", "waiting", "setup")))
        .containsExactly("waiting", "setup", "test", "cleanup", "alpha", "zeta");
  }

  @Test
  void aWideTerminalGetsTheWholeLine() {
    assertThat(StatusLine.fit(BUSY, ELAPSED, ETA, 159))
        .isEqualTo(
            "tfleet: 200/200 submitted | waiting 10 setup 100 provision 25 firmware_update 20 test 4 cleanup 1"
                + " | passed 30 failed 8 timed out 2 | 12m5s, ETA 48m");
  }

  @Test
  void eightyColumnsGetShorterWordsThenTheQuietestStatesSummedUp() {
    assertThat(StatusLine.fit(BUSY, ELAPSED, ETA, 90))
        .isEqualTo(
            "200/200 | wait 10 setup 100 prov 25 fw 20 test 4 +1 | ok 30 fail 8 t/o 2 | 12m5s ETA 48m");
    assertThat(StatusLine.fit(BUSY, ELAPSED, ETA, 79))
        .isEqualTo("200/200 | setup 100 prov 25 fw 20 +15 | ok 30 fail 8 t/o 2 | 12m5s ETA 48m");
  }

  @Test
  void aNarrowTerminalKeepsTheTotalsAndTheClockAndThenIsCut() {
    assertThat(StatusLine.fit(BUSY, ELAPSED, ETA, 50))
        .isEqualTo("200/200 | ok 30 fail 8 t/o 2 | 12m5s ETA 48m");
    assertThat(StatusLine.fit(BUSY, ELAPSED, ETA, 20))
        .isEqualTo("200/200 | ok 30 f...")
        .hasSize(20);
    assertThat(StatusLine.fit(BUSY, ELAPSED, ETA, 2)).isEqualTo("20");
  }
}
