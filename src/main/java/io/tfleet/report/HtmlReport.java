package io.tfleet.report;

import io.tfleet.store.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Writes {@code report.html}: one self-contained page with the totals and a sortable, filterable
 * table of machines, that opens from disk with no network at all.
 */
public final class HtmlReport {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private static final String CSS = resource("report.css");

  /**
   * Sorting, filtering and the {@code #verdict=failed&q=text&sort=-duration} fragment, which makes
   * a filtered view a link one can send (and lets a headless browser test the page).
   */
  private static final String JS = resource("report.js");

  /**
   * Nothing may be fetched, and only this page's own style and script may run: even if escaping
   * ever failed, machine output could neither load nor run anything.
   */
  private static final String CSP =
      "default-src 'none'; style-src '"
          + sha256(CSS)
          + "' '"
          + sha256(ComparisonHtml.CSS)
          + "'; script-src '"
          + sha256(JS)
          + "'; img-src data:; base-uri 'none'; form-action 'none'";

  /** Columns: key (for sorting and the fragment), title, numeric. */
  private static final String[][] COLUMNS = {
    {"machine", "Machine", ""},
    {"job", "Job ID", ""},
    {"queue", "Queue", ""},
    {"state", "State", ""},
    {"test", "Test exit", "number"},
    {"hw", "HW status", ""},
    {"verdict", "Verdict", ""},
    {"reason", "Reason", ""},
    {"duration", "Duration", "number"},
  };

  private HtmlReport() {}

