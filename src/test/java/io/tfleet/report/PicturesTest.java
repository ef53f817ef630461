package io.tfleet.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PicturesTest {
  private static final Pattern LANE =
      Pattern.compile("<g class=\"tl-row\" data-machine=\"([^\"]+)\"[^>]*>(.*?)</g>");
  private static final Pattern BAR = Pattern.compile("<rect class=\"ph ph-(\\w+)\"");

  /** The timeline's rows, in page order: machine, then the phases of its bars in order. */
  static List<List<String>> lanes(String html) {
    List<List<String>> lanes = new ArrayList<>();
    Matcher m = LANE.matcher(html);
    while (m.find()) {
      List<String> lane = new ArrayList<>();
      lane.add(m.group(1));
      Matcher bar = BAR.matcher(m.group(2));
      while (bar.find()) {
        lane.add(bar.group(1));
      }
      lanes.add(lane);
    }
    return lanes;
  }

  @Test
  void numbersAreWrittenAsFormattingThemToOneDecimalWrites() {
    List<Double> values =
        new ArrayList<>(
            List.of(0.0, -0.0, 0.25, 0.35, 0.15, 1.05, -0.25, -0.04, -0.05, 899.95, 1e-9, 1e12));
    Random random = new Random(11);
    for (int i = 0; i < 20_000; i++) {
      values.add((random.nextDouble() - 0.2) * 1200);
      values.add(random.nextInt(20_000) / 20.0 - 100);
    }
    for (double v : values) {
      assertThat(Pictures.num(v)).as("%s", v).isEqualTo(String.format(Locale.ROOT, "%.1f", v));
    }
  }

  @Test
  void timelineHasARowPerMachineFailuresFirstWithPeriodsInLifecycleOrder() {
    String html = HtmlReport.render(Fixtures.observed(20, /* live= */ false));

    List<List<String>> lanes = lanes(html);
    assertThat(lanes).hasSize(20);
    // obs-0003, 0010 and 0017 fail their test.
    assertThat(lanes.subList(0, 3))
        .extracting(l -> l.get(0))
        .containsExactly("obs-0003", "obs-0010", "obs-0017");
    assertThat(lanes)
        .allSatisfy(
            l ->
                assertThat(l.subList(1, l.size()))
                    .containsExactly("waiting", "setup", "provision", "test", "cleanup"));
    assertThat(html).contains("<title>obs-0003: test, 10:").contains("obs-0003: seen complete at");
  }

  @Test
  void aLiveRunsPeriodsStillGoingRunToWhenThePageWasWritten() {
    String html = HtmlReport.render(Fixtures.observed(20, /* live= */ true));

    assertThat(lanes(html))
        .filteredOn(l -> l.get(0).equals("obs-0019"))
        .singleElement()
        .satisfies(
            l ->
                assertThat(l.subList(1, l.size()))
                    .containsExactly("waiting", "setup", "provision", "test"));
    assertThat(html).contains("obs-0019: test, ").contains("still test at 10:25:00 UTC");
  }

  @Test
  void whereTimeWentGivesEachPhasesSpreadAndSlowestMachines() {
    String html = HtmlReport.render(Fixtures.observed(20, /* live= */ false));

    // Provision lasts 200 s + (i % 11) * 15 s: 200 s to 350 s over machines 0..19.
    assertThat(html)
        .containsPattern(
            "provision</td><td class=\"num\">20</td><td class=\"num\">3m 20s</td><td class=\"num\">[^<]+</td>"
                + "<td class=\"num\">[^<]+</td><td class=\"num\">5m 50s</td>");
    assertThat(html).contains("<span class=\"mono\">obs-0010</span> 5m 50s");
  }

  @Test
  void nearestRankPercentiles() {
    assertThat(TimeWentChart.rank(1, 50)).isZero();
    assertThat(TimeWentChart.rank(1, 90)).isZero();
    assertThat(TimeWentChart.rank(10, 50)).isEqualTo(4);
    assertThat(TimeWentChart.rank(10, 90)).isEqualTo(8);
    assertThat(TimeWentChart.rank(1000, 90)).isEqualTo(899);
  }

  @Test
  void aTreeWithoutRecordedStatesSaysWhatThePicturesLack() {
    String html = HtmlReport.render(Fixtures.sixMachines());

    assertThat(lanes(html)).hasSize(6);
    assertThat(lanes(html)).flatExtracting(l -> l.subList(1, l.size())).containsOnly("unrecorded");
    assertThat(html)
        .contains("5 machines have no recorded states</b>")
        .contains(
            "Nothing to measure: no machine has a finished period in recorded states (a tree written before");
  }

  @Test
  void hwStatusCountsAreBarsBesideTheVerdicts() {
    String html = HtmlReport.render(Fixtures.observed(20, /* live= */ false));

    // 20 machines: 3 fail (Not Seen); of the 17 others, i % 5 == 0 (0, 5, 15) are Unknown.
    assertThat(html)
        .contains(
            "<title>Certified: 14</title>",
            "<title>Unknown: 3</title>",
            "<title>Not Seen: 3</title>");
    assertThat(html.indexOf("<title>Certified: 14")).isLessThan(html.indexOf("<title>Not Seen: 3"));
  }
}
