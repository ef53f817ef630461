package io.tfleet.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Writes {@code summary.json}: the run, its totals and one entry per machine, for other tools. */
public final class SummaryJson {
  private SummaryJson() {}

  /** Writes {@code report} to {@code file} atomically. */
  public static void write(RunReport report, Path file) throws IOException {
    JsonFiles.write(Summary.of(report), file);
  }

  /**
   * The file's top level; instants are ISO-8601 strings, unknown values null. {@code live} is
   * there, true, only while the run is going ({@code finished_at} is then when the file was
   * written). {@code causes} counts the machines that did not pass by cause, those of unknown cause
   * left out.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Summary(
      String server,
      String startedAt,
      String finishedAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean live,
      int repeat,
      int retries,
      Map<String, Integer> totals,
      Map<String, Integer> causes,
      List<Machine> machines) {
    static Summary of(RunReport r) {
      Totals totals = Totals.of(r.machines());
      return new Summary(
          r.server(),
          iso(r.startedAt()),
          iso(r.finishedAt()),
          r.live() ? Boolean.TRUE : null,
          r.repeat(),
          r.retries(),
          totals.asMap(),
          totals.causesMap(),
          r.machines().stream().map(Machine::of).toList());
    }
  }

  /**
   * One machine's entry; {@code test_status} repeats {@code phase_statuses.test} for convenience.
   * {@code attempts} is empty for a machine of one attempt, which {@code passed_attempts} and
   * {@code failed_attempts} count as attempt 1 all the same.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Machine(
      String machine,
      String jobId,
      String queue,
      String state,
      Map<String, Integer> phaseStatuses,
      Integer testStatus,
      String hwStatus,
      String verdict,
      String reason,
      String submittedAt,
      String finishedAt,
      Double durationSeconds,
      String cause,
      List<Attempt> attempts,
      int passedAttempts,
      List<Integer> failedAttempts) {
    static Machine of(MachineReport m) {
      Duration d = Facts.duration(m);
      return new Machine(
          m.machine(),
          m.jobId(),
          m.queue(),
          m.state(),
          m.phaseStatuses(),
          Facts.testStatus(m),
          m.hwStatus(),
          m.verdict().key(),
          m.reason(),
          iso(m.submittedAt()),
          iso(m.finishedAt()),
          d == null ? null : Facts.seconds(d),
          key(m.cause()),
          m.attempts().stream().map(Attempt::of).toList(),
          Attempts.passed(m),
          Attempts.failed(m));
    }
  }

  /**
   * One attempt of a machine; {@code dir} is null for the latest, whose files are the machine's.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Attempt(
      int number,
      String jobId,
      String verdict,
      String cause,
      String reason,
      String submittedAt,
      String finishedAt,
      String dir) {
    static Attempt of(AttemptReport a) {
      return new Attempt(
          a.number(),
          a.jobId(),
          a.verdict().key(),
          key(a.cause()),
          a.reason(),
          iso(a.submittedAt()),
          iso(a.finishedAt()),
          a.dir());
    }
  }

  private static String key(Cause cause) {
    return cause == null ? null : cause.key();
  }

  // Instant.toString is ISO-8601 in UTC; the jsr310 module would add a dependency for no more.
  private static String iso(Instant t) {
    return t == null ? null : t.toString();
  }
}
