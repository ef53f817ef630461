package io.tfleet.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownSummaryTest {
  @Test
  void smallRunListsTheMachinesThatDidNotPassFailuresFirstWithReasonAndHwStatus() {
    String md = MarkdownSummary.render(Fixtures.sixMachines(), MarkdownSummary.Style.inTree());

    assertThat(md).startsWith("## tfleet: 5 of 6 machines did not pass\n");
    assertThat(md)
        .contains(
            "Server `https://testflinger.example.com` · started 2024-05-01 10:00:00 UTC · took 47m 12s");
    assertThat(md)
        .contains(
            "| passed | 1 |\n| failed | 2 |\n| cancelled | 1 |\n| error | 1 |\n| unfinished | 1 |\n"
                + "| **total** | **6** |");
    List<String> rows = md.lines().filter(l -> l.startsWith("| `")).toList();
    assertThat(rows)
        .containsExactly(
            "| `202008-28130` | failed | test phase exited 1 | Failed | [output.txt](202008-28130/output.txt) |",
            "| `202204-30011` | failed (lab trouble) | provision phase exited 1 | - | [output.txt](202204-30011/output.txt) |",
            "| `202101-28595` | cancelled (by you) | - | - | |",
            "| `202012-28526` | error (lab trouble) | submission refused: 422 unknown queue | - | |",
            "| `202103-28713` | unfinished | - | - | |");
    assertThat(md).doesNotContain("201712-26047"); // the machine that passed
    assertThat(md)
        .contains(
            "[report.html](report.html) · [summary.json](summary.json) · [junit.xml](junit.xml)");
    assertThat(md).doesNotContain("more machines");
    assertThat(md).contains("_2 machines of the 5 that did not pass had lab trouble");
    assertThat(md).doesNotContain("attempts", "pass rate");
  }

  @Test
  void machinesThatPassedOnALaterAttemptAreListedWithWhatWentWrongFirst() {
    String md = MarkdownSummary.render(Fixtures.retries(), MarkdownSummary.Style.inTree());

    assertThat(md)
        .contains(
            "### Passed on a later attempt\n\n| machine | attempts |\n|---|---|\n"
                + "| `test-then-passed` | passed on attempt 2: test phase exited 1 once |\n"
                + "| `lab-then-passed` | passed on attempt 2: provision phase exited 1 once |\n");
    assertThat(md)
        .contains(
            "| `lab-every-time` | error (lab trouble) | job vanished from the server | - |"
                + " 3 attempts, none passed: provision phase exited 1 twice, job vanished from the"
                + " server once | |");
    assertThat(md.indexOf("### Passed on a later attempt"))
        .isGreaterThan(md.indexOf("### Did not pass"));
  }

  @Test
  void aRepeatRunShowsPassRatesAndTheAttemptsThatFailed() {
    String md = MarkdownSummary.render(Fixtures.repeat(), MarkdownSummary.Style.inTree());

    assertThat(md).contains("Each machine ran its job 5 times: 12/14 attempts passed");
    assertThat(md)
        .contains(
            "| `r-flaky` | failed | 3/5 | 2 of 5 attempts failed | Certified |"
                + " 3/5 passed; failed 2, 4 |");
    assertThat(md)
        .contains(
            "### Passed, with attempts that did not\n\n| machine | pass rate | attempts |\n"
                + "|---|--:|---|\n| `r-lab-once` | 4/4 | 4/4 passed; lab trouble 3 |\n");
    assertThat(md).doesNotContain("r-steady");
  }

  @Test
  void outsideTheTreeFilesAreNamedByTheTreesPathAndNotLinked() {
    String md =
        MarkdownSummary.render(
            Fixtures.sixMachines(),
            MarkdownSummary.Style.outside("shards/out", List.of("Exit code 1.")));

    assertThat(md)
        .contains("`shards/out/report.html` · `shards/out/summary.json` · `shards/out/junit.xml`");
    assertThat(md).contains("\n\nExit code 1.\n\n");
    assertThat(md).doesNotContain("](");
  }

  @Test
  void allPassedSaysSoAndHasNoTable() {
    String md =
        MarkdownSummary.render(
            Fixtures.run(Fixtures.many(3, Verdict.PASSED)), MarkdownSummary.Style.inTree());

    assertThat(md).startsWith("## tfleet: all 3 machines passed\n");
    assertThat(md).doesNotContain("Did not pass");
  }

  @Test
  void reasonsCannotOpenMarkupOrBreakTheTable() {
    MachineReport nasty =
        MachineReport.builder("m1", Verdict.FAILED)
            .jobId("j")
            .queue("q")
            .state("complete")
            .hwStatus("<b>Bad|HW</b>")
            .reason(
                "line one\nline | two `code` <script>alert(1)</script> [x](http://evil) *bold* &amp; "
                    + "x".repeat(400))
            .build();

    String md =
        MarkdownSummary.render(Fixtures.run(List.of(nasty)), MarkdownSummary.Style.inTree());

    String row = md.lines().filter(l -> l.startsWith("| `m1`")).findFirst().orElseThrow();
    assertThat(row)
        .contains(
            "line one line \\| two \\`code\\` \\<script\\>alert(1)\\</script\\> \\[x\\](http://evil)"
                + " \\*bold\\* \\&amp;");
    assertThat(row).contains("\\<b\\>Bad\\|HW\\</b\\>");
    assertThat(row).contains("x…");
    // Every unescaped | is a cell border: machine, result, reason, hw status, output, and the two
    // ends.
    assertThat(row.replace("\\|", "").chars().filter(c -> c == '|').count()).isEqualTo(6);
  }

  @Test
  void aThousandMachineRunStaysSmallListsFailuresFirstAndCountsWhatWasLeftOut() {
    List<MachineReport> machines = new ArrayList<>();
    machines.addAll(Fixtures.many(400, Verdict.PASSED));
    machines.addAll(Fixtures.many(300, Verdict.UNFINISHED));
    machines.addAll(Fixtures.many(250, Verdict.FAILED));
    machines.addAll(Fixtures.many(50, Verdict.ERROR));
    machines.sort((a, b) -> a.machine().compareTo(b.machine()));

    String md = MarkdownSummary.render(Fixtures.run(machines), MarkdownSummary.Style.inTree());

    assertThat(md.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(MarkdownSummary.MAX_BYTES);
    assertThat(md).startsWith("## tfleet: 600 of 1000 machines did not pass\n");
    List<String> rows = md.lines().filter(l -> l.startsWith("| `")).toList();
    assertThat(rows).hasSize(MarkdownSummary.MAX_ROWS);
    assertThat(rows).allMatch(r -> r.contains(" | failed | "));
    assertThat(rows.get(0)).startsWith("| `m0000-failed`");
    assertThat(md)
        .contains(
            "_500 more machines that did not pass are not listed here; report.html has every machine._");
    assertThat(md).contains("| **total** | **1000** |");
  }

  @Test
  void longReasonsAreCutByTheByteBudgetBeforeTheRowLimit() {
    List<MachineReport> machines = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      // Four bytes a character and every one escaped: the worst a reason can weigh.
      machines.add(
          MachineReport.builder(String.format("m%04d", i), Verdict.FAILED)
              .jobId("j")
              .queue("q")
              .state("complete")
              .hwStatus("😀".repeat(300))
              .reason("<".repeat(150) + "😀".repeat(300))
              .outputFile(String.format("m%04d/output.txt", i))
              .build());
    }

    String md = MarkdownSummary.render(Fixtures.run(machines), MarkdownSummary.Style.inTree());

    assertThat(md.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(MarkdownSummary.MAX_BYTES);
    long rows = md.lines().filter(l -> l.startsWith("| `")).count();
    assertThat(md)
        .contains("_" + (1000 - rows) + " more machines that did not pass are not listed here;");
    assertThat(md)
        .endsWith(
            "[report.html](report.html) · [summary.json](summary.json) · [junit.xml](junit.xml)\n");
  }

  @Test
  void anExtraSectionGoesAfterTheTotalsAndIsCut() {
    String body =
        "| regression | was | now |\n|---|---|---|\n" + "| `m1` | passed | failed |\n".repeat(5000);

    String md =
        MarkdownSummary.render(
            Fixtures.sixMachines(),
            MarkdownSummary.Style.inTree()
                .withSections(
                    List.of(new MarkdownSummary.Section("Compared with the baseline", body))));

    int section = md.indexOf("### Compared with the baseline\n\n| regression | was | now |");
    assertThat(section).isGreaterThan(md.indexOf("| **total** |"));
    assertThat(section).isLessThan(md.indexOf("### Did not pass"));
    assertThat(md).contains("_(cut: this section was too long for the summary)_");
    assertThat(md.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(MarkdownSummary.MAX_BYTES);
  }
}
