package io.tfleet.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
  private static final Pattern HREF = Pattern.compile("\\bhref=\"([^\"]*)\"");

  private static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static List<String> hrefs(String html) {
    List<String> found = new ArrayList<>();
    Matcher m = HREF.matcher(html);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  @Test
  void machineOutputIsEscaped() {
    String html = HtmlReport.render(Fixtures.sixMachines());

    // The page's own script is the only one.
    assertThat(count(html.toLowerCase(), "<script")).isEqualTo(1);
    assertThat(html)
        .contains("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;")
        .contains("Running suite &lt;all&gt; &amp; &quot;friends&quot;")
        .contains("]]&gt; ends a CDATA section")
        .contains("üñîçødé ✓ 日本語 😀")
        .doesNotContain("\u0007", "\u001b", "\u0000");
  }

  @Test
  void everyTextFieldIsEscaped() {
    String evil = "<img src=x onerror=alert(1)>\"'&";
    MachineReport m =
        MachineReport.builder(evil, Verdict.FAILED)
            .jobId(evil)
            .queue(evil)
            .state(evil)
            .hwStatus(evil)
            .reason(evil)
            .outputTail(evil)
            .outputFile(evil)
            .build();
    String html = HtmlReport.render(new RunReport(evil, null, null, List.of(m)));

    assertThat(html).doesNotContain("<img").doesNotContain("onerror=alert(1)>");
    // Title, server, machine, job, queue, state, hw status (table and chart), reason, output tail,
    // the output file's link.
    assertThat(count(html, "&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;")).isEqualTo(11);
  }

  @Test
  void nothingOnThePageIsFetched() {
    String html = HtmlReport.render(Fixtures.sixMachines());

    assertThat(html).doesNotContain(" src=", "url(", "@import", "<link", "<iframe", "<object");
    // Links lead to the machine's files beside the page, or to its job on the run's own server.
    assertThat(hrefs(html))
        .isNotEmpty()
        .allSatisfy(
            href ->
                assertThat(
                        href.startsWith("https://testflinger.example.com/jobs/")
                            || !href.contains(":") && !href.startsWith("/"))
                    .as(href)
                    .isTrue());
    // Also enforced by the browser, in case escaping ever failed.
    assertThat(html).contains("content=\"default-src 'none'; ");
  }

  @Test
  void outputLinksAreRelativeWhateverThePath() {
    assertThat(HtmlReport.href("202101-28595/output.txt")).isEqualTo("202101-28595/output.txt");
    assertThat(HtmlReport.href("a b/#?%.txt")).isEqualTo("a%20b/%23%3F%25.txt");
    assertThat(HtmlReport.href("https://evil.example/x")).isEqualTo("https%3A/evil.example/x");
    assertThat(HtmlReport.href("//evil.example/x")).isEqualTo("evil.example/x");
    assertThat(HtmlReport.href("javascript:alert(1)")).isEqualTo("javascript%3Aalert%281%29");
    assertThat(HtmlReport.href(null)).isNull();
  }

  @Test
  void tableHasARowPerMachineWithItsVerdictAndALinkWhereThereIsOutput() {
    String html = HtmlReport.render(Fixtures.sixMachines());

    assertThat(count(html, "<tr data-verdict=")).isEqualTo(6);
    assertThat(count(html, "<tr data-verdict=\"failed\"")).isEqualTo(2);
    assertThat(hrefs(html).stream().filter(href -> !href.contains("/jobs/")))
        .containsExactly(
            "202008-28130/output.txt", "202204-30011/output.txt", "201712-26047/output.txt");
    assertThat(html).contains("<span class=\"verdict cancelled\">cancelled</span>");
  }

  @Test
  void failuresComeFirstWorstFirst() {
    String html = HtmlReport.render(Fixtures.sixMachines());

    List<String> order = new ArrayList<>();
    Matcher m =
        Pattern.compile("<tr data-verdict=\"\\w+\"><td class=\"mono id\">([^<]*)</td>")
            .matcher(html);
    while (m.find()) {
      order.add(m.group(1));
    }
    assertThat(order)
        .containsExactly(
            "202008-28130",
            "202204-30011",
            "202101-28595",
            "202012-28526",
            "202103-28713",
            "201712-26047");
  }

  @Test
  void everyFileOfAMachineAndItsJobOnTheServerAreLinked() {
    String html = HtmlReport.render(Fixtures.observed(3, /* live= */ false));

    assertThat(hrefs(html))
        .contains(
            "obs-0000/output.txt",
            "obs-0000/test_output.txt",
            "obs-0000/result.json",
            "obs-0000/job.yaml",
            "https://testflinger.example.com/jobs/0f0e0d0c-0000-4000-8000-000000000000");
  }

  @Test
  void jobLinksGoOnlyToAnHttpServer() {
    assertThat(HtmlReport.jobsUrl("https://testflinger.example.com/"))
        .isEqualTo("https://testflinger.example.com/jobs/");
    assertThat(HtmlReport.jobsUrl("http://127.0.0.1:8000"))
        .isEqualTo("http://127.0.0.1:8000/jobs/");
    assertThat(HtmlReport.jobsUrl("javascript:alert(1)")).isNull();
    assertThat(HtmlReport.jobsUrl("file:///etc")).isNull();
    assertThat(HtmlReport.jobsUrl("https://x.example/?a=\"b")).isNull();
    assertThat(HtmlReport.jobsUrl(null)).isNull();
  }

  @Test
  void aLivePageSaysSoAndReloadsItselfAndAFinishedOneDoesNot() {
    String live = HtmlReport.render(Fixtures.observed(3, /* live= */ true));
    String done = HtmlReport.render(Fixtures.observed(3, /* live= */ false));

    assertThat(live)
        .contains("<meta http-equiv=\"refresh\" content=\"5\">", "<p id=\"live\" class=\"live\">");
    assertThat(done).doesNotContain("http-equiv=\"refresh\"", "id=\"live\"");
  }

  @Test
  void durationsReadAtAGlance() {
    assertThat(HtmlReport.duration(java.time.Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(HtmlReport.duration(java.time.Duration.ofSeconds(754))).isEqualTo("12m 34s");
    assertThat(HtmlReport.duration(java.time.Duration.ofSeconds(3725))).isEqualTo("1h 02m");
  }

  @Test
  void aVerdictCarriesItsCauseOrTheAttemptItPassedOn() {
    String html = HtmlReport.render(Fixtures.retries());

    assertThat(html)
        .contains(
            "<span class=\"verdict error\">error</span> <span class=\"cause infrastructure\">lab"
                + " trouble</span>")
        .contains(
            "<span class=\"verdict passed\">passed</span> <span class=\"cause later\">attempt"
                + " 2</span>")
        .contains(
            "<div class=\"attempts\">passed on attempt 2: provision phase exited 1 once</div>")
        .contains("<a href=\"lab-then-passed/attempt-1/\" title=\"lab-then-passed/attempt-1\">")
        .contains(
            "1 machine of the 2 that did not pass had lab trouble (a phase before the test failed,"
                + " the job was lost or refused): no test failed there. 2 machines passed only on a"
                + " later attempt.");
    assertThat(html).doesNotContain("data-key=\"rate\"");
  }

  @Test
  void theTimelineDrawsEveryEarlierAttemptAsASegmentOfItsRow() {
    String html = HtmlReport.render(Fixtures.retries());

    assertThat(count(html, "<rect class=\"tl-attempt ")).isEqualTo(5);
    assertThat(html)
        .contains(
            "<rect class=\"tl-attempt a-infrastructure\"",
            "lab-every-time: attempt 2 of 3, failed (provision phase exited 1), 10:16:40 → 10:21:40"
                + " UTC (5m 00s)</title>",
            "<rect class=\"tl-attempt a-test\"",
            "earlier attempt (passed, test failed, lab trouble)");
    // One row per machine still: the page's script moves rows by machine.
    assertThat(count(html, "<g class=\"tl-row\"")).isEqualTo(5);
  }

  @Test
  void aRepeatRunHasAPassRateColumnAndEveryAttemptOnItsRow() {
    String html = HtmlReport.render(Fixtures.repeat());

    assertThat(html)
        .contains("<th data-key=\"rate\" data-type=\"number\"><button type=\"button\">Pass rate")
        .contains("<td class=\"num\" data-sort=\"0.6000\">3/5</td>")
        .contains("<div class=\"attempts\">3/5 passed; failed 2, 4</div>")
        .contains("Each machine ran its job 5 times: 12/14 attempts passed")
        .contains("<rect class=\"tl-attempt a-passed\"");
    assertThat(count(html, "<rect class=\"tl-attempt ")).isEqualTo(12);
  }

  @Test
  void aRunOfSingleAttemptsLooksAsBefore() {
    String html = HtmlReport.render(Fixtures.observed(20, false));

    assertThat(html)
        .doesNotContain(
            "<rect class=\"tl-attempt",
            "swatch tl-attempt",
            "data-key=\"rate\"",
            "id=\"attempts-note\"",
            "class=\"attempts\"");
  }

  @Test
  void attemptReasonsAndFoldersAreEscaped() {
    String evil = "<img src=x onerror=alert(1)>\"'&";
    MachineReport m =
        MachineReport.builder("m1", Verdict.PASSED)
            .submittedAt(Fixtures.at(100))
            .finishedAt(Fixtures.at(200))
            .attempts(
                List.of(
                    new AttemptReport(
                        1,
                        "j1",
                        Verdict.FAILED,
                        Cause.INFRASTRUCTURE,
                        evil,
                        Fixtures.at(1),
                        Fixtures.at(50),
                        evil),
                    new AttemptReport(
                        2,
                        "j2",
                        Verdict.PASSED,
                        null,
                        null,
                        Fixtures.at(100),
                        Fixtures.at(200),
                        null)))
            .build();
    String html = HtmlReport.render(Fixtures.run(List.of(m)));

    assertThat(html).doesNotContain("<img").doesNotContain("onerror=alert(1)>");
    // The story under the reason, the folder link's title, the timeline segment's title.
    assertThat(count(html, "&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;")).isEqualTo(3);
    assertThat(hrefs(html)).allSatisfy(href -> assertThat(href).doesNotContain(":", "<", "\""));
  }
}
