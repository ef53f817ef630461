package io.tfleet.report;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One machine's line in the reports.
 *
 * @param machine the machine id
 * @param jobId the Testflinger job id, or null when the machine has no job
 * @param queue the job's queue, or null when unknown
 * @param state the job's last known state ({@code complete}, {@code cancelled}, {@code test}, ...),
 *     or null when the machine has no job
 * @param phaseStatuses exit code per phase that reported one, in phase order ({@code setup}, {@code
 *     provision}, {@code test}, ...)
 * @param hwStatus the hw status filed in {@code hw_status.txt}, or null when none
 * @param verdict how the machine's run ended
 * @param reason why the machine did not pass, or null
 * @param submittedAt when the job was accepted, or null
 * @param finishedAt when its result was filed, or null
 * @param outputTail the last lines of {@code output.txt}, or null when there is none
 * @param outputFile path of {@code output.txt} relative to the output tree (for links), or null
 * @param files paths relative to the output tree of the machine's files a person reads ({@code
 *     output.txt}, {@code <phase>_output.txt}, {@code result.json}, {@code job.yaml}, {@code
 *     error.txt}), for links; empty when none is known
 * @param observed the job's states as tfleet saw them, oldest first; empty when none was recorded
 *     (a tree written before tfleet recorded them, or a machine without a job)
 */
public record MachineReport(
    String machine,
    String jobId,
    String queue,
    String state,
    Map<String, Integer> phaseStatuses,
    String hwStatus,
    Verdict verdict,
    String reason,
    Instant submittedAt,
    Instant finishedAt,
    String outputTail,
    String outputFile,
    List<String> files,
    List<Observed> observed) {
  public MachineReport {
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(verdict, "verdict");
    phaseStatuses =
        phaseStatuses == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(phaseStatuses));
    files =
        files == null ? (outputFile == null ? List.of() : List.of(outputFile)) : List.copyOf(files);
    observed = observed == null ? List.of() : List.copyOf(observed);
  }

  /** A machine with no recorded states, whose only file to link is {@code outputFile}. */
  public MachineReport(
      String machine,
      String jobId,
      String queue,
      String state,
      Map<String, Integer> phaseStatuses,
      String hwStatus,
      Verdict verdict,
      String reason,
      Instant submittedAt,
      Instant finishedAt,
      String outputTail,
      String outputFile) {
    this(
        machine,
        jobId,
        queue,
        state,
        phaseStatuses,
        hwStatus,
        verdict,
        reason,
        submittedAt,
        finishedAt,
        outputTail,
        outputFile,
        null,
        null);
  }
}
