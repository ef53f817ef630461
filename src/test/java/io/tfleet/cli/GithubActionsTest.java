package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.TfleetProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a GitHub runner, every fleet command appends its summary and writes its counts as step
 * outputs.
 */
class GithubActionsTest {
  private static Lab lab;

  @TempDir Path dir;
  private Path summary;
  private Path outputs;
  private Path out;
  private Map<String, String> env;

  @BeforeAll
  static void startLab() throws Exception {
    lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO));
  }

  @AfterAll
  static void stopLab() {
    lab.close();
  }

  @BeforeEach
  void runnerFiles() throws Exception {
    List<String> machines = new ArrayList<>(FleetFiles.ids("pass-", 3));
    machines.add("fail-01");
    FleetFiles.machines(dir, machines);
    FleetFiles.template(dir, FleetFiles.MIXED_TEMPLATE);
    summary = Files.writeString(dir.resolve("step_summary.md"), "an earlier step's summary\n");
    outputs = dir.resolve("github_output");
    out = dir.resolve("job_outputs");
    env =
        Map.of(
            GithubActions.STEP_SUMMARY,
            summary.toString(),
            GithubActions.OUTPUT,
            outputs.toString());
  }

  private TfleetProcess.Result tfleet(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--output-dir", out.toString()));
    return InProcess.run(env, all.toArray(String[]::new));
  }

  /** A run's arguments; a run is watched at a brisk pace, as a test has no time to lose. */
  private List<String> fleetArgs(String... first) {
    List<String> args = new ArrayList<>(List.of(first));
    if (first[0].equals("run")) {
      args.addAll(List.of("--poll-interval", "0.2"));
    }
    args.addAll(
        List.of(
            "--server",
            lab.url().toString(),
            "--machines-file",
            dir.resolve("machines.txt").toString(),
            "--template-file",
            dir.resolve("tf-job.yaml").toString()));
    return args;
  }

  @Test
  void runAppendsItsSummaryAndWritesEveryCountAndTheExitCode() throws Exception {
    List<String> args = fleetArgs("run");

    TfleetProcess.Result run = tfleet(args.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILURES);
    assertThat(Files.readAllLines(outputs))
        .containsExactly(
            "machines=4",
            "passed=3",
            "failed=1",
            "cancelled=0",
            "timed_out=0",
            "error=0",
            "not_submitted=0",
            "unfinished=0",
            "output-dir=" + out,
            "exit-code=1");
    String page = Files.readString(summary);
    assertThat(page)
        .startsWith("an earlier step's summary\n## tfleet: 1 of 4 machines did not pass\n");
    assertThat(page).contains("Exit code 1: some machines failed,");
    assertThat(page).contains("| `fail-01` | failed | test phase exited 3 | Failed |\n");
    assertThat(page).contains("`" + out + "/report.html`");
    // The tree's own summary.md links relatively, for whoever opens the tree.
    assertThat(Files.readString(out.resolve("summary.md")))
        .contains(
            "| `fail-01` | failed | test phase exited 3 | Failed | [output.txt](fail-01/output.txt) |");
  }

  @Test
  void sendJobsSaysHowManyWereSubmittedAndCheckStatusAppendsTheEnd() throws Exception {
    TfleetProcess.Result sent = tfleet(fleetArgs("--send-jobs").toArray(String[]::new));

    assertThat(sent.exitCode()).as(sent.toString()).isZero();
    assertThat(Files.readString(summary))
        .contains("4 of 4 jobs submitted.", "Exit code 0: every job was accepted.");
    assertThat(Files.readAllLines(outputs)).contains("machines=4", "exit-code=0");

    TfleetProcess.Result checked =
        tfleet("--check-status", "--server", lab.url().toString(), "--poll-interval", "0.2");

    assertThat(checked.exitCode()).as(checked.toString()).isEqualTo(ExitCodes.FAILURES);
    String page = Files.readString(summary);
    assertThat(page.indexOf("4 of 4 jobs submitted."))
        .isLessThan(page.indexOf("## tfleet: 1 of 4 machines did not pass"));
    assertThat(Files.readAllLines(outputs))
        .containsSubsequence("exit-code=0", "passed=3", "failed=1", "exit-code=1");
  }

  @Test
  void badInputStillTellsTheExitCodeAndWritesNoCounts() throws Exception {
    Files.writeString(dir.resolve("machines.txt"), "../escape\n");

    TfleetProcess.Result run = tfleet(fleetArgs("run").toArray(String[]::new));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(Files.readAllLines(outputs)).containsExactly("output-dir=" + out, "exit-code=2");
    assertThat(Files.readString(summary))
        .contains("## tfleet: exit code 2", "No output tree at `" + out + "`");
  }

  @Test
  void otherCommandsAndDryRunsLeaveTheRunnerFilesAlone() throws Exception {
    assertThat(tfleet(fleetArgs("run").toArray(String[]::new)).exitCode())
        .isEqualTo(ExitCodes.FAILURES);
    Files.delete(outputs);
    Files.writeString(summary, "");

    assertThat(tfleet("report").exitCode()).isZero();
    assertThat(tfleet("status").exitCode()).isEqualTo(ExitCodes.FAILURES);
    List<String> dry = fleetArgs("run");
    dry.add("--dry-run");
    assertThat(tfleet(dry.toArray(String[]::new)).exitCode()).isZero();
    assertThat(InProcess.run(env, "run", "--help").exitCode()).isZero();

    assertThat(outputs).doesNotExist();
    assertThat(summary).isEmptyFile();
  }

  @Test
  void anUnwritableRunnerFileIsAWarningAndKeepsTheExitCode() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("not-a-file"));
    env = Map.of(GithubActions.OUTPUT, folder.toString());

    TfleetProcess.Result run = tfleet(fleetArgs("run").toArray(String[]::new));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILURES);
    assertThat(run.err()).contains("tfleet: warning: cannot append to " + folder);
  }

  @Test
  void reportPrintsTheMarkdownSummaryAndWritesNothing() throws Exception {
    assertThat(tfleet(fleetArgs("run").toArray(String[]::new)).exitCode())
        .isEqualTo(ExitCodes.FAILURES);
    Files.delete(out.resolve("summary.md"));

    TfleetProcess.Result md =
        InProcess.run("report", "--format", "markdown", "--output-dir", out.toString());

    assertThat(md.exitCode()).as(md.toString()).isZero();
    assertThat(md.out())
        .startsWith("## tfleet: 1 of 4 machines did not pass\n")
        .contains(
            "| `fail-01` | failed | test phase exited 3 | Failed |\n",
            "`" + out + "/summary.json`");
    assertThat(out.resolve("summary.md")).doesNotExist();
  }

  @Test
  void helpListsMergeAndTheMarkdownFormat() {
    assertThat(InProcess.run("--help").out()).contains("merge");
    assertThat(InProcess.run("report", "--help").out()).contains("--format", "markdown");
  }
}
