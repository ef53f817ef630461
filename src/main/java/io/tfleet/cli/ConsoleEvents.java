package io.tfleet.cli;

import io.tfleet.fleet.FleetEvents;
import io.tfleet.fleet.Outcome;
import io.tfleet.report.Verdict;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Prints a timestamped line for each event, one line per state change, never one per poll. */
final class ConsoleEvents implements FleetEvents {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final PrintStream err;

  ConsoleEvents(PrintStream err) {
    this.err = err;
  }

  @Override
  public void submitted(String machine, String jobId, boolean reused) {
    line(machine + ": " + (reused ? "already has job " : "submitted job ") + jobId);
  }

  @Override
  public void submitFailed(String machine, String reason) {
    line(machine + ": submission failed: " + reason);
  }

  @Override
  public void stateChanged(String machine, String jobId, String from, String to) {
    line(machine + " (" + jobId + "): " + (from == null ? to : from + " -> " + to));
  }

  @Override
  public void notice(String message) {
    line(message);
  }

  @Override
  public void finished(Outcome outcome) {
    if (outcome.verdict() != Verdict.PASSED) {
      line(outcome.machine() + ": " + outcome.verdict().label() + ": " + outcome.reason());
    }
  }

  private void line(String text) {
    err.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS).format(TIME) + " " + text);
  }
}
