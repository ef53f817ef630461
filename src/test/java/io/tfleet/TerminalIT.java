package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.LabHttp;
import io.tfleet.testing.TerminalScreen;
import io.tfleet.testing.TfleetProcess;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The live status line on a real pseudo-terminal of a given width, with standard output redirected.
 */
@Order(2) // among the longest: started first (docs/development.md)
class TerminalIT {
  private static final Duration LIMIT = Duration.ofSeconds(120);

  /**
   * A status line, at any length it is drawn: {@code tfleet: 3/24 submitted | ...} or {@code 3/24 |
   * ...}.
   */
  private static final Pattern STATUS = Pattern.compile("^(tfleet: )?\\d+/\\d+( submitted)? \\|.*");

  /**
   * Passing, failing, held (timed out), busy (their jobs wait) and unavailable machines: for some
   * seconds the line is {@code tfleet: 33/36 submitted | waiting 3 test 10 | passed 10 failed 10
   * error 3 | 3s, ETA 12s}, over 80 characters.
   */
  private static final String TEMPLATE =
      String.join(
          "\n",
          "job_queue: $CANONICAL_ID",
          "test_data:",
          "  test_cmds: |",
          "    case \"$CANONICAL_ID\" in",
          "      pass-*) echo '{\"status\": \"Certified\"}' ;;",
          "      fail-*) echo '{\"status\": \"Failed\"}'; exit 3 ;;",
          "      hold-*) sleep 60 ;;",
          "    esac",
          "");

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(ints = {80, 160})
  void theStatusLineFitsTheTerminalAndLeavesNoCopyBehind(int columns) throws Exception {
    List<String> machines = new ArrayList<>();
    machines.addAll(FleetFiles.ids("pass-", 10));
    machines.addAll(FleetFiles.ids("fail-", 10));
    machines.addAll(FleetFiles.ids("hold-", 10));
    machines.addAll(FleetFiles.ids("busy-", 3));
    Set<String> queues = new HashSet<>(machines);
    machines.addAll(FleetFiles.ids("gone-", 3));
    FleetFiles.machines(dir, machines);
    FleetFiles.template(dir, TEMPLATE);
    try (Lab lab =
        Lab.start(LabConfig.defaults().withPhaseTime(Duration.ofMillis(100)).withQueues(queues))) {
      String tfleet =
          String.join(
              " ",
              TfleetProcess.shellCommand(),
              "--server",
              lab.url().toString(),
              "--poll-interval",
              "0.2",
              "--timeout",
              // Long enough for every job but the held ones to end on a slow, busy machine (8 s
              // once timed out a failing job there).
              "15s",
              "--skip-unavailable");
      // script(1) runs the command on a pseudo-terminal and copies what it shows to its stdout;
      // stty sets the terminal's width, and tfleet's standard output goes to a file.
      ProcessBuilder builder =
          new ProcessBuilder(
                  "script",
                  "-qfec",
                  "stty cols " + columns + " rows 40; exec " + tfleet + " > summary.txt",
                  "/dev/null")
              .directory(dir.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(dir.resolve("tty.txt").toFile())
              .redirectErrorStream(true);
      builder.environment().put("TERM", "xterm");
      builder.environment().remove("COLUMNS");
      builder.environment().put("XDG_CONFIG_HOME", dir.resolve(".config").toString());
      for (String busy : FleetFiles.ids("busy-", 3)) {
        // Someone else's job keeps the machine busy: tfleet's job waits in the queue.
        LabHttp.postJson(
            lab.url(),
            "/v1/job",
            "{\"job_queue\": \"" + busy + "\", \"test_data\": {\"test_cmds\": \"sleep 60\"}}");
      }
      Process script = builder.start();
      assertThat(script.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      String tty = Files.readString(dir.resolve("tty.txt"), StandardCharsets.UTF_8);
      String summary = Files.readString(dir.resolve("summary.txt"), StandardCharsets.UTF_8);
      assertThat(script.exitValue()).as(tty).isEqualTo(1);

      // Live although standard output is a file: standard error is the terminal.
      assertThat(tty).as(tty).contains("\r\033[K");
      List<String> drawn =
          Arrays.stream(tty.split("\r|\n|\033\\[K"))
              .filter(piece -> STATUS.matcher(piece).matches())
              .toList();
      assertThat(drawn)
          .as(tty)
          .isNotEmpty()
          .allSatisfy(line -> assertThat(line.length()).as(line).isLessThan(columns));
      if (columns == 80) {
        assertThat(drawn)
            .as("a line shortened to fit")
            .anyMatch(line -> !line.startsWith("tfleet: "));
      } else {
        assertThat(drawn)
            .as("the whole line, wider than 80")
            .anyMatch(line -> line.startsWith("tfleet: ") && line.length() > 80);
      }

      List<String> screen = TerminalScreen.render(tty, columns);
      List<String> statusRows =
          screen.stream().filter(row -> STATUS.matcher(row).matches()).toList();
      assertThat(statusRows).as(String.join("\n", screen)).hasSize(1);
      String last =
          String.join("\n", screen.subList(screen.indexOf(statusRows.get(0)), screen.size()));
      assertThat(last)
          .as("after the final status line, only where the reports are")
          .startsWith(statusRows.get(0) + "\nAll jobs are finished. Reports: ");
      // The sentence is broken between words to the terminal's width, not by the terminal.
      List<String> sentence =
          tty.substring(tty.lastIndexOf("All jobs are finished. Reports: ")).lines().toList();
      assertThat(sentence)
          .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(columns));
      assertThat(String.join(" ", sentence))
          .endsWith("each machine's files in job_outputs/<machine>/)");
      assertThat(sentence).hasSize(columns == 80 ? 2 : 1);

      // The end of the run: totals first, then the machines that did not pass, worst first.
      List<String> lines = summary.lines().toList();
      assertThat(lines.get(0))
          .isEqualTo(
              "36 machines: 10 passed, 10 failed, 13 timed out, 3 error; 3 of them lab trouble");
      assertThat(lines).filteredOn(l -> l.matches("(fail|hold|busy|gone)-\\d\\d .*")).hasSize(26);
      assertThat(summary)
          .doesNotContain("pass-01 ")
          .containsSubsequence("fail-10 ", "busy-01 ", "hold-01 ", "gone-01 ")
          .endsWith("and 10 passed machines not listed (-v lists every machine)\n");
    }
  }
}
