package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.TfleetProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The action's steps (ci/action-run.sh) run as a runner runs them: in the caller's workspace, with
 * the inputs as INPUT_* variables, the credentials as TESTFLINGER_* variables, and the runner's
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and RUNNER_TEMP; against a lab that requires credentials.
 */
class ActionScriptIT {
  private static final Path SCRIPT = Path.of("ci", "action-run.sh").toAbsolutePath();
  private static final String SECRET = "s3cret-do-not-print";
  private static Lab lab;

  @TempDir Path workspace;
  @TempDir Path runnerTemp;

  @BeforeAll
  static void startLab() throws Exception {
    lab =
        Lab.start(
            LabConfig.defaults()
                .withPhaseTime(Duration.ofMillis(20))
                .withClients(Map.of("ci-bot", SECRET)));
  }

  @AfterAll
  static void stopLab() {
    lab.close();
  }

  @BeforeEach
  void checkout() throws Exception {
    List<String> machines = new ArrayList<>(FleetFiles.ids("pass-", 6));
    machines.addAll(FleetFiles.ids("fail-", 2));
    FleetFiles.machines(workspace, machines);
    FleetFiles.template(workspace, FleetFiles.MIXED_TEMPLATE);
  }

  /** One step: a fresh GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, as the runner gives each step. */
  private record Step(int exitCode, String log, List<String> outputs, String summary) {}

  private Step step(String what, Map<String, String> inputs)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile(runnerTemp, "output-", "");
    Path summary = Files.createTempFile(runnerTemp, "summary-", "");
    Path log = Files.createTempFile(runnerTemp, "log-", "");
    ProcessBuilder builder =
        new ProcessBuilder("bash", SCRIPT.toString(), what)
            .directory(workspace.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.remove("TESTFLINGER_SERVER");
    env.keySet().removeIf(name -> name.startsWith("INPUT_") || name.startsWith("GITHUB_"));
    env.put("XDG_CONFIG_HOME", runnerTemp.resolve(".config").toString());
    env.put("GITHUB_OUTPUT", output.toString());
    env.put("GITHUB_STEP_SUMMARY", summary.toString());
    env.put("GITHUB_WORKSPACE", workspace.toString());
    env.put("RUNNER_TEMP", runnerTemp.toString());
    env.put("TFLEET_JAR", TfleetProcess.jar().toAbsolutePath().toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    // Started as the tests start tfleet: from the class-data archive made once per build.
    env.put("TFLEET_JAVA_OPTS", String.join(" ", TfleetProcess.archiveOptions()));
    env.put("TESTFLINGER_CLIENT_ID", "ci-bot");
    env.put("TESTFLINGER_SECRET_KEY", SECRET);
    env.putAll(inputs);
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("the step did not end:\n" + Files.readString(log));
    }
    String text = Files.readString(log);
    assertThat(text).as("the log").doesNotContain(SECRET);
    return new Step(
        process.exitValue(), text, Files.readAllLines(output), Files.readString(summary));
  }

  private Map<String, String> runInputs(String... more) {
    Map<String, String> inputs =
        new HashMap<>(
            Map.of(
                "INPUT_COMMAND", "run",
                "INPUT_SERVER", lab.url().toString(),
                "INPUT_MACHINES_FILE", "machines.txt",
                "INPUT_TEMPLATE_FILE", "tf-job.yaml",
                "INPUT_OUTPUT_DIR", "job_outputs",
                "INPUT_EXTRA_ARGS", "--poll-interval 0.2  --no-progress"));
    for (int i = 0; i < more.length; i += 2) {
      inputs.put(more[i], more[i + 1]);
    }
    return inputs;
  }

  @Test
  void runStepRunsTheFleetWithTheCredentialsAndPublishesCountsExitCodeAndSummary()
      throws Exception {
    Step run = step("run", runInputs());

    assertThat(run.exitCode()).as(run.log()).isZero(); // the gate step decides
    assertThat(run.log())
        .contains(
            "tfleet run --server " + lab.url(),
            "--poll-interval 0.2 --no-progress",
            "tfleet exited 1");
    assertThat(lab.stats().jobsCreated()).isGreaterThanOrEqualTo(8);
    assertThat(run.outputs())
        .containsExactly(
            "machines=8",
            "passed=6",
            "failed=2",
            "cancelled=0",
            "timed_out=0",
            "error=0",
            "not_submitted=0",
            "unfinished=0",
            "output-dir=job_outputs",
            "exit-code=1",
            "artifact-name=tfleet-outputs");
    assertThat(run.summary())
        .startsWith("## tfleet: 2 of 8 machines did not pass\n")
        .contains(
            "| `fail-01` | failed | test phase exited 3 | Failed |", "`job_outputs/report.html`");
    assertThat(workspace.resolve("job_outputs/summary.md")).isRegularFile();
    assertThat(workspace.resolve("job_outputs/.tfleet-run.json")).isRegularFile();
  }

