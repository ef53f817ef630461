package io.tfleet;

import static io.tfleet.testing.FleetFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.TfleetProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original template's shape (a binary attachment its test runs) and servers that want
 * credentials.
 */
class AttachmentsAuthIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final Path EXAMPLES = Path.of("examples").toAbsolutePath();
  private static final List<String> MACHINES =
      List.of("202101-28595", "202012-28526", "202105-29001");

  @TempDir Path dir;

  private void copyExamples() throws Exception {
    Files.createDirectories(dir.resolve("examples"));
    for (String name : List.of("hwctl", "with-attachment.yaml")) {
      Files.copy(
          EXAMPLES.resolve(name),
          dir.resolve("examples").resolve(name),
          StandardCopyOption.COPY_ATTRIBUTES);
    }
    FleetFiles.machines(dir, MACHINES);
  }

  private static String[] args(Lab lab, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--server",
                lab.url().toString(),
                "--template-file",
                "examples/with-attachment.yaml",
                "--attachments-relative-to",
                "examples",
                "--poll-interval",
                "0.2"));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  @Test
  void attachedBinaryReachesEveryMachineAndIsPackedOnce() throws Exception {
    copyExamples();
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ofMillis(20)))) {
      TfleetProcess.Result run = InProcess.run(dir, LIMIT, args(lab));

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.err()).contains("packed 1 attachment archive for 3 machines");
      assertThat(lab.stats().requestCount("POST /v1/job/{id}/attachments")).isEqualTo(3);
      for (String m : MACHINES) {
        Path folder = dir.resolve("job_outputs").resolve(m);
        assertThat(read(folder.resolve("output.txt")))
            .get()
            .asString()
            .contains("hwctl: checking machine " + m)
            .contains("\"canonical_id\": \"" + m + "\"");
        assertThat(read(folder.resolve("hw_status.txt"))).contains("Certified");
        assertThat(folder.resolve(".attachments.pending")).doesNotExist();
      }
    }
  }

  @Test
  void largeAttachmentIsStreamedThroughASmallHeap() throws Exception {
    FleetFiles.machines(dir, List.of("m-01"));
    long size = 300L << 20;
    try (var file = new java.io.RandomAccessFile(dir.resolve("big.bin").toFile(), "rw")) {
      file.setLength(size); // sparse: quick to make, still 300 MiB to pack, send and unpack
    }
    FleetFiles.template(
        dir,
        String.join(
            "\n",
            "job_queue: $CANONICAL_ID",
            "test_data:",
            "  attachments:",
            "    - local: big.bin",
            "  test_cmds: wc -c < attachments/test/big.bin",
            ""));
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ofMillis(20)))) {
      TfleetProcess.Result run =
          TfleetProcess.start(
                  dir,
                  Map.of(),
                  List.of("-Xmx64m"),
                  "--server",
                  lab.url().toString(),
                  "--poll-interval",
                  "0.2")
              .await(LIMIT);

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(read(dir.resolve("job_outputs/m-01/output.txt")).orElseThrow().strip())
          .isEqualTo(Long.toString(size));
    }
  }

  @Test
  void labThatDemandsCredentialsWorksWithThemAndNeverShowsTheSecret() throws Exception {
    copyExamples();
    LabConfig config =
        LabConfig.defaults()
            .withPhaseTime(Duration.ofMillis(20))
            .withClients(Map.of("ci-bot", "s3cret-key"));
    try (Lab lab = Lab.start(config)) {
      TfleetProcess.Result run =
          InProcess.run(
              dir,
              Map.of("TESTFLINGER_CLIENT_ID", "ci-bot", "TESTFLINGER_SECRET_KEY", "s3cret-key"),
              LIMIT,
              args(lab, "-v"));

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(lab.stats().requestCount("POST /v1/oauth2/token")).isPositive();
      assertThat(run.err()).contains("[Authorization: Bearer ****]").doesNotContain("s3cret-key");
      assertThat(run.err()).doesNotContainPattern("Bearer [A-Za-z0-9_-]{8,}");
    }
  }

  @Test
  void wrongCredentialsExitThreeWithAClearMessageAndSubmitNothing() throws Exception {
    copyExamples();
    LabConfig config = LabConfig.defaults().withClients(Map.of("ci-bot", "s3cret-key"));
    try (Lab lab = Lab.start(config)) {
      TfleetProcess.Result run =
          InProcess.run(dir, LIMIT, args(lab, "--client-id", "ci-bot", "--secret-key", "wrong"));

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
      assertThat(run.err())
          .contains("refused client id 'ci-bot' and its secret key")
          .doesNotContain("wrong");
      assertThat(lab.stats().jobsCreated()).isZero();
    }
  }

  @Test
  void labThatDemandsCredentialsFailsClearlyWithoutThem() throws Exception {
    copyExamples();
    LabConfig config = LabConfig.defaults().withClients(Map.of("ci-bot", "s3cret-key"));
    try (Lab lab = Lab.start(config)) {
      TfleetProcess.Result run = InProcess.run(dir, LIMIT, args(lab));

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
      assertThat(run.err()).contains("401").contains("--client-id");
      assertThat(lab.stats().jobsCreated()).isZero();
    }
  }

  @Test
  void oneCredentialWithoutTheOtherIsAUsageError() throws Exception {
    copyExamples();
    try (Lab lab = Lab.start(LabConfig.defaults())) {
      TfleetProcess.Result run = InProcess.run(dir, LIMIT, args(lab, "--client-id", "ci-bot"));
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("give both a client id and a secret key");
      assertThat(lab.stats().requests()).isEmpty();
    }
  }

  @Test
  void missingAttachmentIsAnInputErrorNamingTheEntry() throws Exception {
    copyExamples();
    Files.delete(dir.resolve("examples/hwctl"));
    try (Lab lab = Lab.start(LabConfig.defaults())) {
      TfleetProcess.Result run = InProcess.run(dir, LIMIT, args(lab));
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("test_data.attachments[0]: local path 'hwctl' not found");
      assertThat(lab.stats().requests()).isEmpty();
    }
  }
}
