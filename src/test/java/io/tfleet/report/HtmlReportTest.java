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
        new MachineReport(evil, evil, evil, evil, null, evil, Verdict.FAILED, evil, null, null, evil, evil);
    String html = HtmlReport.render(new RunReport(evil, null, null, List.of(m)));

    assertThat(html).doesNotContain("<img").doesNotContain("onerror=alert(1)>");
    // Title, server, machine, job, queue, state, hw status, reason, output tail.
    assertThat(count(html, "&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;")).isEqualTo(9);
  }

  @Test
  void nothingOnThePageIsFetched() {
    String html = HtmlReport.render(Fixtures.sixMachines());

    assertThat(html).doesNotContain(" src=", "url(", "@import", "<link", "<iframe", "<object");
    assertThat(hrefs(html))
        .isNotEmpty()
        .allSatisfy(href -> assertThat(href).doesNotContain(":").doesNotStartWith("/"));
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
    assertThat(hrefs(html))
        .containsExactly(
            "201712-26047/output.txt", "202008-28130/output.txt", "202204-30011/output.txt");
    assertThat(html).contains("<span class=\"verdict cancelled\">cancelled</span>");
  }

  @Test
  void durationsReadAtAGlance() {
    assertThat(HtmlReport.duration(java.time.Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(HtmlReport.duration(java.time.Duration.ofSeconds(754))).isEqualTo("12m 34s");
    assertThat(HtmlReport.duration(java.time.Duration.ofSeconds(3725))).isEqualTo("1h 02m");
  }
}
