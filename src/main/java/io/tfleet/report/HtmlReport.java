package io.tfleet.report;

import io.tfleet.store.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Writes {@code report.html}: one self-contained page with the totals, a sortable, filterable table
 * of machines (failures first) and pictures of the run drawn inline ({@link Pictures}), that opens
 * from disk with no network at all. While the run goes the page is marked live and reloads itself.
 */
public final class HtmlReport {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private static final String CSS = resource("report.css");

  /**
   * How often a live page reloads itself: often enough to follow a run, rarely enough to read it.
   */
  static final int LIVE_RELOAD_SECONDS = 5;

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

  private HtmlReport() {}

  /**
   * A file shipped beside this class; its text goes into every page, so the page needs nothing
   * else.
   */
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
   */
  public static void write(RunReport report, Path file) throws IOException {
    AtomicFiles.write(file, render(report));
  }

  /**
   * Writes {@code report} to {@code file} atomically, with a section for {@code comparison} (if not
   * null).
   */
  public static void write(RunReport report, Comparison comparison, Path file) throws IOException {
    AtomicFiles.write(file, render(report, comparison));
  }

  static String render(RunReport report) {
    return render(report, null);
  }

  /** The page, with a section for {@code comparison} after the header when there is one. */
  static String render(RunReport report, Comparison comparison) {
    List<MachineReport> machines = new ArrayList<>(report.machines());
    machines.sort(Facts.WORST_FIRST);
    StringBuilder h = new StringBuilder(16384 + machines.size() * 2048);
    head(h, report, comparison != null);
    header(h, report);
    if (comparison != null) {
      ComparisonHtml.section(h, comparison);
    }
    overview(h, report);
    Periods periods = Periods.of(report, machines);
    Pictures.shape(h, periods);
    TimeWentChart.timeWent(h, periods);
    h.append("<h2 id=\"machines-title\">Machines</h2>\n");
    controls(h, machines);
    Pictures.timeline(h, periods);
    MachinesTable.table(h, report, machines);
    h.append(
            "<p class=\"note\">Times are as tfleet observed them by polling the server: a state began at most")
        .append(
            " one monitoring round before tfleet first saw it, and a state shorter than a round may not")
        .append(" show at all.</p>\n");
    h.append("<script>").append(JS).append("</script>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void head(StringBuilder h, RunReport report, boolean comparison) {
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">\n");
    if (report.live()) {
      // Works from a file and needs no script; a finished run's page never has it.
      h.append("<meta http-equiv=\"refresh\" content=\"")
          .append(LIVE_RELOAD_SECONDS)
          .append("\">\n");
    }
    h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.append("<title>");
    if (report.live()) {
      h.append("(live) ");
    }
    h.append("tfleet run");
    if (report.server() != null) {
      h.append(" on ").append(escape(report.server()));
    }
    h.append("</title>\n<style>").append(CSS).append("</style>\n");
    if (comparison) {
      h.append("<style>").append(ComparisonHtml.CSS).append("</style>\n");
    }
    h.append("</head>\n<body>\n");
  }

  private static void header(StringBuilder h, RunReport report) {
    h.append("<h1>tfleet run</h1>\n");
    if (report.live()) {
      h.append(
              "<p id=\"live\" class=\"live\"><b>Live</b>: the run is still going. This page is rewritten as it")
          .append(" goes and reloads itself every ")
          .append(LIVE_RELOAD_SECONDS)
          .append(" s; this one was written ")
          .append(when(report.finishedAt()))
          .append(".</p>\n");
    }
    h.append("<p class=\"meta\">Server <code>")
        .append(orDash(report.server()))
        .append("</code> &middot; started ")
        .append(when(report.startedAt()))
        .append(report.live() ? " &middot; written " : " &middot; finished ")
        .append(when(report.finishedAt()));
    Duration wall = Facts.duration(report);
    if (wall != null) {
      h.append(report.live() ? " &middot; running for " : " &middot; took ").append(duration(wall));
    }
    h.append("</p>\n");
  }

  /** The verdict cards, which filter the table, and the hw status counts beside them. */
  private static void overview(StringBuilder h, RunReport report) {
    Totals totals = Totals.of(report.machines());
    h.append("<div class=\"overview\">\n<div class=\"totals\">\n");
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
    HwStatusChart.hwStatus(h, report.machines());
    h.append("</div>\n");
    List<String> notes = new ArrayList<>();
    String lab = Attempts.labNote(report.machines());
    if (lab != null) {
      notes.add(lab);
    }
    int later = Attempts.passedLater(report);
    if (later > 0) {
      notes.add(
          later + (later == 1 ? " machine" : " machines") + " passed only on a later attempt.");
    }
    String repeat = Attempts.repeatNote(report);
    if (repeat != null) {
      notes.add(repeat);
    }
    if (!notes.isEmpty()) {
      h.append("<p id=\"attempts-note\" class=\"note\">")
          .append(escape(String.join(" ", notes)))
          .append("</p>\n");
    }
  }

  /** The filter and verdict controls: they narrow the timeline and the table alike. */
  private static void controls(StringBuilder h, List<MachineReport> machines) {
    h.append("<div class=\"controls\">\n");
    h.append(
        "<input id=\"filter\" type=\"search\" placeholder=\"Filter by machine, job, reason, output…\" aria-label=\"Filter\">\n");
    h.append(
        "<select id=\"verdict\" aria-label=\"Verdict\">\n<option value=\"\">all verdicts</option>\n");
    for (Verdict v : Verdict.values()) {
      h.append("<option value=\"")
          .append(v.key())
          .append("\">")
          .append(v.label())
          .append("</option>\n");
    }
    h.append("</select>\n<span id=\"shown\">")
        .append(machines.size())
        .append(" machines</span>\n</div>\n");
  }

  /**
   * The server's page for jobs ({@code <server>/jobs/}, the Testflinger server's web UI), or null
   * when the server is not an http(s) URL: a link may only lead to the server the run used.
   */
  static String jobsUrl(String server) {
    if (server == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(server.strip());
    } catch (URISyntaxException e) {
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      return null;
    }
    String base = uri.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return escape(base) + "/jobs/";
  }

  static String segment(String text) {
    return URLEncoder.encode(Text.clean(text), StandardCharsets.UTF_8).replace("+", "%20");
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
        path.add(
            URLEncoder.encode(Text.clean(segment), StandardCharsets.UTF_8).replace("+", "%20"));
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

  static String orDash(String s) {
    return s == null || s.isEmpty() ? "<span class=\"none\">-</span>" : escape(Text.oneLine(s));
  }

  static String when(Instant t) {
    return t == null ? "<span class=\"none\">-</span>" : WHEN.format(t);
  }

  /**
   * {@code 45s}, {@code 12m 34s}, {@code 1h 02m}: precise enough to compare machines at a glance.
   */
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