  @Test
  void shardStepsThenAMergeStepMakeOneTreeOfEveryMachine() throws Exception {
    for (String shard : List.of("1/2", "2/2")) {
      String name = "tfleet-shard-" + shard.replace("/", "-of-");
      // Where actions/download-artifact puts each shard's artifact in the merging job.
      Step run = step("run", runInputs("INPUT_SHARD", shard, "INPUT_OUTPUT_DIR", "shards/" + name));
      assertThat(run.exitCode()).as(run.log()).isZero();
      assertThat(run.outputs()).contains("artifact-name=" + name, "output-dir=shards/" + name);
      assertThat(run.log()).contains("--shard " + shard);
    }

    Step merge =
        step(
            "run",
            Map.of(
                "INPUT_COMMAND",
                "merge",
                "INPUT_MERGE_FROM",
                "shards/*  missing/*",
                "INPUT_OUTPUT_DIR",
                "merged"));

    assertThat(merge.exitCode()).as(merge.log()).isZero();
    assertThat(merge.outputs())
        .contains(
            "machines=8",
            "passed=6",
            "failed=2",
            "exit-code=1",
            "artifact-name=tfleet-merged",
            "output-dir=merged");
    assertThat(merge.summary()).startsWith("## tfleet: 2 of 8 machines did not pass\n");
    assertThat(workspace.resolve("merged/fail-02/output.txt")).isRegularFile();
  }

  @Test
  void aMergeOfNothingAndAnUnknownCommandFailTheStepWithAnError() throws Exception {
    Step nothing = step("run", Map.of("INPUT_COMMAND", "merge", "INPUT_MERGE_FROM", "shards/*"));
    assertThat(nothing.exitCode()).isEqualTo(2);
    assertThat(nothing.log())
        .contains("::error title=tfleet::merge-from 'shards/*' names no folder");

    Step unknown = step("run", Map.of("INPUT_COMMAND", "rm"));
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.log())
        .contains("::error title=tfleet::command must be run, submit, monitor or merge");
  }

  @Test
  void badInputIsExitCodeTwoForTheGate() throws Exception {
    Step run = step("run", runInputs("INPUT_TEMPLATE_FILE", "no-such.yaml"));

    assertThat(run.exitCode()).as(run.log()).isZero();
    assertThat(run.outputs()).contains("exit-code=2", "artifact-name=tfleet-outputs");
    assertThat(run.log()).contains("no-such.yaml");
  }

  @Test
  void gateFailsPerFailOn() throws Exception {
    assertThat(step("gate", Map.of("INPUT_EXIT_CODE", "0")).exitCode()).isZero();

    Step failures = step("gate", Map.of("INPUT_EXIT_CODE", "1", "INPUT_FAIL_ON", "failures"));
    assertThat(failures.exitCode()).isEqualTo(1);
    assertThat(failures.log())
        .contains("::error title=tfleet::some machines did not pass (exit code 1)");

    Step errorsOnly = step("gate", Map.of("INPUT_EXIT_CODE", "1", "INPUT_FAIL_ON", "errors"));
    assertThat(errorsOnly.exitCode()).isZero();
    assertThat(errorsOnly.log()).contains("::warning title=tfleet::some machines did not pass");

    Step unreachable = step("gate", Map.of("INPUT_EXIT_CODE", "3", "INPUT_FAIL_ON", "errors"));
    assertThat(unreachable.exitCode()).isEqualTo(3);
    assertThat(unreachable.log()).contains("::error title=tfleet::the server could not be reached");

    assertThat(step("gate", Map.of("INPUT_EXIT_CODE", "130")).exitCode()).isEqualTo(130);
    assertThat(step("gate", Map.of("INPUT_EXIT_CODE", "0", "INPUT_FAIL_ON", "never")).exitCode())
        .isEqualTo(2);
    assertThat(step("gate", Map.of("INPUT_EXIT_CODE", "")).exitCode()).isEqualTo(2);
  }

  @Test
  void buildUsesAFreshJarAndCacheKeyIsThePomsHash() throws Exception {
    Step build = step("build", Map.of());
    assertThat(build.exitCode()).as(build.log()).isZero();
    assertThat(build.log()).contains("Using " + TfleetProcess.jar().toAbsolutePath());

    Step key = step("cache-key", Map.of());
    assertThat(key.exitCode()).as(key.log()).isZero();
    assertThat(key.outputs()).singleElement().asString().matches("key=tfleet-m2-[0-9a-f]{16}");
  }

  @Test
  void aMissingJarIsAnErrorNotAFailedFleet() throws Exception {
    Map<String, String> inputs = runInputs("TFLEET_JAR", runnerTemp.resolve("none.jar").toString());

    Step run = step("run", inputs);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.log())
        .contains("::error title=tfleet::no tfleet jar at " + runnerTemp.resolve("none.jar"));
  }
}
