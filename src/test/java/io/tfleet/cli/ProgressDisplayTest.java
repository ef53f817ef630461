package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.fleet.Outcome;
import io.tfleet.fleet.TreeSnapshot;
import io.tfleet.report.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressDisplayTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @Test
  void statusLineCountsStatesInLifecycleOrderAndVerdicts() {
    try (ProgressDisplay progress = new ProgressDisplay(err, 4, () -> 200)) {
      progress.submitted("a", "id-a", false);
      progress.submitted("b", "id-b", false);
      progress.submitted("c", "id-c", false);
      progress.stateChanged("a", "id-a", null, "test");
      progress.stateChanged("b", "id-b", null, "provision");
      progress.stateChanged("c", "id-c", null, "waiting");
      progress.stateChanged("c", "id-c", "waiting", "complete");
      progress.finished(new Outcome("c", "id-c", "complete", 0, "Certified", Verdict.PASSED, null));

      assertThat(progress.line())
          .startsWith("tfleet: 3/4 submitted | provision 1 test 1 | passed 1 | ")
          .contains("ETA");
    }
  }

  @Test
  void aJobSeenInItsFinalStateKeepsItsLastPhaseUntilItIsFiled() {
    try (ProgressDisplay progress = new ProgressDisplay(err, 2, () -> 200)) {
      progress.submitted("a", "id-a", false);
      progress.stateChanged("a", "id-a", null, "cleanup");
      progress.stateChanged("a", "id-a", "cleanup", "complete");

      assertThat(progress.line()).contains("| cleanup 1 |").doesNotContain("complete");
    }
  }

  @Test
  void everyDrawnLineLeavesTheTerminalsLastColumnFree() {
    try (ProgressDisplay progress = new ProgressDisplay(err, 200, () -> 40)) {
      for (int i = 0; i < 200; i++) {
        progress.submitted("m" + i, "id", false);
        progress.stateChanged(
            "m" + i, "id", null, StatusLine.LIFECYCLE.get(i % StatusLine.LIFECYCLE.size()));
      }
      progress.finished(new Outcome("m0", "id", null, null, null, Verdict.ERROR, "lost"));
    }
    String shown = bytes.toString(StandardCharsets.UTF_8);
    for (String draw : shown.split("\r\033\\[K")) {
      String status = draw.contains("\n") ? draw.substring(draw.lastIndexOf('\n') + 1) : draw;
      assertThat(status.length()).as(status).isLessThanOrEqualTo(39);
    }
    assertThat(shown).contains("m0: error: lost\n");
  }

  @Test
  void machineThatEndsBadlyGetsALineAboveTheStatus() {
    try (ProgressDisplay progress = new ProgressDisplay(err, 1, () -> 200)) {
      progress.submitted("a", "id-a", false);
      progress.finished(
          new Outcome("a", "id-a", "complete", 3, "Failed", Verdict.FAILED, "test phase exited 3"));
    }
    String shown = bytes.toString(StandardCharsets.UTF_8);
    assertThat(shown).contains(ProgressDisplay.CLEAR_LINE + "a: failed: test phase exited 3\n");
    assertThat(shown).containsPattern("tfleet: 1/1 submitted \\| failed 1 \\| \\d+s\n$");
  }

  @Test
  void closingTwiceLeavesOneFinalLineAndNoticesAfterItHaveLinesOfTheirOwn() {
    ProgressDisplay progress = new ProgressDisplay(err, 1, () -> 80);
    progress.close();
    progress.close();
    progress.notice("Cancelled the jobs of 1 unfinished machines.");
    String shown = bytes.toString(StandardCharsets.UTF_8);
    assertThat(shown.split("\n", -1)).hasSize(3);
    assertThat(shown)
        .endsWith(
            "\n" + ProgressDisplay.CLEAR_LINE + "Cancelled the jobs of 1 unfinished machines.\n");
  }

  @Test
  void machinesThatPassedInTheBaselineAndNowFailAreCountedAsRegressed(@TempDir Path dir)
      throws Exception {
    // A tree of the original script: a and b completed with a hw status, so they passed.
    for (String m : new String[] {"a", "b"}) {
      Path folder = Files.createDirectories(dir.resolve("base").resolve(m));
      Files.writeString(
          folder.resolve("tf_job_id.txt"),
          "00000000-0000-4000-8000-00000000000" + (m.equals("a") ? 1 : 2));
      Files.writeString(folder.resolve("output.txt"), "{\"status\": \"Certified\"}\n");
      Files.writeString(folder.resolve("hw_status.txt"), "Certified");
    }
    TreeSnapshot baseline = TreeSnapshot.read(dir.resolve("base"));

    try (ProgressDisplay progress = new ProgressDisplay(err, 3, () -> 200, baseline)) {
      progress.finished(
          new Outcome("a", "id-a", "complete", 3, "Failed", Verdict.FAILED, "test phase exited 3"));
      progress.finished(new Outcome("b", "id-b", "complete", 0, "Certified", Verdict.PASSED, null));
      progress.finished(
          new Outcome("c", "id-c", "complete", 3, "Failed", Verdict.FAILED, "test phase exited 3"));

      assertThat(progress.line()).endsWith(" | 1 regressed");
      assertThat(progress.line(80)).hasSizeLessThan(80).endsWith(" | 1 regressed");
    }
    String shown = bytes.toString(StandardCharsets.UTF_8);
    assertThat(shown)
        .contains("a: failed: test phase exited 3 (regressed: passed in the baseline)\n");
    assertThat(shown).contains("c: failed: test phase exited 3\n");
  }
}
