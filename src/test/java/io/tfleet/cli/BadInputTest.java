package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.store.RunManifest;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.TfleetProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each bad input: a clear message naming the problem, exit 2, and not one request sent. */
class BadInputTest {
  private static Lab lab;

  @TempDir Path dir;
  private Path machines;
  private Path template;

  @BeforeAll
  static void startLab() throws Exception {
    lab = Lab.start(LabConfig.defaults());
  }

  @AfterAll
  static void stopLab() {
    lab.close();
  }

  @BeforeEach
  void goodInputs() throws Exception {
    machines = FleetFiles.machines(dir, List.of("m-1", "m-2"));
    template = FleetFiles.template(dir, FleetFiles.MIXED_TEMPLATE);
  }

  @AfterEach
  void nothingWasSent() {
    assertThat(lab.stats().jobsCreated()).isZero();
    assertThat(lab.stats().requests()).isEmpty();
  }

  private TfleetProcess.Result run(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server", lab.url().toString(),
                "--machines-file", machines.toString(),
                "--template-file", template.toString(),
                "--output-dir", dir.resolve("out").toString()));
    args.addAll(List.of(extra));
    return InProcess.run(args.toArray(String[]::new));
  }

  private static void assertUsageError(TfleetProcess.Result result, String message) {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).as(result.toString()).contains(message);
  }

  @Test
  void missingMachinesFileIsNamed() {
    machines = dir.resolve("nope.txt");
    assertUsageError(run(), "tfleet: " + machines + ": no such file");
  }

  @Test
  void emptyMachinesFileIsRejected() throws Exception {
    Files.writeString(machines, "\n  \n# only a comment\n");
    assertUsageError(run(), machines + ": no machine ids");
  }

  @Test
  void binaryMachinesFileIsRejected() throws Exception {
    Files.write(machines, new byte[] {(byte) 0xca, (byte) 0xfe, 0, 0, 1});
    assertUsageError(run(), machines + ": is a binary file, not text");
  }

  @Test
  void duplicateMachineIdIsRejectedBeforeSubmitting() throws Exception {
    Files.writeString(machines, "m-1\nm-2\nm-1\n");
    assertUsageError(run(), machines + ":3: duplicate machine id 'm-1' (first on line 1)");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void idThatEscapesTheOutputDirectoryIsRejected() throws Exception {
    Files.writeString(machines, "m-1\n../x\n");
    assertUsageError(run(), machines + ":2: machine id '../x'");
  }

  @Test
  void templateThatIsNotYamlIsRejected() throws Exception {
    Files.writeString(template, "job_queue: [a\nb: : c\n");
    assertUsageError(run(), template + ":");
    assertThat(run().err()).contains("not valid YAML");
  }

  @Test
  void templateWithoutJobQueueIsRejected() throws Exception {
    Files.writeString(template, "test_data:\n  test_cmds: echo hi\n");
    assertUsageError(run(), template + ": the job has no job_queue");
  }

  @Test
  void sendJobsAndCheckStatusExcludeEachOther() {
    assertUsageError(run("--send-jobs", "--check-status"), "mutually exclusive");
  }

  @Test
  void unknownFlagIsRejected() {
    assertUsageError(run("--machine-file"), "unknown option '--machine-file'");
  }

  @Test
  void negativePollIntervalIsRejected() {
    assertUsageError(
        run("--poll-interval", "-5"), "--poll-interval must be a number of seconds > 0");
  }

  @Test
  void outputPathThatIsAFileIsRejected() throws Exception {
    Path file = Files.writeString(dir.resolve("out"), "I am a file");
    assertUsageError(run(), file + ": is a file, not a directory");
  }

  @Test
  void unwritableOutputFolderIsRejected() {
    // /proc/1 is a folder no one may create files in, root included (a chmod would not stop root).
    Path unwritable = Path.of("/proc/1");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isDirectory(unwritable), "needs Linux /proc");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server",
                lab.url().toString(),
                "--machines-file",
                machines.toString(),
                "--template-file",
                template.toString(),
                "--output-dir",
                unwritable.toString()));
    assertUsageError(
        InProcess.run(args.toArray(String[]::new)),
        "/proc/1: the output directory is not writable");
  }

  @Test
  void serverThatIsNotAUrlIsRejected() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--machines-file",
                machines.toString(),
                "--template-file",
                template.toString(),
                "--output-dir",
                dir.resolve("out").toString(),
                "--server",
                "not a url"));
    assertUsageError(InProcess.run(args.toArray(String[]::new)), "--server: 'not a url' is not");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "summary.json",
        "junit.xml",
        "report.html",
        ".tfleet.lock",
        ".tfleet-run.json",
        "Summary.JSON",
        ".hidden",
        "round-1",
        "ROUND-12"
      })
  void idThatClashesWithTheTreesOwnFilesIsRejected(String id) throws Exception {
    Files.writeString(machines, "m-1\n" + id + "\nm-2\n");
    TfleetProcess.Result result = run();
    assertUsageError(result, machines + ":2: machine id '" + id + "'");
    assertThat(result.err()).contains("nothing was submitted");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void idsThatOnlyLookLikeTheTreesFilesAreAccepted() throws Exception {
    Files.writeString(machines, "summary.json.1\nround-x\nreport\n");
    TfleetProcess.Result result = run("--dry-run");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains("Dry run: 3 jobs rendered, nothing sent.");
  }

  @Test
  void aServerOtherThanTheTreesIsRefused() throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    new RunManifest("http://127.0.0.1:9/", List.of("m-1"), "d", null, "t", "tfleet", "now")
        .write(out);
    TfleetProcess.Result result = run("--check-status");
    assertUsageError(
        result, "the output tree's jobs were submitted to http://127.0.0.1:9/, not to --server");
    assertThat(result.err()).contains("--allow-server-change");
  }

  @Test
  void checkStatusOnATreeWithoutJobsSaysSo() throws Exception {
    Files.createDirectories(dir.resolve("out"));
    assertUsageError(
        run("--check-status"), "no machines: no run manifest and no folder with a tf_job_id.txt");
  }
}
