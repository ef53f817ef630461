package io.tfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tfleet.job.InputException;
import io.tfleet.report.MachineReport;
import io.tfleet.report.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading trees for comparison; runs against a real lab are in {@code CompareIT}. */
class TreeSnapshotTest {
  @TempDir Path dir;

  private Path seedMachine(Path tree, String machine, int n, String output, String hw)
      throws Exception {
    Path folder = Files.createDirectories(tree.resolve(machine));
    Files.writeString(
        folder.resolve("tf_job_id.txt"), String.format("00000000-0000-4000-8000-%012d", n));
    if (output != null) {
      Files.writeString(folder.resolve("output.txt"), output);
    }
    if (hw != null) {
      Files.writeString(folder.resolve("hw_status.txt"), hw);
    }
    return folder;
  }

  private static MachineReport machine(TreeSnapshot snapshot, String id) {
    return snapshot.machines().stream()
        .filter(m -> m.machine().equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void originalScriptTreeIsJudgedFromOutputAndHwStatus() throws Exception {
    Path tree = dir.resolve("seed");
    seedMachine(tree, "certified", 1, "{\"status\": \"Certified\"}\n", "Certified");
    seedMachine(tree, "no-status", 2, "segfault\n", "Unknown");
    seedMachine(tree, "no-hw-file", 3, "{\"status\": \"Not Seen\"}\n", null);
    seedMachine(tree, "running", 4, null, null);

    TreeSnapshot seed = TreeSnapshot.read(tree);

    assertThat(machine(seed, "certified").verdict()).isEqualTo(Verdict.PASSED);
    assertThat(machine(seed, "certified").phaseStatuses()).isEmpty();
    assertThat(machine(seed, "no-status").verdict()).isEqualTo(Verdict.FAILED);
    assertThat(machine(seed, "no-status").reason())
        .contains("no hw status", "test exit code is not known");
    assertThat(machine(seed, "no-hw-file").hwStatus()).isEqualTo("Not Seen");
    assertThat(machine(seed, "no-hw-file").verdict()).isEqualTo(Verdict.PASSED);
    assertThat(machine(seed, "running").verdict()).isEqualTo(Verdict.UNFINISHED);
    assertThat(seed.side().judgedFromOutput()).isEqualTo(3);
    assertThat(seed.passed()).containsExactly("certified", "no-hw-file");
  }

  @Test
  void roundTakesEachMachinesRoundFolderElseItsCurrentFiles() throws Exception {
    Path tree = dir.resolve("tree");
    Path retried = seedMachine(tree, "retried", 1, "{\"status\": \"Certified\"}\n", "Certified");
    seedMachine(retried, "round-1", 2, "crash\n", "Unknown");
    seedMachine(tree, "kept", 3, "{\"status\": \"Certified\"}\n", "Certified");

    TreeSnapshot round = TreeSnapshot.readRound(tree, 1);

    assertThat(machine(round, "retried").verdict()).isEqualTo(Verdict.FAILED);
    assertThat(machine(round, "retried").jobId()).endsWith("000000000002");
    assertThat(machine(round, "kept").verdict()).isEqualTo(Verdict.PASSED);
    assertThat(round.side().label()).isEqualTo(tree + " round-1");
    assertThatThrownBy(() -> TreeSnapshot.readRound(tree, 2))
        .isInstanceOf(InputException.class)
        .hasMessage(
            tree
                + ": no machine has a round-2 folder (rounds are made by --resubmit and --retry-failed)");
    assertThatThrownBy(() -> TreeSnapshot.readRound(tree, 0))
        .hasMessageContaining("--round must be 1 or more");
  }

  @Test
  void missingTreeAndTreeWithoutMachinesNameThePath() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Files.createDirectories(empty.resolve("not-a-machine"));

    assertThatThrownBy(() -> TreeSnapshot.read(dir.resolve("nowhere")))
        .isInstanceOf(InputException.class)
        .hasMessage(dir.resolve("nowhere") + ": no such output directory");
    assertThatThrownBy(() -> TreeSnapshot.read(empty))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(empty + ": no machines");
  }
}
