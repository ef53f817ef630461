package io.tfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.report.Verdict;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.MachineFolder.Cancellation;
import io.tfleet.store.OutputTree;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    assertThat(Results.hwStatus("x {\"status\":  \"Certified\"} {\"status\": \"Other\"}"))
        .isEqualTo("Certified");
    assertThat(Results.hwStatus("no json here")).isEqualTo("Unknown");
  }

  @Test
  void completeWithZeroTestStatusPasses() throws Exception {
    Outcome o =
        Results.outcome(
            "m",
            "id",
            result(
                "{\"job_state\":\"complete\",\"test_status\":0,\"test_output\":\"{\\\"status\\\": \\\"Certified\\\"}\"}"));
    assertThat(o.verdict()).isEqualTo(Verdict.PASSED);
    assertThat(o.hwStatus()).isEqualTo("Certified");
  }

  @Test
  void completeWithoutTestStatusIsNotAPass() throws Exception {
    Outcome o =
        Results.outcome("m", "id", result("{\"job_state\":\"complete\",\"setup_status\":0}"));
    assertThat(o.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(o.reason()).isEqualTo("no test exit code: the test phase did not finish");
  }

  @Test
  void reservationThatRanItsCourseIsNotAPassAndSaysWhy() throws Exception {
    Outcome o =
        Results.outcome(
            "m",
            "id",
            result("{\"job_state\":\"complete\",\"reserve_status\":0,\"cleanup_status\":0}"));
    assertThat(o.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(o.reason()).isEqualTo("a reservation: no test ran");
  }

  @Test
  void failingPhaseIsNamed() throws Exception {
    Outcome o =
        Results.outcome("m", "id", result("{\"job_state\":\"completed\",\"provision_status\":1}"));
    assertThat(o.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(o.reason()).isEqualTo("provision phase exited 1");
  }

  @Test
  void cancelledJobIsCancelled() throws Exception {
    Outcome o = Results.outcome("m", "id", result("{\"job_state\":\"cancelled\"}"));
    assertThat(o.verdict()).isEqualTo(Verdict.CANCELLED);
    assertThat(o.hwStatus()).isNull();
  }

  @Test
  void aJobTfleetCancelledStaysCancelledWhateverTheAgentReportsLater() throws Exception {
    Cancellation byTfleet = new Cancellation(/* timedOut= */ false, "cancelled with tfleet cancel");
    Outcome o =
        Results.outcome(
            "m",
            "id",
            result("{\"job_state\":\"complete\",\"setup_status\":0,\"provision_status\":247}"),
            "Unknown",
            byTfleet);
    assertThat(o.verdict()).isEqualTo(Verdict.CANCELLED);
    assertThat(o.reason()).isEqualTo("cancelled with tfleet cancel");
    assertThat(o.state()).isEqualTo("complete");
  }

  @Test
  void aJobTfleetTimedOutStaysTimedOut() throws Exception {
    Cancellation timedOut = new Cancellation(/* timedOut= */ true, "timed out: not finished 1m");
    Outcome o =
        Results.outcome(
            "m",
            "id",
            result("{\"job_state\":\"complete\",\"test_status\":0}"),
            "Certified",
            timedOut);
    assertThat(o.verdict()).isEqualTo(Verdict.TIMED_OUT);
  }

  @Test
  void aFolderWithoutAJobIsNotSubmittedAndOneWithAnErrorIsAnError(@TempDir Path dir)
      throws Exception {
    OutputTree tree = OutputTree.open(dir, /* create= */ true);
    MachineFolder none = tree.machine("m-1");
    MachineFolder pending = tree.machine("m-2").create();
    pending.writePendingJobId("0f0e0d0c-0000-4000-8000-000000000001");
    MachineFolder refused = tree.machine("m-3").create();
    refused.writeError("422 unknown queue");

    assertThat(Results.filed(none.machine(), none.read()).orElseThrow().verdict())
        .isEqualTo(Verdict.NOT_SUBMITTED);
    assertThat(Results.filed(pending.machine(), pending.read()).orElseThrow().reason())
        .contains("run again to finish it");
    assertThat(Results.filed(refused.machine(), refused.read()).orElseThrow().verdict())
        .isEqualTo(Verdict.ERROR);
  }
}
