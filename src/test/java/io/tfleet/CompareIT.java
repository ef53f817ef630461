package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.Chromium;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.TfleetProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Comparing runs made by the real tfleet jar against a lab: a template whose outcome depends on the
 * machine and on {@code --var ROUND}, run twice, so that between the runs machines regress, get
 * fixed, change hw status, keep failing, appear and disappear.
 */
class CompareIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Round 1 and 2 differ for reg- (passes, then fails), fix- (fails, then passes) and hw- (its hw
   * status moves). A failure prints no status line, as a crashed hwctl would.
   */
  private static final String TEMPLATE =
      String.join(
          "\n",
          "job_queue: $CANONICAL_ID",
          "test_data:",
          "  test_cmds: |",
          "    case \"$CANONICAL_ID/$ROUND\" in",
          "      same-*|hw-*/1|reg-*/1|fix-*/2) echo '{\"status\": \"Certified\"}' ;;",
          "      hw-*/2) echo '{\"status\": \"Not Seen\"}' ;;",
          "      *) echo 'hwctl: cannot reach the server'; exit 3 ;;",
          "    esac",
          "");

  private static final List<String> FIRST =
      List.of("same-01", "same-02", "reg-01", "fix-01", "hw-01", "still-01", "gone-01");
  private static final List<String> SECOND =
      List.of("same-01", "same-02", "reg-01", "fix-01", "hw-01", "still-01", "new-01");

  /** What a comparison of the first run with the second must say about each machine. */
  private static final Map<String, String> EXPECTED =
      new TreeMap<>(
          Map.of(
              "same-01",
              "unchanged",
              "same-02",
              "unchanged",
              "reg-01",
              "regressed",
              "fix-01",
              "fixed",
              "hw-01",
              "hw_status_changed",
              "still-01",
              "still_failing",
              "gone-01",
              "gone",
              "new-01",
              "new"));

  @TempDir static Path dir;
  private static Lab lab;
  private static TfleetProcess.Result second;

  @TempDir Path work;

  @BeforeAll
  static void twoRuns() throws Exception {
    lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO));
    FleetFiles.template(dir, TEMPLATE);
    Files.writeString(dir.resolve("first.txt"), String.join("\n", FIRST) + "\n");
    Files.writeString(dir.resolve("second.txt"), String.join("\n", SECOND) + "\n");
    TfleetProcess.Result first =
        fleet("--machines-file", "first.txt", "--var", "ROUND=1", "--output-dir", "first");
    assertThat(first.exitCode()).as(first.toString()).isEqualTo(1);
    second =
        fleet(
            "--machines-file",
            "second.txt",
            "--var",
            "ROUND=2",
            "--output-dir",
            "second",
            "--baseline",
            "first");
  }

  @AfterAll
  static void stopLab() {
    if (lab != null) {
      lab.close();
    }
  }

  private static TfleetProcess.Result fleet(String... args) throws Exception {
    List<String> all =
        new ArrayList<>(
            List.of(
                "run",
                "--server",
                lab.url().toString(),
                "--poll-interval",
                "0.2",
                "--no-preflight",
                "--no-progress"));
    all.addAll(List.of(args));
    // Processes: the trees' pages say the baseline as it was typed, and Chromium reads them.
    return TfleetProcess.run(dir, LIMIT, all.toArray(String[]::new));
  }

  private static TfleetProcess.Result tfleet(Path where, String... args) throws Exception {
    return InProcess.run(where, LIMIT, args);
  }

  private static Map<String, String> changes(Path comparisonJson) throws IOException {
    Map<String, String> changes = new TreeMap<>();
    for (JsonNode m : JSON.readTree(comparisonJson.toFile()).get("machines")) {
      changes.put(m.get("machine").asText(), m.get("change").asText());
    }
    return changes;
  }

  /**
   * A copy of {@code tree} under this test's folder, so tests that write into a tree stay apart.
   */
  private Path copy(Path tree, String name) throws IOException {
    Path target = work.resolve(name);
    try (Stream<Path> files = Files.walk(tree)) {
      for (Path p : files.toList()) {
        Path to = target.resolve(tree.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else if (!p.getFileName().toString().equals(".tfleet.lock")) {
          Files.copy(p, to);
        }
      }
    }
    return target;
  }

  @Test
  void runWithABaselineCountsRegressionsAndFilesTheComparison() throws Exception {
    assertThat(second.exitCode()).as(second.toString()).isEqualTo(1);
    assertThat(second.out())
        .contains(
            "1 regressed since first (1 fixed, 1 hw status changed, 1 still failing, 1 new, 1 gone, 2 unchanged)");
    assertThat(changes(dir.resolve("second/comparison.json"))).isEqualTo(EXPECTED);
    assertThat(second.err()).contains("reg-01: failed: test phase exited 3");
  }

  @Test
  void checkStatusWithABaselineComparesTheWatchedTree() throws Exception {
    Path current = copy(dir.resolve("second"), "second");
    Files.delete(current.resolve("comparison.json"));

    TfleetProcess.Result check =
        tfleet(
            work,
            "--check-status",
            "--server",
            lab.url().toString(),
            "--poll-interval",
            "0.2",
            "--no-progress",
            "--output-dir",
            "second",
            "--baseline",
            dir.resolve("first").toString());

    assertThat(check.exitCode()).as(check.toString()).isEqualTo(1);
    assertThat(check.out()).contains("1 regressed since " + dir.resolve("first") + " (1 fixed,");
    assertThat(changes(current.resolve("comparison.json"))).isEqualTo(EXPECTED);
  }

  @Test
  void compareTwoTreesReportsEveryChangeAndExitsOneOnARegression() throws Exception {
    Path current = copy(dir.resolve("second"), "second");
    Files.delete(current.resolve("comparison.json"));

    TfleetProcess.Result compare =
        tfleet(work, "compare", dir.resolve("first").toString(), "--output-dir", "second");

    assertThat(compare.exitCode()).as(compare.toString()).isEqualTo(1);
    assertThat(changes(current.resolve("comparison.json"))).isEqualTo(EXPECTED);
    List<String> lines = compare.out().lines().toList();
    assertThat(lines.get(1)).startsWith("CHANGE");
    assertThat(lines.get(2))
        .startsWith("regressed")
        .contains("reg-01", "passed -> failed", "Certified -> Unknown", "0 -> 3");
    assertThat(lines.get(3)).startsWith("fixed").contains("fix-01", "failed -> passed");
    assertThat(lines.get(4))
        .startsWith("hw status changed")
        .contains("hw-01", "Certified -> Not Seen");
    assertThat(lines.get(5)).startsWith("still failing").contains("still-01");
    assertThat(lines.get(6)).startsWith("new").contains("new-01");
    assertThat(lines.get(7)).startsWith("gone").contains("gone-01");
    assertThat(lines.get(8)).isEqualTo("2 machines unchanged (passed in both)");
    assertThat(compare.out()).doesNotContain("same-01");
    assertThat(Files.readString(current.resolve("report.html")))
        .contains("<section id=\"comparison\">");
  }

  @Test
  void compareWithARoundOfTheSameTreeExitsZeroWhenNothingRegressed() throws Exception {
    Path retried = copy(dir.resolve("first"), "retried");
    TfleetProcess.Result retry =
        tfleet(
            dir,
            "run",
            "--server",
            lab.url().toString(),
            "--poll-interval",
            "0.2",
            "--no-preflight",
            "--no-progress",
            "--machines-file",
            "first.txt",
            "--var",
            "ROUND=2",
            "--output-dir",
            retried.toString(),
            "--retry-failed");
    assertThat(Files.isDirectory(retried.resolve("fix-01/round-1"))).as(retry.toString()).isTrue();

    TfleetProcess.Result compare =
        tfleet(work, "compare", "--round", "1", "--output-dir", "retried");

    assertThat(compare.exitCode()).as(compare.toString()).isZero();
    // Machines that passed were not retried: their files stand for both rounds.
    assertThat(changes(retried.resolve("comparison.json")))
        .isEqualTo(
            new TreeMap<>(
                Map.of(
                    "same-01",
                    "unchanged",
                    "same-02",
                    "unchanged",
                    "reg-01",
                    "unchanged",
                    "hw-01",
                    "unchanged",
                    "fix-01",
                    "fixed",
                    "still-01",
                    "still_failing",
                    "gone-01",
                    "still_failing")));
    assertThat(compare.out())
        .contains("0 regressed since retried round-1 (1 fixed, 2 still failing, 4 unchanged)");
    JsonNode baseline = JSON.readTree(retried.resolve("comparison.json").toFile()).get("baseline");
    assertThat(baseline.get("round").asInt()).isEqualTo(1);
  }

  @Test
  void treeOfTheOriginalScriptServesAsBaseline() throws Exception {
    // The original's files only: no result.json, job.yaml, reports or manifest.
    Path seed = work.resolve("seed");
    for (String m : FIRST) {
      Path folder = Files.createDirectories(seed.resolve(m));
      for (String file : List.of("tf_job_id.txt", "output.txt", "hw_status.txt")) {
        Files.copy(dir.resolve("first").resolve(m).resolve(file), folder.resolve(file));
      }
    }
    Path current = copy(dir.resolve("second"), "second");

    TfleetProcess.Result compare = tfleet(work, "compare", "seed", "second");

    assertThat(compare.exitCode()).as(compare.toString()).isEqualTo(1);
    assertThat(changes(current.resolve("comparison.json"))).isEqualTo(EXPECTED);
    JsonNode baseline = JSON.readTree(current.resolve("comparison.json").toFile()).get("baseline");
    assertThat(baseline.get("judged_from_output").asInt()).isEqualTo(FIRST.size());
    assertThat(compare.out())
        .contains("7 baseline verdicts judged from output.txt and hw_status.txt");
    // The original files no exit code: the baseline's column says so.
    assertThat(compare.out())
        .containsPattern("regressed +reg-01 +passed -> failed +Certified -> Unknown +- -> 3");
  }

  @Test
  void badInputExitsTwoNamingThePathAndWritesNothing() throws Exception {
    Path current = copy(dir.resolve("second"), "second");
    Files.delete(current.resolve("comparison.json"));
    byte[] page = Files.readAllBytes(current.resolve("report.html"));
    Files.createDirectories(work.resolve("empty/stray-folder"));

    TfleetProcess.Result missing = tfleet(work, "compare", "nowhere", "second");
    TfleetProcess.Result empty = tfleet(work, "compare", "empty", "second");
    TfleetProcess.Result noRound = tfleet(work, "compare", "--round", "4", "second");
    TfleetProcess.Result itself = tfleet(work, "compare", "second", "second");
    TfleetProcess.Result badBaseline =
        tfleet(
            dir,
            "run",
            "--server",
            lab.url().toString(),
            "--no-preflight",
            "--machines-file",
            "second.txt",
            "--output-dir",
            work.resolve("never").toString(),
            "--baseline",
            work.resolve("nowhere").toString());

    assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(2);
    assertThat(missing.err()).contains("tfleet: nowhere: no such output directory");
    assertThat(empty.exitCode()).as(empty.toString()).isEqualTo(2);
    assertThat(empty.err()).contains("tfleet: empty: no machines");
    assertThat(noRound.exitCode()).as(noRound.toString()).isEqualTo(2);
    assertThat(noRound.err()).contains("second: no machine has a round-4 folder");
    assertThat(itself.exitCode()).as(itself.toString()).isEqualTo(2);
    assertThat(itself.err()).contains("are the same tree");
    assertThat(badBaseline.exitCode()).as(badBaseline.toString()).isEqualTo(2);
    assertThat(badBaseline.err()).contains(work.resolve("nowhere") + ": no such output directory");
    assertThat(current.resolve("comparison.json")).doesNotExist();
    assertThat(current.resolve("report.html")).hasBinaryContent(page);
    assertThat(work.resolve("never")).doesNotExist();
    assertThat(FleetFiles.leftovers(current)).isEmpty();
  }

  private static final Pattern CHANGE_ROW = Pattern.compile("<tr data-change=\"(\\w+)\">");
  private static final Pattern SHOWN = Pattern.compile("<span id=\"shown\">([^<]*)</span>");

  @Test
  void comparisonSectionRendersInChromium() throws Exception {
    assumeTrue(Chromium.available(), Chromium.missing());

    String dom = Chromium.dumpDom(dir.resolve("second/report.html"), "");

    assertThat(dom).contains("<section id=\"comparison\">", "<h2>Since first</h2>");
    List<String> rows = new ArrayList<>();
    Matcher m = CHANGE_ROW.matcher(dom);
    while (m.find()) {
      rows.add(m.group(1));
    }
    assertThat(rows)
        .containsExactly("regressed", "fixed", "hw_status_changed", "still_failing", "new", "gone");
    // Written by the page's own script: the section did not break it.
    Matcher shown = SHOWN.matcher(dom);
    assertThat(shown.find()).isTrue();
    assertThat(shown.group(1)).isEqualTo("7 of 7 machines shown");
  }
}
