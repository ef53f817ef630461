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
 */
public record RunReport(String server, Instant startedAt, Instant finishedAt, List<MachineReport> machines) {
  public RunReport {
    Objects.requireNonNull(machines, "machines");
    machines = List.copyOf(machines);
  }
}
