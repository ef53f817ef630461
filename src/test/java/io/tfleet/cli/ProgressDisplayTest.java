package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.fleet.Outcome;
import io.tfleet.report.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import io.tfleet.fleet.TreeSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void machinesThatPassedInTheBaselineAndNowFailAreCountedAsRegressed(@TempDir Path dir) throws Exception {
    // A tree of the original script: a and b completed with a hw status, so they passed.
    for (String m : new String[] {"a", "b"}) {
      Path folder = Files.createDirectories(dir.resolve("base").resolve(m));
      Files.writeString(folder.resolve("tf_job_id.txt"), "00000000-0000-4000-8000-00000000000" + (m.equals("a") ? 1 : 2));
      Files.writeString(folder.resolve("output.txt"), "{\"status\": \"Certified\"}\n");
      Files.writeString(folder.resolve("hw_status.txt"), "Certified");
    }
    TreeSnapshot baseline = TreeSnapshot.read(dir.resolve("base"));

    try (ProgressDisplay progress = new ProgressDisplay(err, 3, baseline)) {
      progress.finished(new Outcome("a", "id-a", "complete", 3, "Failed", Verdict.FAILED, "test phase exited 3"));
      progress.finished(new Outcome("b", "id-b", "complete", 0, "Certified", Verdict.PASSED, null));
      progress.finished(new Outcome("c", "id-c", "complete", 3, "Failed", Verdict.FAILED, "test phase exited 3"));

      assertThat(progress.line()).contains("| passed 1 failed 2 | 1 regressed | ");
    }
    String shown = bytes.toString(StandardCharsets.UTF_8);
    assertThat(shown).contains("a: failed: test phase exited 3 (regressed: passed in the baseline)\n");
    assertThat(shown).contains("c: failed: test phase exited 3\n");
  }
}
