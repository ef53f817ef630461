package io.tfleet.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.client.TestflingerClient;
import io.tfleet.report.Cause;
import io.tfleet.report.Verdict;
import io.tfleet.store.FolderContents;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.MachineFolder.Cancellation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what a job's result object says: its state, the hw status, the verdict. */
public final class Results {
  /**
   * {@code complete} is what agents post, {@code completed} is in the server's enum; a state not in
   * this set (including one a newer server adds) is treated as still running.
   */
  public static final Set<String> TERMINAL_STATES = Set.of("complete", "completed", "cancelled");

  /** The original script's rule: the first {@code "status": "..."} in the test output. */
  public static final Pattern HW_STATUS = Pattern.compile("\"status\":\\s*\"([^\"]+)\"");

  public static final String UNKNOWN_HW_STATUS = "Unknown";

  private static final List<String> PHASES =
      List.of("setup", "provision", "firmware_update", "test", "allocate", "reserve", "cleanup");

  private Results() {}

  public static boolean isTerminal(String state) {
    return state != null && TERMINAL_STATES.contains(state);
  }

  public static String state(JsonNode result) {
    JsonNode state = result.get("job_state");
    return state == null || state.isNull() ? null : state.asText();
  }

  /** Whether the job ran to its end, as opposed to being cancelled. */
  public static boolean isCompleted(String state) {
    return "complete".equals(state) || "completed".equals(state);
  }

  public static String testOutput(JsonNode result) {
    JsonNode output = result.get("test_output");
    return output == null || output.isNull() ? "" : output.asText();
  }

  public static String hwStatus(String testOutput) {
    return hwStatus(testOutput, HW_STATUS);
  }

  /** The first group of the first match of {@code pattern} in the output, else {@code Unknown}. */
  public static String hwStatus(String testOutput, Pattern pattern) {
    Matcher m = pattern.matcher(testOutput);
    return m.find() && m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : UNKNOWN_HW_STATUS;
  }

  /** Why a machine of the run has no job when nothing was sent for it. */
  static final String NOT_SENT =
      "not submitted: the run stopped before this machine's job was sent";

  /** Why a machine whose job may have been sent has no job id yet. */
  static final String NOT_RECORDED =
      "not submitted: the run stopped before the server's answer was recorded; run again to finish"
          + " it";

  /**
   * The outcome of a machine whose folder says all there is to say (a filed terminal result, an
   * error, no job at all, a job tfleet timed out), without asking the server; empty when its job
   * still has to be watched.
   */
  public static Optional<Outcome> filed(String machine, FolderContents folder) {
    String jobId = folder.jobId();
    if (jobId == null) {
      if (folder.error() != null) {
        return Optional.of(Outcome.error(machine, null, folder.error()));
      }
      return Optional.of(
          Outcome.notSubmitted(machine, folder.pendingJobId() != null ? NOT_RECORDED : NOT_SENT));
    }
    Cancellation cancellation = folder.cancellation();
    ObjectNode result = folder.result();
    if (cancellation != null && cancellation.timedOut()) {
      return Optional.of(
          timedOut(machine, jobId, result == null ? null : state(result), cancellation.reason()));
    }
    if (folder.error() != null) {
      return Optional.of(Outcome.error(machine, jobId, folder.error()));
    }
    if (result != null && isTerminal(state(result))) {
      String hw = folder.hwStatus() != null ? folder.hwStatus() : hwStatus(testOutput(result));
      return Optional.of(outcome(machine, jobId, result, hw, cancellation));
    }
    if (!TestflingerClient.isJobId(jobId)) {
      return Optional.of(Outcome.error(machine, jobId, "malformed job id in tf_job_id.txt"));
    }
    return Optional.empty();
  }

  /** Where a machine stands by its folder alone: settled, or a job still to watch, or none. */
  static Stage stageOf(String machine, FolderContents folder) {
    if (folder.jobId() == null) {
      if (folder.pendingJobId() != null) {
        return new Stage.Pending(folder.pendingJobId());
      }
      return folder.error() != null
          ? new Stage.Settled(Outcome.error(machine, null, folder.error()))
          : new Stage.NotSubmitted(NOT_SENT);
    }
    Optional<Outcome> filed = filed(machine, folder);
    if (filed.isPresent()) {
      return new Stage.Settled(filed.get());
    }
    List<MachineFolder.StateSeen> states = folder.states();
    return new Stage.Active(
        folder.jobId(), states.isEmpty() ? null : states.get(states.size() - 1).state());
  }

