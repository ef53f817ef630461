package io.tfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tfleet.lab.Fault;
import io.tfleet.lab.FaultPlan;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.store.MachineFolder;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.TfleetProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactsTest {
  /** {@code art-} machines leave a report in artifacts/; the others leave nothing there. */
  private static final String TEMPLATE =
      String.join(
          "\n",
          "job_queue: $CANONICAL_ID",
          "provision_data:",
          "  distro: noble",
          "test_data:",
          "  test_cmds: |",
          "    case \"$CANONICAL_ID\" in",
          "      art-*) mkdir -p artifacts/logs && echo \"report of $CANONICAL_ID\""
              + " > artifacts/report.txt && echo deep > artifacts/logs/deep.txt ;;",
          "    esac",
          "    echo '{\"status\": \"Certified\"}'",
          "");

  @TempDir Path dir;

  private TfleetProcess.Result run(Lab lab, String... more) throws IOException {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--server",
                lab.url().toString(),
                "--machines-file",
                FleetFiles.machines(dir, List.of("art-01", "plain-01")).toString(),
                "--template-file",
                FleetFiles.template(dir, TEMPLATE).toString(),
                "--output-dir",
                dir.resolve("out").toString(),
                "--poll-interval",
                "0.1",
                "--no-preflight",
                "-q"));
    args.addAll(List.of(more));
    return InProcess.run(args.toArray(String[]::new));
  }

  private static Lab lab() throws IOException {
    return lab(FaultPlan.none());
  }

  private static Lab lab(FaultPlan faults) throws IOException {
    return Lab.start(
        LabConfig.defaults()
            .withPhaseTime(Duration.ZERO)
            .withQueues(Set.of("art-01", "plain-01"))
            .withFaults(faults));
  }

  @Test
  void withArtifactsEachMachinesBundleIsUnpackedInItsFolder() throws Exception {
    try (Lab lab = lab()) {
      TfleetProcess.Result result = run(lab, "--artifacts");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      Path out = dir.resolve("out");
      assertThat(out.resolve("art-01/artifacts/report.txt")).hasContent("report of art-01");
      assertThat(out.resolve("art-01/artifacts/logs/deep.txt")).hasContent("deep");
      assertThat(out.resolve("plain-01/artifacts")).doesNotExist();
      assertThat(lab.stats().requestCount("GET /v1/result/{id}/artifact")).isEqualTo(2);
      assertThat(FleetFiles.leftovers(out)).isEmpty();
      assertThat(hiddenFiles(out.resolve("art-01"))).isEmpty();
    }
  }

  @Test
  void aDownloadThatFailsForAWhileIsTriedAgain() throws Exception {
    try (Lab lab = lab(FaultPlan.firstN("GET /v1/result/{id}/artifact", 2, Fault.status(503)))) {
      TfleetProcess.Result result = run(lab, "--artifacts");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(dir.resolve("out/art-01/artifacts/report.txt")).hasContent("report of art-01");
      assertThat(lab.stats().requestCount("GET /v1/result/{id}/artifact")).isEqualTo(4);
      assertThat(result.err()).doesNotContain("artifacts not kept");
    }
  }

  @Test
  void aBundleThatCouldNotBeFetchedIsFetchedByALaterRunAndANoneIsAskedOnce() throws Exception {
    AtomicBoolean down = new AtomicBoolean(true);
    FaultPlan whileDown =
        (route, count) ->
            down.get() && route.equals("GET /v1/result/{id}/artifact")
                ? Optional.of(Fault.status(503))
                : Optional.empty();
    try (Lab lab = lab(whileDown)) {
      TfleetProcess.Result first = run(lab, "--artifacts", "--retry-for", "1s");
      assertThat(first.exitCode()).as(first.toString()).isZero();
      assertThat(dir.resolve("out/art-01/artifacts")).doesNotExist();

      down.set(false);
      String out = dir.resolve("out").toString();
      TfleetProcess.Result later = InProcess.run("monitor", "--output-dir", out, "--artifacts");

      assertThat(later.exitCode()).as(later.toString()).isZero();
      assertThat(dir.resolve("out/art-01/artifacts/report.txt")).hasContent("report of art-01");
      assertThat(dir.resolve("out/plain-01/" + MachineFolder.NO_ARTIFACTS)).exists();
      long asked = lab.stats().requestCount("GET /v1/result/{id}/artifact");

      TfleetProcess.Result again = InProcess.run("monitor", "--output-dir", out, "--artifacts");

      assertThat(again.exitCode()).as(again.toString()).isZero();
      assertThat(lab.stats().requestCount("GET /v1/result/{id}/artifact")).isEqualTo(asked);
    }
  }

  @Test
  void withoutArtifactsNothingIsDownloaded() throws Exception {
    try (Lab lab = lab()) {
      TfleetProcess.Result result = run(lab);

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(dir.resolve("out/art-01/artifacts")).doesNotExist();
      assertThat(lab.stats().requestCount("GET /v1/result/{id}/artifact")).isZero();
    }
  }

  @Test
  void anEntryClimbingOutIsRefusedAndNothingIsLeft() throws Exception {
    Path bundle = bundle(dir.resolve("evil.tar.gz"), "artifacts/ok.txt", "../evil");
    Path target = Files.createDirectories(dir.resolve("machine")).resolve("artifacts");

    assertThatThrownBy(() -> Artifacts.install(bundle, target))
        .isInstanceOf(Artifacts.BadBundleException.class)
        .hasMessageContaining("../evil");
    assertThat(dir.resolve("evil")).doesNotExist();
    assertThat(dir.resolve("machine/evil")).doesNotExist();
    assertThat(dir.resolve("machine")).isEmptyDirectory();
  }

  @Test
  void anAbsoluteEntryIsRefused() throws Exception {
    Path bundle = bundle(dir.resolve("abs.tar.gz"), "/tmp/evil-" + System.nanoTime());

    assertThatThrownBy(() -> Artifacts.unpack(bundle, dir.resolve("dest")))
        .isInstanceOf(Artifacts.BadBundleException.class);
  }

  @Test
  void aLinkThatClimbsIsRefused() throws Exception {
    Path bundle = dir.resolve("link.tar.gz");
    try (TarArchiveOutputStream tar = tar(bundle)) {
      TarArchiveEntry link = new TarArchiveEntry("artifacts/out", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("../../..");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }

    assertThatThrownBy(() -> Artifacts.unpack(bundle, dir.resolve("dest")))
        .isInstanceOf(Artifacts.BadBundleException.class)
        .hasMessageContaining("artifacts/out");
  }

  @Test
  void aBundleWithoutTheTopFolderIsUnpackedAsItIs() throws Exception {
    Path bundle = bundle(dir.resolve("flat.tar.gz"), "a.txt", "b/c.txt");
    Path target = Files.createDirectories(dir.resolve("machine")).resolve("artifacts");

    Artifacts.install(bundle, target);

    assertThat(target.resolve("a.txt")).hasContent("a.txt");
    assertThat(target.resolve("b/c.txt")).hasContent("b/c.txt");
  }

  /** A gzipped tar of files whose content is their own name. */
  private static Path bundle(Path file, String... names) throws IOException {
    try (TarArchiveOutputStream tar = tar(file)) {
      for (String name : names) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name, /* preserveAbsolutePath= */ true);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  private static TarArchiveOutputStream tar(Path file) throws IOException {
    OutputStream out = Files.newOutputStream(file);
    return new TarArchiveOutputStream(new GzipCompressorOutputStream(out));
  }

  private static List<Path> hiddenFiles(Path folder) throws IOException {
    try (var files = Files.list(folder)) {
      return files
          .filter(
              p ->
                  p.getFileName().toString().startsWith(".tmp")
                      || p.getFileName().toString().contains(".tmp-"))
          .toList();
    }
  }
}
