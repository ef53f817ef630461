package io.tfleet.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A whole run as the reports show it: where it ran, when, and every machine sorted by id.
 *
 * @param server the Testflinger server URL
 * @param startedAt when the run (or the report rebuild) started
 * @param finishedAt when it ended
 * @param machines one entry per machine, sorted by machine id
 * @param live whether the run is still going: the reports are rewritten as it goes, and {@code
 *     finishedAt} is when this one was written
 * @param repeat how many times each machine was to run its job: 1 for a normal run, N for a
 *     pressure run of {@code --repeat N}, whose reports show pass rates
 * @param retries how many times a machine's job could be submitted again after lab trouble ({@code
 *     --retries}); 0 when it could not
 */
public record RunReport(
    String server,
    Instant startedAt,
    Instant finishedAt,
    List<MachineReport> machines,
    boolean live,
    int repeat,
    int retries) {
  public RunReport {
    Objects.requireNonNull(machines, "machines");
    machines = List.copyOf(machines);
    if (repeat < 1) {
      throw new IllegalArgumentException("repeat " + repeat + " < 1");
    }
    if (retries < 0) {
      throw new IllegalArgumentException("retries " + retries + " < 0");
    }
  }

  /** The report of a run without repeats or retries. */
  public RunReport(
      String server,
      Instant startedAt,
      Instant finishedAt,
      List<MachineReport> machines,
      boolean live) {
    this(server, startedAt, finishedAt, machines, live, /* repeat= */ 1, /* retries= */ 0);
  }

  /** The report of a run without repeats or retries that has ended (or was stopped). */
  public RunReport(
      String server, Instant startedAt, Instant finishedAt, List<MachineReport> machines) {
    this(server, startedAt, finishedAt, machines, /* live= */ false);
  }

  /** Whether this is a pressure run ({@code --repeat} above 1): its reports show pass rates. */
  public boolean repeated() {
    return repeat > 1;
  }
}
