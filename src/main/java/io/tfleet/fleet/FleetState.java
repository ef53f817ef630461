package io.tfleet.fleet;

import io.tfleet.job.RenderedJob;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every machine of a run, in memory, loaded once from the output tree and written through to it
 * (see {@link MachineRun}). Reports, events, the status line and {@code status} are built from
 * here; nothing reads a folder back to learn what this process wrote.
 */
public final class FleetState {
  private final OutputTree tree;
  private final Map<String, MachineRun> runs;
  private volatile Attempts attempts = Attempts.ONE;

  private FleetState(OutputTree tree, Map<String, MachineRun> runs) {
    this.tree = tree;
    this.runs = runs;
  }

  /** The machines of {@code jobs}, each as its folder stands. */
  public static FleetState load(OutputTree tree, Collection<RenderedJob> jobs) throws IOException {
    Map<String, MachineRun> runs = new TreeMap<>();
    for (RenderedJob job : jobs) {
      MachineFolder folder = tree.machine(job.machine().value());
      runs.put(folder.machine(), MachineRun.load(folder, job));
    }
    return new FleetState(tree, runs);
  }

  /** Every machine of the tree (see {@link OutputTree#machines}), each as its folder stands. */
  public static FleetState load(OutputTree tree) throws IOException {
    return of(tree, tree.machines());
  }

  /** The machines of {@code folders}, each as its folder stands, without jobs to submit. */
  public static FleetState of(OutputTree tree, List<MachineFolder> folders) throws IOException {
    Map<String, MachineRun> runs = new TreeMap<>();
    for (MachineFolder folder : folders) {
      runs.put(folder.machine(), MachineRun.load(folder, null));
    }
    return new FleetState(tree, runs);
  }

  /** How many attempts each machine gets in this run, for the reports' pass rates. */
  public Attempts attempts() {
    return attempts;
  }

  void attempts(Attempts planned) {
    this.attempts = planned;
  }

  public OutputTree tree() {
    return tree;
  }

  /** Every machine, sorted by id. */
  List<MachineRun> machines() {
    return new ArrayList<>(runs.values());
  }

  public int size() {
    return runs.size();
  }

  /** The queue of {@code machine}'s job; null when not known (no job file, no such machine). */
  public String queueOf(String machine) {
    MachineRun run = runs.get(machine);
    return run == null ? null : run.queue();
  }

  /** Where every machine stands, sorted by id. */
  public List<Outcome> outcomes() {
    List<Outcome> outcomes = new ArrayList<>(runs.size());
    runs.values().forEach(run -> outcomes.add(run.outcome()));
    return outcomes;
  }

  /**
   * Settles each machine of {@code outcomes} as its outcome says, in memory only: for a tree judged
   * by rules of its own (the original script's files), before a report of it is built.
   */
  void settleAs(List<Outcome> outcomes) {
    for (Outcome o : outcomes) {
      MachineRun run = runs.get(o.machine());
      if (run != null) {
        run.stage(new Stage.Settled(o));
      }
    }
  }

  /** Removes what writers killed halfway left in the folders; only with the tree's lock held. */
  void removeLeftovers() throws IOException {
    for (MachineRun run : runs.values()) {
      run.removeLeftovers();
    }
  }

  /** Starts the next attempt of every machine whose last one ended with another due. */
  void startDueAttempts(Attempts attempts) throws IOException {
    for (MachineRun run : runs.values()) {
      if (run.job != null
          && run.stage() instanceof Stage.Settled settled
          && attempts.another(settled.outcome(), run.attempt())) {
        run.startNext();
      }
    }
  }

  /** Whether every machine's attempt is over. */
  boolean allSettled() {
    return runs.values().stream().allMatch(r -> r.stage() instanceof Stage.Settled);
  }
}
