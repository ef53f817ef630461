package io.tfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ResultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode result(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }

  @Test
  void completedStateIsTerminalAsWellAsComplete() {
    assertThat(Results.isTerminal("completed")).isTrue();
    assertThat(Results.isTerminal("complete")).isTrue();
    assertThat(Results.isTerminal("cancelled")).isTrue();
  }

  @Test
  void unknownStatesKeepBeingPolled() {
    assertThat(Results.isTerminal("allocated")).isFalse();
    assertThat(Results.isTerminal("some_future_state")).isFalse();
    assertThat(Results.isTerminal(null)).isFalse();
  }

  @Test
  void hwStatusIsTheFirstStatusFieldElseUnknown() {
    assertThat(Results.hwStatus("x {\"status\":  \"Certified\"} {\"status\": \"Other\"}")).isEqualTo("Certified");
    assertThat(Results.hwStatus("no json here")).isEqualTo("Unknown");
  }

  @Test
  void completeWithZeroTestStatusPasses() throws Exception {
    Outcome o = Results.outcome("m", "id", result("{\"job_state\":\"complete\",\"test_status\":0,\"test_output\":\"{\\\"status\\\": \\\"Certified\\\"}\"}"));
    assertThat(o.verdict()).isEqualTo(Verdict.PASSED);
    assertThat(o.hwStatus()).isEqualTo("Certified");
  }

  @Test
  void completeWithoutTestStatusIsNotAPass() throws Exception {
    Outcome o = Results.outcome("m", "id", result("{\"job_state\":\"complete\",\"setup_status\":0}"));
    assertThat(o.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(o.reason()).isEqualTo("no test exit code: the test phase did not finish");
  }

  @Test
  void failingPhaseIsNamed() throws Exception {
    Outcome o = Results.outcome("m", "id", result("{\"job_state\":\"completed\",\"provision_status\":1}"));
    assertThat(o.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(o.reason()).isEqualTo("provision phase exited 1");
  }

  @Test
  void cancelledJobIsCancelled() throws Exception {
    Outcome o = Results.outcome("m", "id", result("{\"job_state\":\"cancelled\"}"));
    assertThat(o.verdict()).isEqualTo(Verdict.CANCELLED);
    assertThat(o.hwStatus()).isNull();
  }
}