  /** A job tfleet cancelled for running past the time limit; {@code state} its last known state. */
  static Outcome timedOut(String machine, String jobId, String state, String reason) {
    return new Outcome(machine, jobId, state, null, null, Verdict.TIMED_OUT, reason);
  }

  /** Judges a terminal result, with the default hw status rule. */
  public static Outcome outcome(String machine, String jobId, ObjectNode result) {
    return outcome(machine, jobId, result, hwStatus(testOutput(result)), null);
  }

  /**
   * Judges a terminal result whose hw status is {@code hw}. A job that tfleet cancelled ({@code
   * cancellation} not null) stays cancelled whatever the agent reported afterwards: the upstream
   * agent overwrites {@code cancelled} with {@code complete} and the interrupted phase's status.
   */
  public static Outcome outcome(
      String machine, String jobId, ObjectNode result, String hw, Cancellation cancellation) {
    String state = state(result);
    Integer testStatus = status(result, "test");
    if (cancellation != null) {
      Verdict verdict = cancellation.timedOut() ? Verdict.TIMED_OUT : Verdict.CANCELLED;
      return new Outcome(machine, jobId, state, testStatus, null, verdict, cancellation.reason());
    }
    if (!isCompleted(state)) {
      // Someone other than tfleet cancelled it: the lab's doing, as far as this run goes.
      return new Outcome(
          machine,
          jobId,
          state,
          testStatus,
          null,
          Verdict.CANCELLED,
          "job cancelled",
          Cause.INFRASTRUCTURE);
    }
    if (testStatus != null && testStatus == 0) {
      return new Outcome(machine, jobId, state, 0, hw, Verdict.PASSED, null);
    }
    String failed = failedPhase(result);
    Cause cause =
        failed != null
            ? Cause.forFailedPhase(failed)
            // A reservation held its machine as asked; a test phase that never reported ended
            // with its machine, not with its test.
            : isReservation(result) ? Cause.USER : Cause.INFRASTRUCTURE;
    return new Outcome(
        machine, jobId, state, testStatus, hw, Verdict.FAILED, failureReason(result), cause);
  }

  /** A job of {@code tfleet reserve}: it runs no test, its machine is held. */
  private static boolean isReservation(JsonNode result) {
    return status(result, "test") == null && status(result, "reserve") != null;
  }

  /**
   * Names the first phase that failed, or says that the job was a reservation, or that the test
   * phase never reported.
   */
  static String failureReason(JsonNode result) {
    String failed = failedPhase(result);
    if (failed != null) {
      return failed + " phase exited " + status(result, failed);
    }
    return isReservation(result)
        ? "a reservation: no test ran"
        : "no test exit code: the test phase did not finish";
  }

  /** The first phase that exited non-zero; null when none did. */
  static String failedPhase(JsonNode result) {
    for (String phase : PHASES) {
      Integer status = status(result, phase);
      if (status != null && status != 0) {
        return phase;
      }
    }
    return null;
  }

  /**
   * The output of each phase other than test that printed something ({@code setup_output}, {@code
   * provision_output}, ...), in phase order; the test phase's is {@link #testOutput}.
   */
  public static Map<String, String> phaseOutputs(JsonNode result) {
    Map<String, String> outputs = new LinkedHashMap<>();
    for (String phase : PHASES) {
      JsonNode output = result.get(phase + "_output");
      if (!phase.equals("test")
          && output != null
          && output.isTextual()
          && !output.asText().isEmpty()) {
        outputs.put(phase, output.asText());
      }
    }
    return outputs;
  }

  /** Each phase's exit code, for the phases that reported one, in phase order. */
  public static Map<String, Integer> phaseStatuses(JsonNode result) {
    Map<String, Integer> statuses = new LinkedHashMap<>();
    for (String phase : PHASES) {
      Integer status = status(result, phase);
      if (status != null) {
        statuses.put(phase, status);
      }
    }
    return statuses;
  }

  private static Integer status(JsonNode result, String phase) {
    JsonNode status = result.get(phase + "_status");
    return status != null && status.canConvertToInt() && status.isNumber()
        ? status.intValue()
        : null;
  }
}
