package io.tfleet.fleet;

import io.tfleet.report.Reports;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Keeps a run's {@code report.html} and {@code summary.json} current while it goes, marked live:
 * rewritten at the end of a monitoring round that changed something, but not more often than {@link
 * #MIN_INTERVAL}, nor spending more than a tenth of the run on it. Built from the fleet's state,
 * not from the tree. Passes every event on to the listener it wraps.
 */
public final class LiveReport implements FleetEvents {
  /** The shortest time between two rewrites; the page reloads itself about as often. */
  static final Duration MIN_INTERVAL = Duration.ofSeconds(3);

  /** A rewrite may be followed by at least this many times its own length without one. */
  private static final int COST_FACTOR = 10;

  private final FleetState state;
  private final String server;
  private final Instant started;
  private final FleetEvents next;
  private final Clock clock;

  private Instant nextWrite = Instant.MIN;

  /** Something changed since the last rewrite. */
  private boolean pending;

  private boolean complained;
  private int writes;

  public LiveReport(FleetState state, String server, Instant started, FleetEvents next) {
    this(state, server, started, next, Clock.systemUTC());
  }

  LiveReport(FleetState state, String server, Instant started, FleetEvents next, Clock clock) {
    this.state = state;
    this.server = server;
    this.started = started;
    this.next = next;
    this.clock = clock;
  }

  /**
   * Writes the first live page, from the fleet as it stands: a reader has a page from the start.
   */
  public synchronized void begin() throws IOException {
    write();
  }

  /** How many times the live reports were written. */
  synchronized int writes() {
    return writes;
  }

  @Override
  public void roundEnded(List<Outcome> snapshot, boolean changed) {
    next.roundEnded(snapshot, changed);
    synchronized (this) {
      pending |= changed;
      if (!pending || clock.instant().isBefore(nextWrite)) {
        return;
      }
      try {
        write();
      } catch (IOException e) {
        // The reports at the end will fail loudly if the tree really is broken; a run goes on.
        if (!complained) {
          complained = true;
          next.notice("could not write the live report: " + e.getMessage());
        }
      }
    }
  }

  private void write() throws IOException {
    Instant begun = clock.instant();
    Reports.writeLive(
        RunReports.build(state, server, started, begun, /* live= */ true), state.tree().root());
    Duration took = Duration.between(begun, clock.instant());
    Duration pause = took.multipliedBy(COST_FACTOR);
    nextWrite = clock.instant().plus(pause.compareTo(MIN_INTERVAL) > 0 ? pause : MIN_INTERVAL);
    pending = false;
    writes++;
  }

  @Override
  public void submitted(String machine, String jobId, boolean reused) {
    next.submitted(machine, jobId, reused);
  }

  @Override
  public void submitFailed(String machine, String reason) {
    next.submitFailed(machine, reason);
  }

  @Override
  public void stateChanged(String machine, String jobId, String from, String to) {
    next.stateChanged(machine, jobId, from, to);
  }

  @Override
  public void notice(String message) {
    next.notice(message);
  }

  @Override
  public void waiting(String line) {
    next.waiting(line);
  }

  @Override
  public void finished(Outcome outcome) {
    next.finished(outcome);
  }
}
