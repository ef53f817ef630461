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
 * @param verdict how the machine's run ended (its latest attempt's, or the whole repeat run's)
 * @param cause why the machine did not pass: its test, lab trouble or its user; null when it passed
 *     or is not finished, and when the cause is not known (a tree written before tfleet told them
 *     apart)
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
 * @param attempts every attempt of the machine, the latest last, when it had more than one ({@code
 *     --retries}, {@code --repeat}); empty when it had one, which the other parts describe
 */
public record MachineReport(
    String machine,
    String jobId,
    String queue,
    String state,
    Map<String, Integer> phaseStatuses,
    String hwStatus,
    Verdict verdict,
    Cause cause,
    String reason,
    Instant submittedAt,
    Instant finishedAt,
    String outputTail,
    String outputFile,
    List<String> files,
    List<Observed> observed,
    List<AttemptReport> attempts) {
  public MachineReport {
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(verdict, "verdict");
    Cause.check(verdict, cause);
    phaseStatuses =
        phaseStatuses == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(phaseStatuses));
    files =
        files == null ? (outputFile == null ? List.of() : List.of(outputFile)) : List.copyOf(files);
    observed = observed == null ? List.of() : List.copyOf(observed);
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
    for (int i = 1; i < attempts.size(); i++) {
      if (attempts.get(i).number() <= attempts.get(i - 1).number()) {
        throw new IllegalArgumentException(
            machine
                + ": attempts must be in order, each once: "
                + attempts.get(i - 1).number()
                + " then "
                + attempts.get(i).number());
      }
    }
  }

  /**
   * How often this machine's test passed over its attempts; a machine of one attempt counts as that
   * attempt ({@code 1/1}, {@code 0/1}, or {@code 0/0} after lab trouble).
   */
  public PassRate passRate() {
    return Attempts.passRate(this);
  }

  /**
   * A builder for the machine {@code machine} whose run ended with {@code verdict}; every other
   * part is unknown (null, or empty) until set.
   */
  public static Builder builder(String machine, Verdict verdict) {
    return new Builder(machine, verdict);
  }

  /** A builder that starts from this machine's parts. */
  public Builder toBuilder() {
    return new Builder(machine, verdict)
        .jobId(jobId)
        .queue(queue)
        .state(state)
        .phaseStatuses(phaseStatuses)
        .hwStatus(hwStatus)
        .cause(cause)
        .reason(reason)
        .submittedAt(submittedAt)
        .finishedAt(finishedAt)
        .outputTail(outputTail)
        .outputFile(outputFile)
        .files(files)
        .observed(observed)
        .attempts(attempts);
  }

  /**
   * Builds a {@link MachineReport} part by part, so that a caller names what it knows and leaves
   * the rest out; {@link #build()} checks the whole as the record's constructor does.
   */
  public static final class Builder {
    private String machine;
    private Verdict verdict;
    private String jobId;
    private String queue;
    private String state;
    private Map<String, Integer> phaseStatuses;
    private String hwStatus;
    private Cause cause;
    private String reason;
    private Instant submittedAt;
    private Instant finishedAt;
    private String outputTail;
    private String outputFile;
    private List<String> files;
    private List<Observed> observed;
    private List<AttemptReport> attempts;

    private Builder(String machine, Verdict verdict) {
      this.machine = machine;
      this.verdict = verdict;
    }

    public Builder machine(String machine) {
      this.machine = machine;
      return this;
    }

    public Builder verdict(Verdict verdict) {
      this.verdict = verdict;
      return this;
    }

    public Builder jobId(String jobId) {
      this.jobId = jobId;
      return this;
    }

    public Builder queue(String queue) {
      this.queue = queue;
      return this;
    }

    public Builder state(String state) {
      this.state = state;
      return this;
    }

    public Builder phaseStatuses(Map<String, Integer> phaseStatuses) {
      this.phaseStatuses = phaseStatuses;
      return this;
    }

    public Builder hwStatus(String hwStatus) {
      this.hwStatus = hwStatus;
      return this;
    }

    /** Why the machine did not pass; leave it unset for a machine that passed or is unfinished. */
    public Builder cause(Cause cause) {
      this.cause = cause;
      return this;
    }

    public Builder reason(String reason) {
      this.reason = reason;
      return this;
    }

    public Builder submittedAt(Instant submittedAt) {
      this.submittedAt = submittedAt;
      return this;
    }

    public Builder finishedAt(Instant finishedAt) {
      this.finishedAt = finishedAt;
      return this;
    }

    public Builder outputTail(String outputTail) {
      this.outputTail = outputTail;
      return this;
    }

    /** {@code output.txt}'s path; when no {@link #files} are set it is the only file linked. */
    public Builder outputFile(String outputFile) {
      this.outputFile = outputFile;
      return this;
    }

    public Builder files(List<String> files) {
      this.files = files;
      return this;
    }

    public Builder observed(List<Observed> observed) {
      this.observed = observed;
      return this;
    }

    /** Every attempt, oldest first; leave it unset for a machine of one attempt. */
    public Builder attempts(List<AttemptReport> attempts) {
      this.attempts = attempts;
      return this;
    }

    /**
     * The machine built from the parts set so far.
     *
     * @throws NullPointerException when the machine or the verdict is null
     * @throws IllegalArgumentException when a passed or unfinished machine has a cause, or the
     *     attempts are out of order
     */
    public MachineReport build() {
      return new MachineReport(
          machine,
          jobId,
          queue,
          state,
          phaseStatuses,
          hwStatus,
          verdict,
          cause,
          reason,
          submittedAt,
          finishedAt,
          outputTail,
          outputFile,
          files,
          observed,
          attempts);
    }
  }
}
