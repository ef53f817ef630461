package io.tfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.report.Verdict;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.MachineFolder.StateSeen;
import io.tfleet.store.OutputTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet's state is loaded once from the tree and written through, never read back. */
class FleetStateTest {
  private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");
  private static final String JOB = "0f0e0d0c-0000-4000-8000-000000000001";

  @TempDir Path dir;

  @Test
  void aMonitorStartedAgainDoesNotRecordTheLastStateTwice() throws Exception {
    OutputTree tree = OutputTree.open(dir, /* create= */ true);
    MachineFolder folder = tree.machine("m1").create();
    folder.writeJobId(JOB, null);
    folder.writeStates(List.of(new StateSeen("test", T)));

    MachineRun run = FleetState.load(tree).machines().get(0);
    assertThat(run.observe("test", T.plusSeconds(60))).isFalse();
    assertThat(run.observe("complete", T.plusSeconds(90))).isTrue();

    assertThat(folder.states()).extracting(StateSeen::state).containsExactly("test", "complete");
    assertThat(folder.states().get(0).seen()).isEqualTo(T);
  }

  @Test
  void whatIsLoadedSaysWhereEachMachineStands() throws Exception {
    OutputTree tree = OutputTree.open(dir, /* create= */ true);
    tree.machine("active").create().writeJobId(JOB, null);
    tree.machine("pending").create().writePendingJobId(JOB);
    tree.machine("refused").create().writeError("422 unknown queue");

    FleetState state = FleetState.load(tree);

    assertThat(state.machines())
        .extracting(r -> r.stage().getClass().getSimpleName())
        .containsExactly("Active", "Pending", "Settled");
    assertThat(state.outcomes())
        .extracting(Outcome::verdict)
        .containsExactly(Verdict.UNFINISHED, Verdict.NOT_SUBMITTED, Verdict.ERROR);
  }

  @Test
  void whatTheRunWritesIsKnownWithoutReadingItBack() throws Exception {
    OutputTree tree = OutputTree.open(dir, /* create= */ true);
    MachineFolder folder = tree.machine("m1").create();
    folder.writeJobId(JOB, null);
    MachineRun run = FleetState.load(tree).machines().get(0);

    run.error(JOB, "gave up");
    // The folder now says so; the run knew it without reading it.
    Files.delete(folder.dir().resolve(MachineFolder.JOB_ID));
    assertThat(run.outcome().verdict()).isEqualTo(Verdict.ERROR);
    assertThat(run.outcome().reason()).isEqualTo("gave up");
    assertThat(run.readableFiles()).containsExactly(MachineFolder.ERROR);
  }
}
