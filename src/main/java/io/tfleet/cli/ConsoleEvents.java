package io.tfleet.cli;

import io.tfleet.fleet.FleetEvents;
import io.tfleet.fleet.Outcome;
import io.tfleet.report.Verdict;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints a timestamped line for each event, never one per poll, and for a fleet a totals line every
 * minute. A fleet of more than {@value #LINE_PER_STATE_UP_TO} machines gets no line per submission
 * or state change: the totals line counts them, and only what needs a person (a machine that ends
 * badly, a notice) has a line of its own.
 */
final class ConsoleEvents implements FleetEvents, AutoCloseable {
  /**
   * The largest fleet that gets a line per submission and state change: about 7 lines a machine, so
   * ~350 lines at most; 200 machines would print ~1,450, where the failures drown.
   */
  static final int LINE_PER_STATE_UP_TO = 50;

  static final Duration TOTALS_EVERY = Duration.ofMinutes(1);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final PrintStream err;
  private final Tally tally;
  private final Eta eta;
  private final boolean everyChange;
  private final long startedNanos = System.nanoTime();
  private final ScheduledExecutorService ticker;

  /** Lines for events only, no totals: for the checks before a fleet starts. */
  ConsoleEvents(PrintStream err) {
    this(err, 0, /* totals= */ false);
  }

  /**
   * Lines for a fleet of {@code total} machines; with {@code totals}, a totals line every {@link
   * #TOTALS_EVERY} until {@link #close()}.
   */
  ConsoleEvents(PrintStream err, int total, boolean totals) {
    this.err = err;
    this.tally = new Tally(total);
    this.eta = new Eta(total);
    this.everyChange = total <= LINE_PER_STATE_UP_TO;
    if (totals) {
      ticker =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "tfleet-totals");
                t.setDaemon(true);
                return t;
              });
      long every = TOTALS_EVERY.toMillis();
      ticker.scheduleAtFixedRate(this::totals, every, every, TimeUnit.MILLISECONDS);
    } else {
      ticker = null;
    }
  }

  @Override
  public void submitted(String machine, String jobId, boolean reused) {
    tally.submitted(machine, jobId, reused);
    if (everyChange) {
      line(machine + ": " + (reused ? "already has job " : "submitted job ") + jobId);
    }
  }

  @Override
  public void submitFailed(String machine, String reason) {
    line(machine + ": submission failed: " + reason);
  }

  @Override
  public void stateChanged(String machine, String jobId, String from, String to) {
    tally.stateChanged(machine, jobId, from, to);
    if (everyChange) {
      line(machine + " (" + jobId + "): " + (from == null ? to : from + " -> " + to));
    }
  }

  @Override
  public void notice(String message) {
    line(message);
  }

  @Override
  public void waiting(String why) {
    if (!why.isEmpty()) {
      line(why);
    }
  }

  @Override
  public void roundEnded(List<Outcome> snapshot, boolean changed) {
    tally.reset(snapshot);
  }

  @Override
  public void finished(Outcome outcome) {
    tally.finished(outcome);
    if (outcome.verdict() != Verdict.PASSED) {
      line(outcome.machine() + ": " + outcome.verdict().label() + ": " + outcome.reason());
    }
  }

  /** Prints the totals line: the status line of a terminal, at full length. */
  void totals() {
    Tally.Counts counts = tally.counts();
    long elapsed = System.nanoTime() - startedNanos;
    line(StatusLine.full(counts, Duration.ofNanos(elapsed), eta.left(elapsed, counts.finished())));
  }

  private void line(String text) {
    err.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS).format(TIME) + " " + text);
  }

  /** Stops the totals lines. */
  @Override
  public void close() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
  }
}
