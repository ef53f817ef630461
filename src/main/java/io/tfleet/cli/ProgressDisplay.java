package io.tfleet.cli;

import io.tfleet.fleet.Durations;
import io.tfleet.fleet.FleetEvents;
import io.tfleet.fleet.Outcome;
import io.tfleet.fleet.TreeSnapshot;
import io.tfleet.report.Verdict;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A status line redrawn in place on a terminal (counts per state, submitted/total, elapsed, ETA),
 * with a line above it for each machine that ends badly and for each notice.
 */
final class ProgressDisplay implements FleetEvents, AutoCloseable {
  /** Erase the current line and go back to its start. */
  static final String CLEAR_LINE = "\r\033[K";
  private static final long REDRAW_MILLIS = 250;

  private final PrintStream err;
  private final int total;
  private final long startedNanos = System.nanoTime();
  private final Map<String, String> states = new ConcurrentHashMap<>();
  private final Map<Verdict, AtomicInteger> verdicts = new EnumMap<>(Verdict.class);
  private final AtomicInteger submitted = new AtomicInteger();
  private final AtomicInteger finished = new AtomicInteger();
  /** The machines that passed in the {@code --baseline} run; empty without one. */
  private final Set<String> passedBefore;
  private final AtomicInteger regressed = new AtomicInteger();
  private final ScheduledExecutorService ticker;
  private boolean closed;

  ProgressDisplay(PrintStream err, int total) {
    this(err, total, null);
  }

  /** A display that also counts the machines that passed in {@code baseline} (if not null) and do not now. */
  ProgressDisplay(PrintStream err, int total, TreeSnapshot baseline) {
    this.err = err;
    this.total = total;
    this.passedBefore = baseline == null ? Set.of() : baseline.passed();
    for (Verdict v : Verdict.values()) {
      verdicts.put(v, new AtomicInteger());
    }
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
    submitted.incrementAndGet();
    states.putIfAbsent(machine, "submitted");
  }

  @Override
  public void submitFailed(String machine, String reason) {
    above(machine + ": submission failed: " + reason);
  }

  @Override
  public void stateChanged(String machine, String jobId, String from, String to) {
    states.put(machine, to);
  }

  @Override
  public void notice(String message) {
    above(message);
  }

  @Override
  public void finished(Outcome outcome) {
    states.remove(outcome.machine());
    finished.incrementAndGet();
    verdicts.get(outcome.verdict()).incrementAndGet();
    boolean regression = !outcome.verdict().passed() && passedBefore.contains(outcome.machine());
    if (regression) {
      regressed.incrementAndGet();
    }
    if (outcome.verdict() != Verdict.PASSED) {
      above(outcome.machine() + ": " + outcome.verdict().label() + ": " + outcome.reason()
          + (regression ? " (regressed: passed in the baseline)" : ""));
    }
  }

  /** The status line as it stands. */
  String line() {
    Map<String, Integer> counts = new TreeMap<>();
    states.values().forEach(s -> counts.merge(s, 1, Integer::sum));
    StringJoiner active = new StringJoiner(" ");
    counts.forEach((state, n) -> active.add(state + " " + n));
    StringJoiner done = new StringJoiner(" ");
    verdicts.forEach((v, n) -> {
      if (n.get() > 0) {
        done.add(v.label() + " " + n.get());
      }
    });
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startedNanos);
    StringBuilder line = new StringBuilder()
        .append("tfleet: ").append(Math.max(submitted.get(), finished.get())).append('/').append(total)
        .append(" submitted");
    if (active.length() > 0) {
      line.append(" | ").append(active);
    }
    if (done.length() > 0) {
      line.append(" | ").append(done);
    }
    if (regressed.get() > 0) {
      line.append(" | ").append(regressed.get()).append(" regressed");
    }
    line.append(" | ").append(Durations.format(Duration.ofSeconds(elapsed.toSeconds())));
    int ended = finished.get();
    if (ended > 0 && ended < total) {
      Duration eta = elapsed.dividedBy(ended).multipliedBy(total - ended);
      line.append(", ETA ").append(Durations.format(Duration.ofSeconds(eta.toSeconds())));
    }
    return line.toString();
  }

  private synchronized void redraw() {
    if (closed) {
      return;
    }
    err.print(CLEAR_LINE + line());
    err.flush();
  }

  private synchronized void above(String text) {
    err.print(CLEAR_LINE + text + "\n" + (closed ? "" : line()));
    err.flush();
  }

  /** Leaves the final status line in place; later calls do nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    ticker.shutdownNow();
    err.print(CLEAR_LINE + line() + "\n");
    err.flush();
  }
}
