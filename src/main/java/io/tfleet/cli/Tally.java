package io.tfleet.cli;

import io.tfleet.fleet.FleetEvents;
import io.tfleet.fleet.Outcome;
import io.tfleet.fleet.Results;
import io.tfleet.report.Verdict;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
  private final Map<String, String> states = new HashMap<>();
  private final Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
  private int submitted;
  private int finished;

  Tally(int total) {
    this.total = total;
  }

  @Override
  public synchronized void submitted(String machine, String jobId, boolean reused) {
    submitted++;
    states.putIfAbsent(machine, "submitted");
  }

  @Override
  public synchronized void stateChanged(String machine, String jobId, String from, String to) {
    // A job seen in its final state is filed a moment later; until then it keeps its last phase,
    // so no "complete 3" flickers next to the verdicts.
    if (!Results.isTerminal(to) && !"vanished".equals(to) && !"timed out".equals(to)) {
      states.put(machine, to);
    }
  }

  @Override
  public synchronized void finished(Outcome outcome) {
    states.remove(outcome.machine());
    finished++;
    verdicts.merge(outcome.verdict(), 1, Integer::sum);
  }

  /**
   * Takes where every machine stands from the fleet's state at the end of a round; the events in
   * between keep the counts current until the next.
   */
  synchronized void reset(List<Outcome> snapshot) {
    states.clear();
    verdicts.clear();
    finished = 0;
    int withJob = 0;
    for (Outcome o : snapshot) {
      if (o.jobId() != null) {
        withJob++;
      }
      if (o.verdict() == Verdict.UNFINISHED) {
        if (o.jobId() != null) {
          states.put(o.machine(), o.state() == null ? "submitted" : o.state());
        }
      } else if (o.verdict() != Verdict.NOT_SUBMITTED) {
        finished++;
        verdicts.merge(o.verdict(), 1, Integer::sum);
      }
    }
    submitted = Math.max(submitted, withJob);
  }

  synchronized Counts counts() {
    Map<String, Integer> byState = new HashMap<>();
    states.values().forEach(s -> byState.merge(s, 1, Integer::sum));
    // A machine filed from an earlier run was never submitted in this one, but it is done.
    return new Counts(total, Math.max(submitted, finished), finished, byState, verdicts);
  }
}
