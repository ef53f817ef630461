package io.tfleet.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTableTest {
  private static final String JOB_ID = "db8e3bca-4be4-4cbf-8144-3092e4b22bd2";

  private static List<MachineReport> machines() {
    return List.of(
        MachineReport.builder("202206-29999", Verdict.FAILED)
            .jobId(JOB_ID)
            .queue("q")
            .state("complete")
            .phaseStatuses(Map.of("test", 1))
            .hwStatus("Not Seen")
            .reason("test phase exited 1")
            .build());
  }

  private static List<String> printed(int width) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SummaryTable.printEndOfRun(
        machines(), true, new PrintStream(bytes, true, StandardCharsets.UTF_8), width);
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void aTableThatFitsShowsWholeJobIds() {
    assertThat(printed(SummaryTable.UNLIMITED))
        .anyMatch(line -> line.contains(JOB_ID))
        .noneMatch(line -> line.contains("cut to fit"));
    assertThat(printed(120)).anyMatch(line -> line.contains(JOB_ID));
  }

  @Test
  void onANarrowTerminalJobIdsAreCutAndTheTableSaysSo() {
    List<String> lines = printed(80);

    assertThat(lines).noneMatch(line -> line.contains(JOB_ID));
    assertThat(lines)
        .anyMatch(line -> line.startsWith("202206-29999  db8e3bca  complete  1"))
        .anyMatch(line -> line.contains("cut to fit the terminal"))
        .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
  }
}
