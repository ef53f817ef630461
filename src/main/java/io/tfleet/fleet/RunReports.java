package io.tfleet.fleet;

import io.tfleet.report.MachineReport;
import io.tfleet.report.Observed;
import io.tfleet.report.RunReport;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds what the reports show from the fleet's state, which knows each machine's details. */
public final class RunReports {
  private RunReports() {}

  /** The report of a run that has ended, or of a tree as it stands. */
  public static RunReport build(
      FleetState state, String server, Instant started, Instant finished) {
    return build(state, server, started, finished, /* live= */ false);
  }

  /**
   * One entry per machine of {@code state}, with the details it knows; {@code live} for a run still
   * going, whose report is written at {@code finished}.
   */
  public static RunReport build(
      FleetState state, String server, Instant started, Instant finished, boolean live) {
    List<MachineReport> machines = new ArrayList<>(state.size());
    for (MachineRun run : state.machines()) {
      machines.add(machine(state.tree(), run));
    }
    return new RunReport(server, started, finished, machines, live);
  }

  /** The report of every machine of the tree as its files stand (no server). */
  public static RunReport ofTree(OutputTree tree, String server, Instant started, Instant finished)
      throws IOException {
    return build(FleetState.load(tree), server, started, finished);
  }

  /**
   * One entry per outcome with only what the outcome itself says (no folder is read): enough for
   * the summary table, at a fraction of the cost of {@link #build}.
   */
  public static List<MachineReport> brief(List<Outcome> outcomes) {
    List<MachineReport> machines = new ArrayList<>(outcomes.size());
    for (Outcome o : outcomes) {
      machines.add(brief(o, testOnly(o)));
    }
    machines.sort((a, b) -> a.machine().compareTo(b.machine()));
    return machines;
  }

  /** The entry for one outcome with {@code phases} (phase to exit code) and nothing more. */
  static MachineReport brief(Outcome o, Map<String, Integer> phases) {
    return new MachineReport(
        o.machine(),
        o.jobId(),
        null,
        o.state(),
        phases,
        o.hwStatus(),
        o.verdict(),
        o.reason(),
        null,
        null,
        null,
        null);
  }

  /** The phase exit codes an outcome alone tells: the test's, if known. */
  static Map<String, Integer> testOnly(Outcome o) {
    return o.testStatus() == null ? Map.of() : Map.of("test", o.testStatus());
  }

  private static MachineReport machine(OutputTree tree, MachineRun run) {
    Outcome o = run.outcome();
    // Without a filed result (tfleet status files nothing), the outcome's test exit is all there
    // is.
    Map<String, Integer> phases = run.phaseStatuses().isEmpty() ? testOnly(o) : run.phaseStatuses();
    List<String> files = new ArrayList<>();
    for (String name : run.readableFiles()) {
      files.add(tree.root().relativize(run.folder.dir().resolve(name)).toString());
    }
    boolean hasOutput = run.readableFiles().contains(MachineFolder.OUTPUT);
    return new MachineReport(
        o.machine(),
        o.jobId(),
        run.queue(),
        o.state(),
        phases,
        o.hwStatus(),
        o.verdict(),
        o.reason(),
        run.submittedAt(),
        run.finishedAt(),
        hasOutput ? run.outputTail() : null,
        hasOutput ? files.get(0) : null,
        files,
        run.states().stream().map(s -> new Observed(s.state(), s.seen())).toList());
  }
}
