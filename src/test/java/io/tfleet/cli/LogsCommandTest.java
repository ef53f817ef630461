package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.lab.LabConfig;
import io.tfleet.testing.Await;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.LabExtension;
import io.tfleet.testing.LabHttp;
import io.tfleet.testing.TfleetProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code tfleet logs}: a machine's log as it arrives, against the lab. */
class LogsCommandTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @RegisterExtension
  static final LabExtension LAB =
      new LabExtension(LabConfig.defaults().withPhaseTime(Duration.ofMillis(30)));

  @TempDir Path dir;

  /** Prints two lines, waits for the test's gate file, then prints a third. */
  private String gatedTemplate(Path gate) {
    return String.join(
        "\n",
        "job_queue: $CANONICAL_ID",
        "test_data:",
        "  test_cmds: |",
        "    echo \"$CANONICAL_ID line-1\"",
        "    echo \"$CANONICAL_ID line-2\"",
        "    while [ ! -f " + gate + " ]; do sleep 0.05; done",
        "    echo \"$CANONICAL_ID line-3\"",
        "    echo '{\"status\": \"Certified\"}'",
        "");
  }

  private Path out() {
    return dir.resolve("out");
  }

  private TfleetProcess.Result tfleet(String command, List<String> machines, String template)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                command,
                "--server",
                LAB.lab().url().toString(),
                "--machines-file",
                FleetFiles.machines(dir, machines).toString(),
                "--template-file",
                FleetFiles.template(dir, template).toString(),
                "-o",
                out().toString(),
                "--no-preflight",
                "-q"));
    if (command.equals("run")) {
      args.addAll(List.of("--poll-interval", "0.05"));
    }
    TfleetProcess.Result result = InProcess.run(args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return result;
  }

  private TfleetProcess.Result logs(String... args) {
    List<String> all = new ArrayList<>(List.of("logs", "-o", out().toString()));
    all.addAll(List.of(args));
    return InProcess.run(all.toArray(String[]::new));
  }

  /** tfleet running on a thread of its own, its output readable while it runs. */
  private static final class Running {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final CompletableFuture<Integer> exit;

    Running(String... args) {
      PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
      PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
      exit = CompletableFuture.supplyAsync(() -> Cli.run(args, o, e, new Environment(Map.of())));
    }

    String out() {
      return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
      return err.toString(StandardCharsets.UTF_8);
    }

    int await() throws Exception {
      return exit.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }
  }

  private static long count(String text, String line) {
    return text.lines().filter(line::equals).count();
  }

  @Test
  void followPrintsTheTestPhaseAsItRunsAndEndsWithTheJob() throws Exception {
    Path gate = dir.resolve("go");
    assertThat(tfleet("submit", List.of("lf-1"), gatedTemplate(gate)).exitCode()).isZero();
    String id = FleetFiles.jobId(out(), "lf-1");

    Running following =
        new Running("logs", "-o", out().toString(), "lf-1", "--follow", "--poll-interval", "0.05");
    Await.until(
        "the test phase's lines printed",
        DEADLINE,
        () -> following.out().contains("lf-1 line-2\n"));
    // Printed while the job still runs: it waits for the gate, which is not there yet.
    assertThat(LAB.http().state(id)).isEqualTo("test");
    assertThat(following.exit).isNotDone();

    Files.writeString(gate, "");
    assertThat(following.await()).isZero();
    String printed = following.out();
    for (String line : List.of("lf-1 line-1", "lf-1 line-2", "lf-1 line-3", "Cleanup complete")) {
      assertThat(count(printed, line)).as(line + " in\n" + printed).isEqualTo(1);
    }
    assertThat(printed).startsWith("Agent lf-1-agent set up job " + id + "\n");
    assertThat(following.err())
        .contains("tfleet: lf-1: test phase\n")
        .contains("tfleet: lf-1: job " + id + " ended (complete)\n");
  }

  @Test
  void finishedJobPrintsItsWholeLogWhichIsItsOutputFiles() throws Exception {
    Path gate = Files.writeString(dir.resolve("open"), "");
    assertThat(tfleet("run", List.of("lw-1"), gatedTemplate(gate)).exitCode()).isZero();
    Path folder = out().resolve("lw-1");

    TfleetProcess.Result test = logs("lw-1", "--phase", "test");
    assertThat(test.exitCode()).as(test.toString()).isZero();
    assertThat(test.out()).isEqualTo(Files.readString(folder.resolve("output.txt")));

    StringBuilder files = new StringBuilder();
    for (String phase : List.of("setup", "provision", "test", "cleanup")) {
      Path file = folder.resolve(phase.equals("test") ? "output.txt" : phase + "_output.txt");
      files.append(Files.readString(file));
    }
    TfleetProcess.Result whole = logs("lw-1");
    assertThat(whole.exitCode()).isZero();
    assertThat(whole.out()).isEqualTo(files.toString());
    // Reading consumed nothing: the same again, and the same by job id.
    assertThat(logs("lw-1").out()).isEqualTo(whole.out());
    assertThat(logs(FleetFiles.jobId(out(), "lw-1"), "-q").out()).isEqualTo(whole.out());
  }

  @Test
  void severalMachinesAtOnceCarryTheirIdsAndNoLineComesTwice() throws Exception {
    Path gate = dir.resolve("go");
    List<String> machines = List.of("lm-1", "lm-2");
    assertThat(tfleet("submit", machines, gatedTemplate(gate)).exitCode()).isZero();

    Running following =
        new Running(
            "logs", "-o", out().toString(), "lm-1", "lm-2", "-f", "--poll-interval", "0.05");
    Await.until(
        "both machines' first lines",
        DEADLINE,
        () ->
            following.out().contains("lm-1: lm-1 line-2\n")
                && following.out().contains("lm-2: lm-2 line-2\n"));
    Files.writeString(gate, "");
    assertThat(following.await()).isZero();

    String printed = following.out();
    for (String machine : machines) {
      for (int i = 1; i <= 3; i++) {
        String line = machine + ": " + machine + " line-" + i;
        assertThat(count(printed, line)).as(line + " in\n" + printed).isEqualTo(1);
      }
      assertThat(count(printed, machine + ": Cleanup complete")).isEqualTo(1);
    }
    assertThat(printed.lines()).allMatch(l -> l.startsWith("lm-1: ") || l.startsWith("lm-2: "));
  }

  @Test
  void serialLogShowsWhatTheAgentPosted() throws Exception {
    Path gate = Files.writeString(dir.resolve("open"), "");
    assertThat(tfleet("submit", List.of("ls-1"), gatedTemplate(gate)).exitCode()).isZero();
    String id = FleetFiles.jobId(out(), "ls-1");
    Await.until("the job ended", DEADLINE, () -> "complete".equals(LAB.http().state(id)));
    LabHttp.postJson(
        LAB.lab().url(),
        "/v1/result/" + id + "/log/serial",
        "{\"fragment_number\": 0, \"timestamp\": \"2026-01-01T00:00:00\", \"phase\": \"provision\","
            + " \"log_data\": \"U-Boot 2024.01\\n\"}");

    TfleetProcess.Result serial = logs("ls-1", "--serial");

    assertThat(serial.exitCode()).isZero();
    assertThat(serial.out()).isEqualTo("U-Boot 2024.01\n");
  }

  @Test
  void waitingJobSaysHowManyAreAhead() throws Exception {
    Path gate = dir.resolve("go");
    assertThat(tfleet("submit", List.of("lq-1"), gatedTemplate(gate)).exitCode()).isZero();
    String busy = FleetFiles.jobId(out(), "lq-1");
    Await.until("the machine busy", DEADLINE, () -> "test".equals(LAB.http().state(busy)));
    String waiting = LAB.http().submit(LabHttp.job("lq-1", "echo later"));

    TfleetProcess.Result shown = logs(waiting);

    assertThat(shown.exitCode()).as(shown.toString()).isZero();
    assertThat(shown.out()).isEmpty();
    assertThat(shown.err())
        .contains("tfleet: " + waiting + ": waiting in its queue, next to start");
    Files.writeString(gate, "");
  }

  @Test
  void namesThatAreNeitherMachinesNorKnownJobsAreSaidSo() throws Exception {
    Path gate = Files.writeString(dir.resolve("open"), "");
    assertThat(tfleet("submit", List.of("lu-1"), gatedTemplate(gate)).exitCode()).isZero();

    TfleetProcess.Result typo = logs("lu-9");
    assertThat(typo.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(typo.err()).contains("'lu-9' is neither a machine of " + out() + " nor a job id");

    String nobody = UUID.randomUUID().toString();
    TfleetProcess.Result unknown =
        InProcess.run("logs", nobody, "--server", LAB.lab().url().toString());
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.FAILURES);
    assertThat(unknown.err()).contains("the server has no job " + nobody);

    TfleetProcess.Result phase = logs("lu-1", "--phase", "lunch");
    assertThat(phase.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(phase.err()).contains("--phase must be one of setup, provision");
    Await.idle(LAB.lab());
  }
}
