package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.store.RunManifest;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.TfleetProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tfleet merge in-process: what it refuses (exit 2, nothing written) and what it makes. */
class MergeCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Lab lab;

  @TempDir Path dir;

  @BeforeAll
  static void startLab() throws Exception {
    lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO));
  }

  @AfterAll
  static void stopLab() {
    lab.close();
  }

  /** Runs {@code machines} (with {@code --shard shard} unless null) into {@code dir/name}. */
  private Path run(String name, List<String> machines, String shard) throws Exception {
    Path inputs = Files.createDirectories(dir.resolve("inputs-" + name));
    FleetFiles.machines(inputs, machines);
    FleetFiles.template(inputs, FleetFiles.MIXED_TEMPLATE);
    Path out = dir.resolve(name);
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--server",
                lab.url().toString(),
                "--machines-file",
                inputs.resolve("machines.txt").toString(),
                "--template-file",
                inputs.resolve("tf-job.yaml").toString(),
                "--output-dir",
                out.toString(),
                "--poll-interval",
                "0.2"));
    if (shard != null) {
      args.addAll(List.of("--shard", shard));
    }
    TfleetProcess.Result run = InProcess.run(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.toString()).isIn(0, 1);
    return out;
  }

  private static List<String> machines() {
    List<String> all = new ArrayList<>(FleetFiles.ids("pass-", 8));
    all.addAll(FleetFiles.ids("fail-", 3));
    return all;
  }

  private TfleetProcess.Result merge(Path out, Path... trees) {
    List<String> args = new ArrayList<>(List.of("merge"));
    Stream.of(trees).forEach(t -> args.add(t.toString()));
    args.addAll(List.of("--output-dir", out.toString()));
    return InProcess.run(args.toArray(String[]::new));
  }

  private static void assertRefused(TfleetProcess.Result result, Path out, String... message) {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).as(result.toString()).contains(message);
    assertThat(out).doesNotExist();
    assertThat(out.getParent().toFile().list()).noneMatch(name -> name.contains(".merging-"));
  }

  private static void editManifest(Path tree, String field, String value) throws Exception {
    ObjectNode manifest = (ObjectNode) JSON.readTree(tree.resolve(RunManifest.FILE).toFile());
    manifest.put(field, value);
    Files.writeString(tree.resolve(RunManifest.FILE), manifest.toString());
  }

  @Test
  void shardsMergeIntoOneTreeWithEveryMachineTheirFilesAndReports() throws Exception {
    Path one = run("s1", machines(), "1/2");
    Path two = run("s2", machines(), "2/2");
    Path out = dir.resolve("merged");

    TfleetProcess.Result merged = merge(out, one, two);

    assertThat(merged.exitCode()).as(merged.toString()).isEqualTo(ExitCodes.FAILURES);
    assertThat(merged.out()).contains("11 machines: 8 passed, 3 failed");
    for (String m : machines()) {
      assertThat(out.resolve(m).resolve("output.txt")).exists();
      assertThat(out.resolve(m).resolve("tf_job_id.txt")).exists();
    }
    assertThat(Files.readString(out.resolve("report.html")))
        .contains("href=\"fail-01/output.txt\"");
    assertThat(Files.readString(out.resolve("summary.md")))
        .contains("[output.txt](fail-01/output.txt)");
    RunManifest manifest = RunManifest.read(out).orElseThrow();
    assertThat(manifest.machines()).containsExactlyInAnyOrderElementsOf(machines());
    assertThat(manifest.shard()).isNull();
    assertThat(manifest.templateDigest())
        .isEqualTo(RunManifest.read(one).orElseThrow().templateDigest());
    // The merged tree is a tree like any: report rebuilds the same totals from it.
    assertThat(InProcess.run("report", "--output-dir", out.toString()).out())
        .contains("11 machines: 8 passed, 3 failed");
    assertThat(FleetFiles.leftovers(out)).isEmpty();
  }

  @Test
  void aMissingShardIsAWarning() throws Exception {
    Path one = run("s1", machines(), "1/3");
    Path out = dir.resolve("merged");

    TfleetProcess.Result merged = merge(out, one);

    assertThat(merged.exitCode()).as(merged.toString()).isIn(0, 1);
    assertThat(merged.err())
        .contains(
            "warning: shard 2/3 is not among the trees merged", "warning: shard 3/3 is not among");
  }

  @Test
  void treesOfAnotherServerAreRefused() throws Exception {
    Path one = run("s1", machines(), "1/2");
    Path two = run("s2", machines(), "2/2");
    editManifest(two, "server", "https://elsewhere.example.com");
    Path out = dir.resolve("merged");

    assertRefused(
        merge(out, one, two),
        out,
        "not one run: " + one + " ran on " + lab.url(),
        two + " on https://elsewhere.example.com");
  }

  @Test
  void treesOfAnotherTemplateAreRefused() throws Exception {
    Path one = run("s1", machines(), "1/2");
    Path two = run("s2", machines(), "2/2");
    editManifest(two, "template_digest", "0".repeat(64));
    Path out = dir.resolve("merged");

    assertRefused(
        merge(out, one, two),
        out,
        "not one run: " + one + " and " + two + " ran different templates");
  }

  @Test
  void theSameShardTwiceAndShardsOfAnotherSplitAreRefused() throws Exception {
    Path one = run("s1", machines(), "1/2");
    Path again = run("again", machines(), "1/2");
    Path other = run("other", machines(), "2/3");
    Path out = dir.resolve("merged");

    assertRefused(merge(out, one, again), out, one + " and " + again + " are both shard 1/2");
    assertRefused(merge(out, one, other), out, other + " is shard 2/3 of another split");
  }

  @Test
  void overlappingMachinesAreRefusedByName() throws Exception {
    Path first = run("first", List.of("pass-01", "pass-02"), null);
    Path second = run("second", List.of("pass-02", "pass-03"), null);
    Path out = dir.resolve("merged");

    assertRefused(
        merge(out, first, second),
        out,
        "1 machine(s) are in more than one tree",
        "pass-02 (" + first + " and " + second + ")");
  }

  @Test
  void aTreeWithoutManifestATakenOutputAndAMissingTreeAreRefused() throws Exception {
    Path one = run("s1", machines(), "1/2");
    Path original = Files.createDirectories(dir.resolve("original/m1"));
    Files.writeString(original.resolve("tf_job_id.txt"), "0f0e0d0c-0000-4000-8000-000000000001");
    Path out = dir.resolve("merged");

    assertRefused(
        merge(out, one, original.getParent()), out, original.getParent() + ": no run manifest");
    assertRefused(
        merge(out, one, dir.resolve("nope")),
        out,
        dir.resolve("nope") + ": no such output directory");
    assertRefused(merge(one.resolve("inside"), one), one.resolve("inside"), "must be a new folder");

    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "mine");
    TfleetProcess.Result taken = merge(out, one);
    assertThat(taken.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(taken.err()).contains(out + ": not empty");
    assertThat(out.toFile().list()).containsExactly("keep.txt");
  }

  @Test
  void anEmptyOutputFolderIsFilled() throws Exception {
    Path one = run("s1", machines(), "1/2");
    Path out = Files.createDirectories(dir.resolve("merged"));

    assertThat(merge(out, one).exitCode()).isIn(0, 1);

    assertThat(out.resolve("summary.json")).exists();
    assertThat(out.resolve(RunManifest.FILE)).exists();
  }
}
