package io.tfleet.fleet;

import io.tfleet.report.AttemptReport;
import io.tfleet.report.MachineReport;
import io.tfleet.report.Observed;
import io.tfleet.report.RunReport;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import io.tfleet.store.TreeNames;
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
    Attempts attempts = state.attempts();
    return new RunReport(
        server, started, finished, machines, live, attempts.repeat(), attempts.retries());
  }

  /** The report of every machine of the tree as its files stand (no server). */
  public static RunReport ofTree(OutputTree tree, String server, Instant started, Instant finished)
      throws IOException {
    FleetState state = FleetState.load(tree);
    // The run's attempts, as its manifest recorded them: a pressure run's reports show pass rates.
    tree.manifest()
        .ifPresent(
            m ->
                state.attempts(
                    new Attempts(
                        m.retries() == null ? 0 : m.retries(),
                        m.repeat() == null ? 1 : m.repeat())));
    return build(state, server, started, finished);
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
    return MachineReport.builder(o.machine(), o.verdict())
        .jobId(o.jobId())
        .state(o.state())
        .phaseStatuses(phases)
        .hwStatus(o.hwStatus())
        .cause(o.cause())
        .reason(o.reason())
        .build();
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
    return MachineReport.builder(o.machine(), o.verdict())
        .jobId(o.jobId())
        .queue(run.queue())
        .state(o.state())
        .phaseStatuses(phases)
        .hwStatus(o.hwStatus())
        .cause(o.cause())
        .reason(o.reason())
        .submittedAt(run.submittedAt())
        .finishedAt(run.finishedAt())
        .outputTail(hasOutput ? run.outputTail() : null)
        .outputFile(hasOutput ? files.get(0) : null)
        .files(files)
        .observed(run.states().stream().map(s -> new Observed(s.state(), s.seen())).toList())
        .attempts(attempts(tree, run, o))
        .build();
  }

  /** Every attempt of a machine that had several, oldest first; empty for one attempt. */
  static List<AttemptReport> attempts(OutputTree tree, MachineRun run, Outcome latest) {
    List<EarlierAttempt> earlier = run.earlier();
    if (earlier.isEmpty()) {
      return List.of();
    }
    List<AttemptReport> attempts = new ArrayList<>();
    for (EarlierAttempt a : earlier) {
      Outcome o = a.outcome();
      attempts.add(
          new AttemptReport(
              a.number(),
              o.jobId(),
              o.verdict(),
              o.cause(),
              o.reason(),
              a.submittedAt(),
              a.finishedAt(),
              tree.root()
                  .relativize(run.folder.dir().resolve(TreeNames.attempt(a.number())))
                  .toString()));
    }
    attempts.add(
        new AttemptReport(
            run.attempt(),
            latest.jobId(),
            latest.verdict(),
            latest.cause(),
            latest.reason(),
            run.submittedAt(),
            run.finishedAt(),
            null));
    return attempts;
  }
}
