package io.tfleet.report;

import io.tfleet.store.AtomicFiles;
import java.io.IOException;
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

  private static final String CSS =
      """
      :root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa;
        --passed: #1a7f37; --passed-bg: #dafbe1; --failed: #cf222e; --failed-bg: #ffebe9;
        --error: #8250df; --error-bg: #fbefff; --cancelled: #9a6700; --cancelled-bg: #fff8c5;
        --unfinished: #0969da; --unfinished-bg: #ddf4ff; }
      * { box-sizing: border-box; }
      body { margin: 0; padding: 24px 32px; color: var(--fg); background: #fff;
        font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
      h1 { font-size: 22px; margin: 0 0 4px; }
      .meta { color: var(--muted); margin: 0 0 20px; }
      code, pre, td.mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
      .totals { display: flex; flex-wrap: wrap; gap: 10px; margin-bottom: 20px; }
      .total { min-width: 110px; padding: 10px 14px; border: 1px solid var(--line); border-radius: 8px;
        background: var(--head); text-align: left; cursor: pointer; font: inherit; color: inherit; }
      .total b { display: block; font-size: 22px; line-height: 1.2; }
      .total[aria-pressed="true"] { outline: 2px solid var(--fg); }
      .total.passed b { color: var(--passed); } .total.failed b { color: var(--failed); }
      .total.error b { color: var(--error); } .total.cancelled b { color: var(--cancelled); }
      .total.unfinished b { color: var(--unfinished); } .total.timed_out b { color: var(--cancelled); }
      .total.not_submitted b { color: var(--error); }
      .controls { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin-bottom: 12px; }
      .controls input, .controls select { font: inherit; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; }
      .controls input { width: 320px; max-width: 100%; }
      #shown { color: var(--muted); }
      table { border-collapse: collapse; width: 100%; }
      th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
      th { background: var(--head); position: sticky; top: 0; white-space: nowrap; }
      th button { all: unset; cursor: pointer; font-weight: 600; }
      th button::after { content: " \\2195"; color: var(--muted); font-weight: 400; }
      th[aria-sort="ascending"] button::after { content: " \\2191"; color: var(--fg); }
      th[aria-sort="descending"] button::after { content: " \\2193"; color: var(--fg); }
      td.id { white-space: nowrap; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
      tbody tr:hover { background: #f6f8fa; }
      .verdict { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; font-size: 12px; }
      .verdict.passed { color: var(--passed); background: var(--passed-bg); }
      .verdict.failed { color: var(--failed); background: var(--failed-bg); }
      .verdict.error { color: var(--error); background: var(--error-bg); }
      .verdict.cancelled, .verdict.timed_out { color: var(--cancelled); background: var(--cancelled-bg); }
      .verdict.not_submitted { color: var(--error); background: var(--error-bg); }
      .verdict.unfinished { color: var(--unfinished); background: var(--unfinished-bg); }
      .none { color: var(--muted); }
      details summary { cursor: pointer; color: var(--muted); }
      td.reason { min-width: 24ch; }
      pre { margin: 6px 0 0; padding: 8px; width: max-content; max-width: min(100ch, 50vw); max-height: 24em;
        overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; background: var(--head); border-radius: 6px; }
      """;

  /**
   * Sorting, filtering and the {@code #verdict=failed&q=text&sort=-duration} fragment, which makes
   * a filtered view a link one can send (and lets a headless browser test the page).
   */
  private static final String JS =
      """
      (function () {
        'use strict';
        var table = document.getElementById('machines');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
        var filter = document.getElementById('filter');
        var verdict = document.getElementById('verdict');
        var shown = document.getElementById('shown');
        var totals = Array.prototype.slice.call(document.querySelectorAll('.total'));
        var sortKey = '', descending = false;

        function cellValue(row, index, numeric) {
          var cell = row.cells[index];
          var raw = cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent.trim();
          if (numeric) { return raw === '' ? null : Number(raw); }
          return raw === '' || raw === '-' ? null : raw.toLowerCase();
        }

        function sort() {
          var index = heads.findIndex(function (th) { return th.dataset.key === sortKey; });
          heads.forEach(function (th, i) {
            if (i === index) { th.setAttribute('aria-sort', descending ? 'descending' : 'ascending'); }
            else { th.removeAttribute('aria-sort'); }
          });
          var order = rows.map(function (row, i) { return i; });
          if (index >= 0) {
            var numeric = heads[index].dataset.type === 'number';
            order.sort(function (a, b) {
              var x = cellValue(rows[a], index, numeric), y = cellValue(rows[b], index, numeric);
              // Unknown values go last whichever the direction; ties keep the machine order.
              if (x === null || y === null) { return x === y ? a - b : (x === null ? 1 : -1); }
              var c = numeric ? x - y : x.localeCompare(y, undefined, { numeric: true });
              return c === 0 ? a - b : (descending ? -c : c);
            });
          }
          order.forEach(function (i) { body.appendChild(rows[i]); });
        }

        function apply() {
          var q = filter.value.trim().toLowerCase();
          var v = verdict.value, count = 0;
          rows.forEach(function (row) {
            var show = (v === '' || row.dataset.verdict === v)
                && (q === '' || row.textContent.toLowerCase().indexOf(q) >= 0);
            row.hidden = !show;
            if (show) { count++; }
          });
          totals.forEach(function (t) { t.setAttribute('aria-pressed', String(t.dataset.verdict === v)); });
          shown.textContent = count + ' of ' + rows.length + ' machines shown';
        }

        function remember() {
          var p = new URLSearchParams();
          if (verdict.value) { p.set('verdict', verdict.value); }
          if (filter.value) { p.set('q', filter.value); }
          if (sortKey) { p.set('sort', (descending ? '-' : '') + sortKey); }
          var hash = p.toString();
          try { history.replaceState(null, '', hash ? '#' + hash : location.pathname); } catch (e) { /* file: origins may refuse */ }
        }

        function load() {
          var p = new URLSearchParams(location.hash.replace(/^#/, ''));
          var v = p.get('verdict') || '';
          verdict.value = Array.prototype.some.call(verdict.options, function (o) { return o.value === v; }) ? v : '';
          filter.value = p.get('q') || '';
          var s = p.get('sort') || '';
          descending = s.charAt(0) === '-';
          sortKey = descending ? s.slice(1) : s;
          sort();
          apply();
        }

        heads.forEach(function (th) {
          var button = th.querySelector('button');
          if (!button) { return; }
          button.addEventListener('click', function () {
            descending = sortKey === th.dataset.key ? !descending : false;
            sortKey = th.dataset.key;
            sort(); remember();
          });
        });
        filter.addEventListener('input', function () { apply(); remember(); });
        verdict.addEventListener('change', function () { apply(); remember(); });
        totals.forEach(function (t) {
          t.addEventListener('click', function () {
            verdict.value = verdict.value === t.dataset.verdict ? '' : t.dataset.verdict;
            apply(); remember();
          });
        });
        window.addEventListener('hashchange', load);
        load();
      })();
      """;

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
