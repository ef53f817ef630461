package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.fleet.Outcome;
import io.tfleet.report.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @Test
  void statusLineCountsStatesAndVerdicts() {
    try (ProgressDisplay progress = new ProgressDisplay(err, 4)) {
      progress.submitted("a", "id-a", false);
      progress.submitted("b", "id-b", false);
      progress.submitted("c", "id-c", false);
      progress.stateChanged("a", "id-a", null, "test");
      progress.stateChanged("b", "id-b", null, "test");
      progress.stateChanged("c", "id-c", null, "waiting");
      progress.finished(new Outcome("c", "id-c", "complete", 0, "Certified", Verdict.PASSED, null));

      assertThat(progress.line()).startsWith("tfleet: 3/4 submitted | test 2 | passed 1 | ")
          .contains("ETA");
    }
  }

  @Test
  void machineThatEndsBadlyGetsALineAboveTheStatus() {
    try (ProgressDisplay progress = new ProgressDisplay(err, 1)) {
      progress.submitted("a", "id-a", false);
      progress.finished(new Outcome("a", "id-a", "complete", 3, "Failed", Verdict.FAILED, "test phase exited 3"));
    }
    String shown = bytes.toString(StandardCharsets.UTF_8);
    assertThat(shown).contains(ProgressDisplay.CLEAR_LINE + "a: failed: test phase exited 3\n");
    assertThat(shown).containsPattern("tfleet: 1/1 submitted \\| failed 1 \\| \\d+s\n$");
  }

  @Test
  void closingTwiceLeavesOneFinalLine() {
    ProgressDisplay progress = new ProgressDisplay(err, 1);
    progress.close();
    progress.close();
    assertThat(bytes.toString(StandardCharsets.UTF_8).split("\n", -1)).hasSize(2);
  }
}
