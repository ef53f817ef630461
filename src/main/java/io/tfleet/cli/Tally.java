package io.tfleet.cli;

import io.tfleet.fleet.FleetEvents;
import io.tfleet.fleet.Outcome;
import io.tfleet.fleet.Results;
import io.tfleet.report.Verdict;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Where a fleet stands, counted from its events: submitted, each active state, each verdict. */
final class Tally implements FleetEvents {
  /** Everything the status line shows, at one instant. */
  record Counts(
      int total,
      int submitted,
      int finished,
      Map<String, Integer> states,
      Map<Verdict, Integer> verdicts) {
    Counts {
      states = Map.copyOf(states);
      verdicts = Map.copyOf(verdicts);
    }
  }

  private final int total;

  /** The state of each machine with a job still going. */
  private final Map<String, String> states = new HashMap<>();

  /** The verdict of each machine that is done; final, so no later news takes it back. */
  private final Map<String, Verdict> verdicts = new HashMap<>();

  /** Each machine that has had a job, or is done (filed by an earlier run, say). */
  private final Set<String> submitted = new HashSet<>();

  Tally(int total) {
    this.total = total;
  }

  // By machine, not by event: a round's snapshot and the events about the same machine may come in
  // either order, and each must count the machine once.

  @Override
  public synchronized void submitted(String machine, String jobId, boolean reused) {
    submitted.add(machine);
    // Only a machine's last attempt is finished: a job for one that had a verdict is its next try.
    verdicts.remove(machine);
    states.putIfAbsent(machine, "submitted");
  }

  @Override
  public synchronized void stateChanged(String machine, String jobId, String from, String to) {
    // A job seen in its final state is filed a moment later; until then it keeps its last phase,
    // so no "complete 3" flickers next to the verdicts.
    if (!Results.isTerminal(to)
        && !"vanished".equals(to)
        && !"timed out".equals(to)
        && !verdicts.containsKey(machine)) {
      states.put(machine, to);
    }
  }

  @Override
  public synchronized void finished(Outcome outcome) {
    states.remove(outcome.machine());
    verdicts.put(outcome.machine(), outcome.verdict());
    submitted.add(outcome.machine());
  }

  /**
   * Takes where every machine stands from the fleet's state at the end of a round; the events in
   * between keep the counts current until the next. A machine whose verdict came as an event after
   * the snapshot was taken stays done.
   */
  synchronized void reset(List<Outcome> snapshot) {
    states.clear();
    for (Outcome o : snapshot) {
      if (o.jobId() != null) {
        submitted.add(o.machine());
      }
      if (o.verdict() == Verdict.UNFINISHED) {
        if (o.jobId() != null && !verdicts.containsKey(o.machine())) {
          states.put(o.machine(), o.state() == null ? "submitted" : o.state());
        }
      } else if (o.verdict() != Verdict.NOT_SUBMITTED) {
        verdicts.put(o.machine(), o.verdict());
        submitted.add(o.machine());
      }
    }
  }

  synchronized Counts counts() {
    Map<String, Integer> byState = new HashMap<>();
    states.values().forEach(s -> byState.merge(s, 1, Integer::sum));
    Map<Verdict, Integer> byVerdict = new EnumMap<>(Verdict.class);
    verdicts.values().forEach(v -> byVerdict.merge(v, 1, Integer::sum));
    return new Counts(total, submitted.size(), verdicts.size(), byState, byVerdict);
  }
}
