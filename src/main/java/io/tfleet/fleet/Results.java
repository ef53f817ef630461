package io.tfleet.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
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
    Matcher m = HW_STATUS.matcher(testOutput);
    return m.find() ? m.group(1) : UNKNOWN_HW_STATUS;
  }

  /** Judges a terminal result. */
  public static Outcome outcome(String machine, String jobId, ObjectNode result) {
    String state = state(result);
    Integer testStatus = status(result, "test");
    if (!isCompleted(state)) {
      return new Outcome(machine, jobId, state, testStatus, null, Verdict.CANCELLED, "job cancelled");
    }
    String hw = hwStatus(testOutput(result));
    if (testStatus != null && testStatus == 0) {
      return new Outcome(machine, jobId, state, 0, hw, Verdict.PASSED, null);
    }
    return new Outcome(machine, jobId, state, testStatus, hw, Verdict.FAILED, failureReason(result));
  }

  /** Names the first phase that failed, or says that the test phase never reported. */
  static String failureReason(JsonNode result) {
    for (String phase : PHASES) {
      Integer status = status(result, phase);
      if (status != null && status != 0) {
        return phase + " phase exited " + status;
      }
    }
    return "no test exit code: the test phase did not finish";
  }

  private static Integer status(JsonNode result, String phase) {
    JsonNode status = result.get(phase + "_status");
    return status != null && status.canConvertToInt() && status.isNumber() ? status.intValue() : null;
  }
}
