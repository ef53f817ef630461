package io.tfleet.fleet;

import io.tfleet.fleet.Waiting.WaitingJob;
import io.tfleet.report.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Says, for {@code tfleet status}, why its waiting machines wait: each unfinished machine seen
 * waiting shows {@code waiting (3rd in queue; p50 wait 4m)} as its state, from one {@link
 * Waiting#look} at the jobs, whose queues come from their machines' {@code job.yaml}.
 */
public final class WaitingStatus {
  private WaitingStatus() {}

  /**
   * {@code outcomes} with the state of each waiting machine explained; the others as they are. A
   * waiting machine whose queue is not known (no {@code job.yaml}) is left as it is.
   */
  public static List<Outcome> explain(List<Outcome> outcomes, FleetState state, Waiting waiting) {
    Map<String, WaitingJob> byMachine = new LinkedHashMap<>();
    for (Outcome o : outcomes) {
      if (isWaiting(o)) {
        String queue = state.queueOf(o.machine());
        if (queue != null) {
          byMachine.put(o.machine(), new WaitingJob(o.jobId(), queue));
        }
      }
    }
    Waiting.Insight insight = waiting.look(new ArrayList<>(byMachine.values()));
    List<Outcome> explained = new ArrayList<>(outcomes.size());
    for (Outcome o : outcomes) {
      WaitingJob job = byMachine.get(o.machine());
      String why = job == null ? "" : insight.describe(job);
      explained.add(
          why.isEmpty()
              ? o
              : new Outcome(
                  o.machine(),
                  o.jobId(),
                  o.state() + " (" + why + ")",
                  o.testStatus(),
                  o.hwStatus(),
                  o.verdict(),
                  o.reason()));
    }
    return explained;
  }

  private static boolean isWaiting(Outcome o) {
    return o.verdict() == Verdict.UNFINISHED && o.jobId() != null && "waiting".equals(o.state());
  }
}
