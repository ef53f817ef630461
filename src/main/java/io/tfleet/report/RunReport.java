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
 */
public record RunReport(
    String server,
    Instant startedAt,
    Instant finishedAt,
    List<MachineReport> machines,
    boolean live) {
  public RunReport {
    Objects.requireNonNull(machines, "machines");
    machines = List.copyOf(machines);
  }

  /** The report of a run that has ended (or was stopped). */
  public RunReport(
      String server, Instant startedAt, Instant finishedAt, List<MachineReport> machines) {
    this(server, startedAt, finishedAt, machines, /* live= */ false);
  }
}