  /** A file shipped beside this class; its text goes into every page, so the page needs nothing else. */
  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from this build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code report} to {@code file} atomically; links to each machine's output are relative,
   * so the page belongs in the output tree's top folder.
   *
   */
  public static void write(RunReport report, Path file) throws IOException {
    AtomicFiles.write(file, render(report));
  }

  /** Writes {@code report} to {@code file} atomically, with a section for {@code comparison} (if not null). */
  public static void write(RunReport report, Comparison comparison, Path file) throws IOException {
    AtomicFiles.write(file, render(report, comparison));
  }

  static String render(RunReport report) {
    return render(report, null);
  }

  static String render(RunReport report, Comparison comparison) {
    Totals totals = Totals.of(report.machines());
    StringBuilder h = new StringBuilder(8192 + report.machines().size() * 512);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">\n");
    h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.append("<title>tfleet run");
    if (report.server() != null) {
      h.append(" on ").append(escape(report.server()));
    }
    h.append("</title>\n<style>").append(CSS).append("</style>\n");
    if (comparison != null) {
      h.append("<style>").append(ComparisonHtml.CSS).append("</style>\n");
    }
    h.append("</head>\n<body>\n");

    h.append("<h1>tfleet run</h1>\n<p class=\"meta\">Server <code>")
        .append(orDash(report.server()))
        .append("</code> &middot; started ")
        .append(when(report.startedAt()))
        .append(" &middot; finished ")
        .append(when(report.finishedAt()));
    Duration wall = Facts.duration(report);
    if (wall != null) {
      h.append(" &middot; took ").append(duration(wall));
    }
    h.append("</p>\n");
    if (comparison != null) {
      ComparisonHtml.section(h, comparison);
    }

    h.append("<div class=\"totals\">\n");
    h.append("<button type=\"button\" class=\"total\" data-verdict=\"\"><b>")
        .append(totals.machines())
        .append("</b>machines</button>\n");
    for (Verdict v : Verdict.values()) {
      h.append("<button type=\"button\" class=\"total ")
          .append(v.key())
          .append("\" data-verdict=\"")
          .append(v.key())
          .append("\"><b>")
          .append(totals.count(v))
          .append("</b>")
          .append(v.label())
          .append("</button>\n");
    }
    h.append("</div>\n");

    h.append("<div class=\"controls\">\n");
    h.append(
        "<input id=\"filter\" type=\"search\" placeholder=\"Filter by machine, job, reason, output…\" aria-label=\"Filter\">\n");
    h.append("<select id=\"verdict\" aria-label=\"Verdict\">\n<option value=\"\">all verdicts</option>\n");
    for (Verdict v : Verdict.values()) {
      h.append("<option value=\"").append(v.key()).append("\">").append(v.label()).append("</option>\n");
    }
    h.append("</select>\n<span id=\"shown\">")
        .append(totals.machines())
        .append(" machines</span>\n</div>\n");

    h.append("<table id=\"machines\">\n<thead><tr>");
    for (String[] c : COLUMNS) {
      h.append("<th data-key=\"").append(c[0]).append('"');
      if (!c[2].isEmpty()) {
        h.append(" data-type=\"").append(c[2]).append('"');
      }
      h.append("><button type=\"button\">").append(c[1]).append("</button></th>");
    }
    h.append("<th>Output</th></tr></thead>\n<tbody>\n");
    for (MachineReport m : report.machines()) {
      row(h, m);
    }
    h.append("</tbody>\n</table>\n<script>").append(JS).append("</script>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void row(StringBuilder h, MachineReport m) {
    Integer test = Facts.testStatus(m);
    Duration d = Facts.duration(m);
    h.append("<tr data-verdict=\"").append(m.verdict().key()).append("\">");
    h.append("<td class=\"mono id\">").append(escape(m.machine())).append("</td>");
    h.append("<td class=\"mono\">").append(orDash(m.jobId())).append("</td>");
    h.append("<td class=\"id\">").append(orDash(m.queue())).append("</td>");
    h.append("<td>").append(orDash(m.state())).append("</td>");
    h.append("<td class=\"num\" data-sort=\"")
        .append(test == null ? "" : test)
        .append("\">")
        .append(test == null ? "<span class=\"none\">-</span>" : test)
        .append("</td>");
    h.append("<td>").append(orDash(m.hwStatus())).append("</td>");
    h.append("<td><span class=\"verdict ")
        .append(m.verdict().key())
        .append("\">")
        .append(m.verdict().label())
        .append("</span></td>");
    h.append("<td class=\"reason\">").append(m.reason() == null ? "" : escape(Text.oneLine(m.reason())));
    String tail = Text.tail(m.outputTail());
    if (tail != null && m.verdict() != Verdict.PASSED) {
      h.append("<details><summary>last lines of output</summary><pre>")
          .append(escape(tail))
          .append("</pre></details>");
    }
    h.append("</td>");
    h.append("<td class=\"num\" data-sort=\"")
        .append(d == null ? "" : d.toMillis())
        .append("\">")
        .append(d == null ? "<span class=\"none\">-</span>" : duration(d))
        .append("</td>");
    String href = href(m.outputFile());
    h.append("<td>");
    if (href != null) {
      h.append("<a href=\"").append(href).append("\">output.txt</a>");
    }
    h.append("</td></tr>\n");
  }

  /**
   * Returns {@code outputFile} as a relative URL: every segment percent-encoded, so no part of it
   * (a colon, a leading {@code //}) can turn it into a link to somewhere else; null for null.
   */
  static String href(String outputFile) {
    if (outputFile == null || outputFile.isBlank()) {
      return null;
    }
    StringJoiner path = new StringJoiner("/");
    for (String segment : outputFile.replace('\\', '/').split("/")) {
      if (!segment.isEmpty()) {
        path.add(URLEncoder.encode(Text.clean(segment), StandardCharsets.UTF_8).replace("+", "%20"));
      }
    }
    return path.length() == 0 ? null : path.toString();
  }

  /** Escapes text for element content and quoted attributes, after dropping control characters. */
  static String escape(String s) {
    String clean = Text.clean(s);
    StringBuilder out = new StringBuilder(clean.length() + 16);
    for (int i = 0; i < clean.length(); i++) {
      char c = clean.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String orDash(String s) {
    return s == null || s.isEmpty() ? "<span class=\"none\">-</span>" : escape(Text.oneLine(s));
  }

  private static String when(Instant t) {
    return t == null ? "<span class=\"none\">-</span>" : WHEN.format(t);
  }

  /** {@code 45s}, {@code 12m 34s}, {@code 1h 02m}: precise enough to compare machines at a glance. */
  static String duration(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m " + String.format(Locale.ROOT, "%02ds", s % 60);
    }
    return (s / 3600) + "h " + String.format(Locale.ROOT, "%02dm", (s % 3600) / 60);
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }
}
