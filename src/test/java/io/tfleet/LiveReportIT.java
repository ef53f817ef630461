package io.tfleet;

import static io.tfleet.testing.FleetFiles.MIXED_TEMPLATE;
import static io.tfleet.testing.FleetFiles.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.Await;
import io.tfleet.testing.Chromium;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.TfleetProcess;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live report of a real run against the lab over loopback, its page in Chromium. */
class LiveReportIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final List<String> MACHINES = List.of("fail-01", "pass-01", "pass-02");

  /** The lab's states in the order a job walks them. */
  private static final List<String> LIFECYCLE =
      List.of("waiting", "running", "setup", "provision", "test", "cleanup", "complete");

  private static final Pattern LANE =
      Pattern.compile("<g class=\"tl-row\" data-machine=\"([^\"]+)\"[^>]*>(.*?)</g>");
  private static final Pattern BAR =
      Pattern.compile("<rect class=\"ph ph-\\w+\"[^>]*><title>[^:]+: ([a-z_ ]+),");

  @TempDir Path dir;

  @Test
  void reportIsLiveWhileTheRunGoesAndDrawsEveryMachinesTimelineAfter() throws Exception {
    assumeTrue(Chromium.available(), Chromium.missing());
    FleetFiles.machines(dir, MACHINES);
    // Every test waits for the gate, opened once a live page was seen: however slow the machine,
    // the run cannot end before the test has looked at its live report.
    Path gate = dir.resolve("gate");
    FleetFiles.template(
        dir,
        MIXED_TEMPLATE.replace(
            "  test_cmds: |\n",
            "  test_cmds: |\n    while [ ! -f " + gate + " ]; do sleep 0.05; done\n"));
    Path out = dir.resolve("job_outputs");
    Path page = out.resolve("report.html");

    // Phases long enough for several live pages (at least 3 s apart) before the jobs end.
    LabConfig config =
        LabConfig.defaults().withPhaseTime(Duration.ofSeconds(2)).withQueues(Set.copyOf(MACHINES));
    try (Lab lab = Lab.start(config)) {
      InProcess.Started tfleet =
          InProcess.start(
              dir,
              Map.of(),
              "--server",
              lab.url().toString(),
              "--poll-interval",
              "0.2",
              "--no-preflight");

      Await.until(
          "the start of the run to say where the report is",
          LIMIT,
          () -> tfleet.errSoFar().contains("report: job_outputs/report.html (live"));
      // A page rewritten during the run: it draws states the jobs were seen in. summary.json is
      // written just before report.html, so while the page is live, so is it.
      Await.until(
          "a live page drawing the states seen so far, and a live summary.json",
          LIMIT,
          () ->
              read(page)
                      .map(
                          html ->
                              html.contains("http-equiv=\"refresh\"")
                                  && html.contains("<rect class=\"ph ph-"))
                      .orElse(false)
                  && read(out.resolve("summary.json"))
                      .map(json -> json.contains("\"live\" : true"))
                      .orElse(false));
      Path livePage =
          Files.copy(page, dir.resolve("live.html"), StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(gate, "");
      String liveDom = Chromium.dumpDom(livePage, "");
      assertThat(liveDom)
          .contains(
              "<meta http-equiv=\"refresh\" content=\"5\">",
              "<b>Live</b>",
              "the run is still going");
      assertThat(liveDom).contains("3 of 3 machines shown");

      TfleetProcess.Result run = tfleet.await(LIMIT);
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);

      String html = Files.readString(page);
      assertThat(html).doesNotContain("http-equiv=\"refresh\"", "<b>Live</b>");
      JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
      assertThat(summary.has("live")).isFalse();

      Map<String, List<String>> lanes = lanes(Chromium.dumpDom(page, ""));
      assertThat(lanes.keySet()).containsExactly("fail-01", "pass-01", "pass-02");
      for (String machine : MACHINES) {
        List<String> states = lanes.get(machine);
        assertThat(states).as(machine).contains("setup", "provision", "test", "cleanup");
        assertInLifecycleOrder(machine, states);
        List<String> recorded = new ArrayList<>();
        new ObjectMapper()
            .readTree(out.resolve(machine).resolve("states.json").toFile())
            .forEach(s -> recorded.add(s.path("state").asText()));
        assertInLifecycleOrder(machine, recorded);
        assertThat(recorded).as(machine).endsWith("cleanup", "complete");
      }

      Path png = dir.resolve("report.png");
      Chromium.screenshot(page, 1000, 1400, png);
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image).as("a PNG at %s", png).isNotNull();
      Set<Integer> colours = new HashSet<>();
      for (int y = 0; y < image.getHeight(); y += 3) {
        for (int x = 0; x < image.getWidth(); x += 3) {
          colours.add(image.getRGB(x, y));
        }
      }
      assertThat(colours.size()).isGreaterThan(20);
      String keep = System.getProperty("tfleet.screenshotDir");
      if (keep != null) {
        Files.createDirectories(Path.of(keep));
        Files.copy(png, Path.of(keep, "live-run.png"), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static void assertInLifecycleOrder(String machine, List<String> states) {
    int last = -1;
    for (String state : states) {
      int at = LIFECYCLE.indexOf(state);
      assertThat(at)
          .as(
              "%s: %s after %s in %s",
              machine, state, last < 0 ? "nothing" : LIFECYCLE.get(last), states)
          .isGreaterThan(last);
      last = at;
    }
  }

  /** The timeline's rows: machine to the states of its bars, left to right. */
  private static Map<String, List<String>> lanes(String dom) {
    Map<String, List<String>> lanes = new java.util.LinkedHashMap<>();
    Matcher m = LANE.matcher(dom);
    while (m.find()) {
      List<String> states = new ArrayList<>();
      Matcher bar = BAR.matcher(m.group(2));
      while (bar.find()) {
        states.add(bar.group(1));
      }
      lanes.put(m.group(1), states);
    }
    return lanes;
  }
}
