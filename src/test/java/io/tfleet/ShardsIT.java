package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CI matrix: three shards running at once, merged, add up to one run of every machine. */
class ShardsIT {
  private static final Duration LIMIT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void threeShardsMergedReportWhatOneRunOfEveryMachineReports() throws Exception {
    List<String> machines = new ArrayList<>(FleetFiles.ids("pass-", 14));
    machines.addAll(FleetFiles.ids("fail-", 4));
    FleetFiles.machines(dir, machines);
    FleetFiles.template(dir, FleetFiles.MIXED_TEMPLATE);

    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ofMillis(20)))) {
      String url = lab.url().toString();
      List<InProcess.Started> shards = new ArrayList<>();
      for (int k = 1; k <= 3; k++) {
        shards.add(
            InProcess.start(
                dir,
                Map.of(),
                "run",
                "--server",
                url,
                "--shard",
                k + "/3",
                "--output-dir",
                "shard-" + k,
                "--poll-interval",
                "0.2"));
      }
      for (InProcess.Started shard : shards) {
        TfleetProcess.Result result = shard.await(LIMIT);
        assertThat(result.exitCode()).as(result.toString()).isIn(0, 1);
      }
      TfleetProcess.Result single =
          InProcess.run(
              dir,
              LIMIT,
              "run",
              "--server",
              url,
              "--output-dir",
              "single",
              "--poll-interval",
              "0.2");
      assertThat(single.exitCode()).as(single.toString()).isEqualTo(1);

      TfleetProcess.Result merged =
          InProcess.run(
              dir, LIMIT, "merge", "shard-1", "shard-2", "shard-3", "--output-dir", "merged");

      assertThat(merged.exitCode()).as(merged.toString()).isEqualTo(single.exitCode());
      assertThat(lab.stats().jobsCreated()).isEqualTo(2 * machines.size());
    }

    // The shards split the file exactly once.
    Set<String> seen = new HashSet<>();
    for (int k = 1; k <= 3; k++) {
      RunManifest manifest = RunManifest.read(dir.resolve("shard-" + k)).orElseThrow();
      assertThat(manifest.shard()).isEqualTo(k + "/3");
      for (String m : manifest.machines()) {
        assertThat(seen.add(m)).as(m + " in two shards").isTrue();
      }
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(machines);

    Path single = dir.resolve("single");
    Path merged = dir.resolve("merged");
    JsonNode one = JSON.readTree(single.resolve("summary.json").toFile());
    JsonNode all = JSON.readTree(merged.resolve("summary.json").toFile());
    assertThat(all.get("totals")).isEqualTo(one.get("totals"));
    assertThat(all.at("/totals/machines").asInt()).isEqualTo(18);
    assertThat(all.at("/totals/failed").asInt()).isEqualTo(4);
    assertThat(all.get("server")).isEqualTo(one.get("server"));
    assertThat(content(all)).isEqualTo(content(one));

    String junitOne = Files.readString(single.resolve("junit.xml"));
    String junitAll = Files.readString(merged.resolve("junit.xml"));
    assertThat(suiteCounts(junitAll))
        .isEqualTo(suiteCounts(junitOne))
        .contains("tests=\"18\"", "failures=\"4\"");
    assertThat(testcases(junitAll)).isEqualTo(testcases(junitOne)).hasSize(18);

    // Every link of the merged page and summary leads to a file of the merged tree, but those to
    // the jobs on the server.
    List<String> links =
        links(Files.readString(merged.resolve("report.html")), "href=\"([^\"]+)\"");
    assertThat(links)
        .filteredOn(l -> l.matches("http://127\\.0\\.0\\.1:\\d+/jobs/[0-9a-f-]{36}"))
        .hasSize(18);
    links.removeIf(l -> l.startsWith("http"));
    assertThat(links).filteredOn(l -> l.endsWith("/output.txt")).hasSize(18);
    links.addAll(links(Files.readString(merged.resolve("summary.md")), "\\]\\(([^)]+)\\)"));
    for (String link : links) {
      assertThat(merged.resolve(link)).as(link).isRegularFile();
    }
    // The same summary, but for the line with the run's times.
    assertThat(withoutTimes(Files.readString(merged.resolve("summary.md"))))
        .startsWith("## tfleet: 4 of 18 machines did not pass\n")
        .isEqualTo(withoutTimes(Files.readString(single.resolve("summary.md"))));
  }

  /** Each machine's entry without what differs between two runs of it: job ids and times. */
  private static Map<String, String> content(JsonNode summary) {
    Map<String, String> byMachine = new TreeMap<>();
    for (JsonNode m : summary.get("machines")) {
      byMachine.put(
          m.get("machine").asText(),
          String.join(
              " | ",
              m.get("verdict").asText(),
              m.get("state").asText(),
              m.get("queue").asText(),
              m.get("test_status").asText(),
              m.get("hw_status").asText(),
              m.get("reason").asText(),
              m.get("phase_statuses").toString()));
    }
    return byMachine;
  }

  private static String withoutTimes(String summaryMd) {
    return summaryMd.replaceFirst("(?m)^Server .*$", "Server");
  }

  private static String suiteCounts(String junit) {
    Matcher suite =
        Pattern.compile(
                "<testsuite name=\"tfleet\" (tests=\"\\d+\" failures=\"\\d+\" errors=\"\\d+\""
                    + " skipped=\"\\d+\")")
            .matcher(junit);
    assertThat(suite.find()).as(junit).isTrue();
    return suite.group(1);
  }

  private static Set<String> testcases(String junit) {
    return new HashSet<>(links(junit, "<testcase classname=\"[^\"]*\" name=\"([^\"]+)\""));
  }

  private static List<String> links(String text, String regex) {
    List<String> found = new ArrayList<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }
}
