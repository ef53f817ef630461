package io.tfleet.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tfleet.testing.Chromium;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html in a real headless Chromium: the page's script runs under its own content security
 * policy, and filtering and sorting work. Skipped where Chromium is not installed.
 */
class HtmlReportBrowserTest {
  /** A table row as Chromium serialises it, after the page's script may have hidden it. */
  private static final Pattern ROW =
      Pattern.compile(
          "<tr data-verdict=\"(\\w+)\"( hidden=\"\")?><td class=\"mono id\">([^<]*)</td>");

  private static final Pattern SHOWN = Pattern.compile("<span id=\"shown\">([^<]*)</span>");

  @TempDir Path dir;
  private Path page;

  // Per test rather than per class, so that every skipped test is counted and shows the message.
  @BeforeEach
  void writeReport() throws IOException {
    assumeTrue(Chromium.available(), Chromium.missing());
    page = dir.resolve("out/report.html");
    Reports.writeAll(Fixtures.sixMachines(), page.getParent());
  }

  private record Row(String machine, String verdict, boolean hidden) {}

  private static List<Row> rows(String dom) {
    List<Row> rows = new ArrayList<>();
    Matcher m = ROW.matcher(dom);
    while (m.find()) {
      rows.add(new Row(m.group(3), m.group(1), m.group(2) != null));
    }
    return rows;
  }

  private static List<String> visible(List<Row> rows) {
    return rows.stream().filter(r -> !r.hidden()).map(Row::machine).toList();
  }

  private static String shown(String dom) {
    Matcher m = SHOWN.matcher(dom);
    assertThat(m.find()).as("#shown in the DOM").isTrue();
    return m.group(1);
  }

  /** Returns the DOM of the page at {@code fragment} after its scripts ran. */
  private String dumpDom(String fragment) throws Exception {
    return Chromium.dumpDom(page, fragment);
  }

  @Test
  void everyMachineIsARowOnceTheScriptRan() throws Exception {
    String dom = dumpDom("");

    assertThat(rows(dom)).hasSize(6).noneMatch(Row::hidden);
    // Written by the script: proves the content security policy let it run.
    assertThat(shown(dom)).isEqualTo("6 of 6 machines shown");
  }

  @Test
  void verdictInTheFragmentFiltersTheTable() throws Exception {
    String dom = dumpDom("#verdict=failed");

    assertThat(rows(dom)).hasSize(6);
    assertThat(visible(rows(dom))).containsExactly("202008-28130", "202204-30011");
    assertThat(rows(dom)).filteredOn(Row::hidden).allMatch(r -> !r.verdict().equals("failed"));
    assertThat(shown(dom)).isEqualTo("2 of 6 machines shown");
    assertThat(dom).contains("<option value=\"failed\">failed</option>");
  }

  @Test
  void textFilterNarrowsTheVerdictFilter() throws Exception {
    String dom = dumpDom("#verdict=failed&q=provision");

    assertThat(visible(rows(dom))).containsExactly("202204-30011");
    assertThat(shown(dom)).isEqualTo("1 of 6 machines shown");
  }

  @Test
  void sortInTheFragmentOrdersRowsWithUnknownValuesLast() throws Exception {
    String dom = dumpDom("#sort=-duration");

    assertThat(visible(rows(dom)))
        .containsExactly(
            "202101-28595",
            "202008-28130",
            "201712-26047",
            "202204-30011",
            "202012-28526",
            "202103-28713");
    assertThat(dom).contains("data-key=\"duration\" data-type=\"number\" aria-sort=\"descending\"");
  }

  /**
   * The page paints: a full-size screenshot in more than a handful of colours (the verdicts have
   * five). With {@code -Dtfleet.screenshotDir=DIR} the picture is kept there for a person to look
   * at.
   */
  @Test
  void pageRendersInColour() throws Exception {
    Path png = dir.resolve("report.png");

    Chromium.screenshot(page, 1280, 900, png);

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as("a PNG at %s", png).isNotNull();
    assertThat(image.getWidth()).isEqualTo(1280);
    assertThat(image.getHeight()).isEqualTo(900);
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
      Files.copy(png, Path.of(keep, "report.png"), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(page, Path.of(keep, "report.html"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static final Pattern LANE =
      Pattern.compile(
          "<g class=\"tl-row\" data-machine=\"([^\"]+)\" transform=\"translate\\(0,(\\d+)\\)\"( display=\"none\")?>");

  /** The timeline's rows as the script left them: machine, then its offset, or "hidden". */
  private static List<String> lanes(String dom) {
    List<String> lanes = new ArrayList<>();
    Matcher m = LANE.matcher(dom);
    while (m.find()) {
      lanes.add(m.group(1) + "@" + (m.group(3) != null ? "hidden" : m.group(2)));
    }
    return lanes;
  }

  @Test
  void timelineFollowsTheTablesFilterAndSort() throws Exception {
    HtmlReport.write(Fixtures.observed(10, /* live= */ false), page);

    String failed = dumpDom("#verdict=failed");
    assertThat(lanes(failed))
        .hasSize(10)
        .contains("obs-0003@0")
        .filteredOn(l -> !l.startsWith("obs-0003"))
        .allMatch(l -> l.endsWith("@hidden"));

    String sorted = dumpDom("#sort=-machine");
    // Rows stay where they are in the SVG; each is moved to its row's place in the sorted table.
    assertThat(lanes(sorted)).contains("obs-0009@0", "obs-0008@14", "obs-0007@28", "obs-0000@126");
    assertThat(sorted).contains("id=\"timeline\"").containsPattern("viewBox=\"0 0 900 140\"");
  }

  /**
   * A 1,000-machine page (every machine with recorded states) loads and its script runs; how long
   * Chromium took, a new tab to DOM, is printed for the record, not asserted.
   */
  @Test
  void thousandMachinePageLoads() throws Exception {
    HtmlReport.write(Fixtures.observed(1000, /* live= */ false), page);

    Chromium.start();
    long begun = System.nanoTime();
    String dom = dumpDom("#verdict=failed");
    long millis = (System.nanoTime() - begun) / 1_000_000;

    assertThat(rows(dom)).hasSize(1000);
    assertThat(shown(dom)).isEqualTo("143 of 1000 machines shown");
    assertThat(lanes(dom)).hasSize(1000);
    System.out.printf(
        "report.html, 1000 machines, %d KiB: a new tab of a running headless Chromium, opened to"
            + " the DOM after the script filtered it, in %d ms%n",
        Files.size(page) / 1024, millis);
  }

  @Test
  void livePageReloadsItselfInTheBrowser() throws Exception {
    HtmlReport.write(Fixtures.observed(10, /* live= */ true), page);

    String dom = dumpDom("");

    assertThat(dom).contains("<meta http-equiv=\"refresh\" content=\"5\">").contains("<b>Live</b>");
    assertThat(shown(dom)).isEqualTo("10 of 10 machines shown");
  }
}
