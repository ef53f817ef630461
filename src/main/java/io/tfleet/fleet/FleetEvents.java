package io.tfleet.fleet;

import java.util.List;

/**
 * What a run tells its user as it goes; implementations must be thread-safe. Every event is ignored
 * unless overridden, so a listener says only what it cares about.
 */
public interface FleetEvents {
  /** A job was accepted by the server ({@code reused}: found from an earlier run, not sent now). */
  default void submitted(String machine, String jobId, boolean reused) {}

  /** A machine's job could not be submitted. */
  default void submitFailed(String machine, String reason) {}

  /**
   * A job's state changed since the last time it was seen ({@code from} is null the first time).
   */
  default void stateChanged(String machine, String jobId, String from, String to) {}

  /** Something worth a line that is not about one machine (a retry, an outage). */
  default void notice(String message) {}

  /** A machine's outcome is settled (its job ended, was lost, or could not be submitted). */
  default void finished(Outcome outcome) {}

  /**
   * A monitoring round ended and another follows: {@code snapshot} is where every machine stands
   * (sorted by machine id), {@code changed} whether any job moved during the round.
   */
  default void roundEnded(List<Outcome> snapshot, boolean changed) {}

  /**
   * Why the jobs that have waited a while still wait, in one line ("12 waiting: 3 behind other
   * jobs, p50 wait 4m"); said when it changes, empty once nothing waits long.
   */
  default void waiting(String line) {}

  /** Events that go nowhere. */
  FleetEvents NONE = new FleetEvents() {};
}
