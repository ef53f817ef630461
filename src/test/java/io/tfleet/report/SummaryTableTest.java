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

  @Test
  void aLongReasonContinuesUnderItsColumnOnANarrowTerminal() {
    String reason =
        "not finished as far as tfleet knows: cannot get the result of job db8e3bca: the"
            + " server's answer is not JSON";
    MachineReport long1 =
        MachineReport.builder("202206-29999", Verdict.UNFINISHED)
            .jobId(JOB_ID)
            .state("test")
            .reason(reason)
            .build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SummaryTable.print(List.of(long1), new PrintStream(bytes, true, StandardCharsets.UTF_8), 80);
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

    assertThat(lines)
        .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
    int column = lines.get(0).indexOf("REASON");
    String rebuilt =
        String.join(
            " ",
            lines.stream()
                .skip(1)
                .takeWhile(line -> !line.startsWith("(") && line.length() > column)
                .map(line -> line.substring(column))
                .toList());
    assertThat(rebuilt).isEqualTo(reason);
  }

  private static List<String> printed(RunReport run, boolean withPassed) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SummaryTable.printEndOfRun(
        run.machines(),
        run.repeat(),
        withPassed,
        new PrintStream(bytes, true, StandardCharsets.UTF_8),
        SummaryTable.UNLIMITED);
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private static String row(List<String> lines, String machine) {
    return lines.stream()
        .filter(l -> l.startsWith(machine + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row " + machine + " in " + lines));
  }

  @Test
  void resultsTellLabTroubleAndPassesOnALaterAttempt() {
    List<String> lines = printed(Fixtures.retries(), true);

    assertThat(lines.get(0))
        .isEqualTo("5 machines: 3 passed, 1 failed, 1 error; 1 of them lab trouble");
    assertThat(row(lines, "lab-every-time")).contains("  error (lab trouble)  ");
    assertThat(row(lines, "lab-then-test-failed"))
        .containsPattern("  failed +test phase exited 1$");
    assertThat(row(lines, "lab-then-passed")).contains("  passed (attempt 2)");
    assertThat(row(lines, "passed-at-once")).endsWith("  passed");
    assertThat(lines).noneMatch(l -> l.contains("PASS RATE"));
  }

  @Test
  void aRepeatRunHasAPassRateColumnAndCountsAttempts() {
    List<String> lines = printed(Fixtures.repeat(), true);

    assertThat(lines.get(0)).isEqualTo("3 machines: 2 passed, 1 failed; 12/14 attempts passed");
    assertThat(lines.get(2)).containsPattern("  RESULT +PASS RATE +REASON$");
    assertThat(row(lines, "r-flaky")).containsPattern("  failed +3/5 +2 of 5 attempts failed$");
    assertThat(row(lines, "r-lab-once")).containsPattern("  passed +4/4$");
    assertThat(row(lines, "r-steady")).containsPattern("  passed +5/5$");
  }

  @Test
  void aReasonWithoutRoomInItsColumnGoesUnderItsRowBetweenWords() {
    String reason =
        "not submitted: the run stopped before the server's answer was recorded; run again to"
            + " finish it";
    MachineReport machine =
        MachineReport.builder("u10", Verdict.NOT_SUBMITTED)
            .cause(Cause.INFRASTRUCTURE)
            .reason(reason)
            .build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SummaryTable.print(List.of(machine), new PrintStream(bytes, true, StandardCharsets.UTF_8), 80);
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

    assertThat(lines)
        .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
    assertThat(80 - lines.get(0).indexOf("REASON")).as("the column's room").isLessThan(20);
    int column = lines.get(0).indexOf("JOB ID");
    assertThat(lines.get(1)).startsWith("u10").doesNotContain("not submitted:");
    String rebuilt =
        String.join(
            " ",
            lines.stream()
                .skip(2)
                .takeWhile(line -> !line.startsWith("("))
                .peek(line -> assertThat(line).startsWith(" ".repeat(column)))
                .map(line -> line.substring(column))
                .toList());
    assertThat(rebuilt).isEqualTo(reason);
  }
}
