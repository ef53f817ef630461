package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.fleet.Outcome;
import io.tfleet.report.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleEventsTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aSmallFleetGetsALinePerSubmissionAndStateChange() {
    try (ConsoleEvents events = new ConsoleEvents(err, 2, /* totals= */ false)) {
      events.submitted("a", "id-a", false);
      events.stateChanged("a", "id-a", null, "setup");
      events.stateChanged("a", "id-a", "setup", "test");
    }
    assertThat(printed().lines())
        .hasSize(3)
        .allMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d a.*"))
        .last()
        .asString()
        .endsWith("a (id-a): setup -> test");
  }

  @Test
  void aBigFleetGetsLinesOnlyForWhatNeedsAPersonAndTheTotals() {
    int total = ConsoleEvents.LINE_PER_STATE_UP_TO + 1;
    try (ConsoleEvents events = new ConsoleEvents(err, total, /* totals= */ false)) {
      for (int i = 0; i < total; i++) {
        events.submitted("m" + i, "id", false);
        events.stateChanged("m" + i, "id", null, i % 2 == 0 ? "setup" : "waiting");
      }
      events.finished(
          new Outcome("m0", "id", "complete", 3, "Failed", Verdict.FAILED, "test phase exited 3"));
      events.notice("server answered 503; retrying");
      events.totals();
    }
    assertThat(printed().lines()).hasSize(3);
    assertThat(printed())
        .contains(" m0: failed: test phase exited 3\n", " server answered 503; retrying\n")
        .containsPattern(
            "\\d\\d:\\d\\d:\\d\\d tfleet: 51/51 submitted \\| waiting 25 setup 25 \\| failed 1 \\| \\d+s");
  }
}
