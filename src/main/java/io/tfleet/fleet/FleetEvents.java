package io.tfleet.fleet;

/** What a run tells its user as it goes; implementations must be thread-safe. */
public interface FleetEvents {
  /** A job was accepted by the server ({@code reused}: found from an earlier run, not sent now). */
  void submitted(String machine, String jobId, boolean reused);

  /** A machine's job could not be submitted. */
  void submitFailed(String machine, String reason);

  /** A job's state changed since the last time it was seen ({@code from} is null the first time). */
  void stateChanged(String machine, String jobId, String from, String to);

  /** Something worth a line that is not about one machine (a retry, an outage). */
  void notice(String message);

  /** A machine's outcome is settled (its job ended, was lost, or could not be submitted). */
  default void finished(Outcome outcome) {}

  /** Events that go nowhere. */
  FleetEvents NONE =
      new FleetEvents() {
        @Override
        public void submitted(String machine, String jobId, boolean reused) {}

        @Override
        public void submitFailed(String machine, String reason) {}

        @Override
        public void stateChanged(String machine, String jobId, String from, String to) {}

        @Override
        public void notice(String message) {}
      };
}
