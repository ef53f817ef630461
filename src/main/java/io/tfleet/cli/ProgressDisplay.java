package io.tfleet.cli;

import io.tfleet.fleet.FleetEvents;
import io.tfleet.fleet.Outcome;
import io.tfleet.fleet.TreeSnapshot;
import io.tfleet.report.Verdict;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A status line redrawn in place on a terminal (submitted/total, counts per state in lifecycle
 * order, verdicts, elapsed, ETA), always shorter than the terminal is wide, with a line above it
 * for each machine that ends badly and for each notice.
 */
final class ProgressDisplay implements FleetEvents, AutoCloseable {
  /** Erase the current line and go back to its start. */
  static final String CLEAR_LINE = "\r\033[K";

  /**
   * Often enough for the clock to move each second, rarely enough to ask for the width each time.
   */
  private static final long REDRAW_MILLIS = 500;

  private final PrintStream err;
  private final IntSupplier columns;
  private final Tally tally;
  private final Eta eta;
  private final long startedNanos = System.nanoTime();

  /** The machines that passed in the {@code --baseline} run; empty without one. */
  private final Set<String> passedBefore;

  private final AtomicInteger regressed = new AtomicInteger();
  private final ScheduledExecutorService ticker;
  private boolean closed;

  /** {@code columns} is asked for the terminal's width at every redraw. */
  ProgressDisplay(PrintStream err, int total, IntSupplier columns) {
    this(err, total, columns, null);
  }

  /**
   * A display that also counts the machines that passed in {@code baseline} (if not null) and do
   * not now.
   */
  ProgressDisplay(PrintStream err, int total, IntSupplier columns, TreeSnapshot baseline) {
    this.passedBefore = baseline == null ? Set.of() : baseline.passed();
    this.err = err;
    this.columns = columns;
    this.tally = new Tally(total);
    this.eta = new Eta(total);
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tfleet-progress");
              t.setDaemon(true);
              return t;
            });
    // The elapsed time and ETA move even when no job does.
    ticker.scheduleAtFixedRate(this::redraw, REDRAW_MILLIS, REDRAW_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void submitted(String machine, String jobId, boolean reused) {
    tally.submitted(machine, jobId, reused);
  }

  @Override
  public void submitFailed(String machine, String reason) {
    above(machine + ": submission failed: " + reason);
  }

  @Override
  public void stateChanged(String machine, String jobId, String from, String to) {
    tally.stateChanged(machine, jobId, from, to);
  }

  /** Why long-waiting jobs wait, as the fleet last said; shown on the line when it fits. */
  private volatile String waitingLine = "";

  @Override
  public void waiting(String why) {
    waitingLine = why;
    redraw();
  }

  @Override
  public void notice(String message) {
    above(message);
  }

  @Override
  public void roundEnded(List<Outcome> snapshot, boolean changed) {
    tally.reset(snapshot);
  }

  @Override
  public void finished(Outcome outcome) {
    tally.finished(outcome);
    boolean regression = !outcome.verdict().passed() && passedBefore.contains(outcome.machine());
    if (regression) {
      regressed.incrementAndGet();
    }
    if (outcome.verdict() != Verdict.PASSED) {
      above(
          outcome.machine()
              + ": "
              + outcome.verdict().label()
              + ": "
              + outcome.reason()
              + (regression ? " (regressed: passed in the baseline)" : ""));
    }
  }

  /** The status line as it stands, at full length. */
  String line() {
    return line(Integer.MAX_VALUE);
  }

  /**
   * The status line for a terminal {@code width} columns wide. It leaves the last column free: a
   * character written there makes some terminals wrap, and {@code \r} then returns to the wrapped
   * part, leaving a copy of the line behind at every redraw.
   */
  String line(int width) {
    Tally.Counts counts = tally.counts();
    long elapsed = System.nanoTime() - startedNanos;
    int room = width == Integer.MAX_VALUE ? width : width - 1;
    // Regressions since the baseline go last, and only when the line has room for them; why
    // jobs wait likewise.
    String regressions = regressed.get() > 0 ? " | " + regressed.get() + " regressed" : "";
    String why = waitingLine.isEmpty() ? "" : " | " + waitingLine;
    if ((regressions.length() + why.length()) * 2 <= room) {
      regressions = why + regressions;
    } else if (regressions.length() * 2 > room) {
      regressions = "";
    }
    return StatusLine.fit(
            counts,
            Duration.ofNanos(elapsed),
            eta.left(elapsed, counts.finished()),
            room == Integer.MAX_VALUE ? room : room - regressions.length())
        + regressions;
  }

  private synchronized void redraw() {
    if (closed) {
      return;
    }
    err.print(CLEAR_LINE + line(columns.getAsInt()));
    err.flush();
  }

  private synchronized void above(String text) {
    err.print(CLEAR_LINE + text + "\n" + (closed ? "" : line(columns.getAsInt())));
    err.flush();
  }

  /**
   * Leaves the final status line in place, on a line of its own (over a {@code ^C} the terminal
   * echoed), and never draws it again; later calls do nothing.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    ticker.shutdownNow();
    err.print(CLEAR_LINE + line(columns.getAsInt()) + "\n");
    err.flush();
  }
}
