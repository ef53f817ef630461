package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProseTest {
  private static final String SENTENCE =
      "All jobs are finished. Reports: job_outputs/report.html (also summary.md, summary.json,"
          + " junit.xml; each machine's files in job_outputs/<machine>/)";

  @Test
  void aSentenceWiderThanTheTerminalBreaksBetweenWords() {
    assertThat(Prose.wrap(SENTENCE, 80))
        .isEqualTo(
            "All jobs are finished. Reports: job_outputs/report.html (also summary.md,\n"
                + "summary.json, junit.xml; each machine's files in job_outputs/<machine>/)");
  }

  @Test
  void aCommandToCopyAndAWordWiderThanTheTerminalStayWhole() {
    String path = "/home/someone/certification/runs/2024-05-08/job_outputs/report.html";
    assertThat(
            Prose.wrap(
                "Carry on with:\n  tfleet --check-status --server http://x --output-dir d", 20))
        .isEqualTo("Carry on with:\n  tfleet --check-status --server http://x --output-dir d");
    assertThat(Prose.wrap("Reports: " + path + " now", 30))
        .isEqualTo("Reports:\n" + path + "\nnow");
  }

  @Test
  void aFileOrAPipeGetsEverySentenceOnOneLine() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
    Context context = new Context(stream, stream, new Environment(Map.of("COLUMNS", "40")));
    Prose.println(context, SENTENCE);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(SENTENCE + System.lineSeparator());
  }
}
