package io.tfleet.cli;

import io.tfleet.fleet.LogFollower;
import io.tfleet.fleet.LogFollower.Target;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Prints followed logs: one job's log to standard output exactly as the server keeps it (so a
 * finished job's test phase reads as its {@code output.txt}); several jobs' logs a line at a time,
 * each line after its job's name. Where a job's log moves to another phase, where a job waits, and
 * where it ended go to standard error, so standard output holds nothing but the logs.
 */
final class LogLines implements LogFollower.Sink {
  private final PrintStream out;
  private final PrintStream err;
  private final boolean prefixed;
  private final boolean quiet;

  /** What each job printed after its last newline, held until its line is whole. */
  private final Map<Target, StringBuilder> partial = new HashMap<>();

  private final Map<Target, String> lastPhase = new HashMap<>();

  /**
   * @param prefixed whether each line starts with its job's name, for several jobs at once
   * @param quiet whether to leave out the phase, waiting and ending lines
   */
  LogLines(PrintStream out, PrintStream err, boolean prefixed, boolean quiet) {
    this.out = out;
    this.err = err;
    this.prefixed = prefixed;
    this.quiet = quiet;
  }

  @Override
  public synchronized void text(Target target, String phase, String text) {
    if (!phase.equals(lastPhase.put(target, phase)) && !quiet) {
      out.flush();
      err.println("tfleet: " + target.name() + ": " + phase + " phase");
    }
    if (!prefixed) {
      out.print(text);
      out.flush();
      return;
    }
    StringBuilder line = partial.computeIfAbsent(target, t -> new StringBuilder());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        out.println(target.name() + ": " + line);
        line.setLength(0);
      } else {
        line.append(c);
      }
    }
    out.flush();
  }

  @Override
  public synchronized void waiting(Target target, int ahead) {
    if (!quiet) {
      err.println(
          "tfleet: "
              + target.name()
              + ": waiting in its queue, "
              + (ahead == 0
                  ? "next to start"
                  : ahead + (ahead == 1 ? " job" : " jobs") + " ahead"));
    }
  }

  @Override
  public synchronized void ended(Target target, String state) {
    flush(target);
    if (!quiet) {
      err.println(
          "tfleet: " + target.name() + ": job " + target.jobId() + " ended (" + state + ")");
    }
  }

  @Override
  public synchronized void problem(Target target, String reason) {
    flush(target);
    err.println("tfleet: " + target.name() + ": " + reason);
  }

  /** Prints every job's unfinished last line; for the end, however it comes. */
  synchronized void flushAll() {
    partial.keySet().forEach(this::flush);
    out.flush();
  }

  private void flush(Target target) {
    StringBuilder line = partial.get(target);
    if (line != null && line.length() > 0) {
      out.println(target.name() + ": " + line);
      line.setLength(0);
    }
    out.flush();
  }
}
