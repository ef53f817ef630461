package io.tfleet.report;

/**
 * The comparison's section of {@code report.html}: the counts of each change and a table of the
 * machines that changed, with their pass rates when either run tried a machine more than once.
 * Static: it needs no script, so the page's own script is left alone.
 */
final class ComparisonHtml {
  /** The section's style, kept apart from the page's so each can change on its own. */
  static final String CSS =
      """
      #comparison { margin: 0 0 24px; }
      #comparison h2 { font-size: 17px; margin: 0 0 4px; }
      #comparison .changes { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 12px; padding: 0; list-style: none; }
      #comparison .changes li { padding: 4px 10px; border: 1px solid var(--line); border-radius: 8px; background: var(--head); }
      #comparison .changes b { margin-right: 4px; }
      .change { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; font-size: 12px; white-space: nowrap; }
      .change.regressed { color: var(--failed); background: var(--failed-bg); }
      .change.fixed { color: var(--passed); background: var(--passed-bg); }
      .change.hw_status_changed { color: var(--cancelled); background: var(--cancelled-bg); }
      .change.still_failing { color: var(--error); background: var(--error-bg); }
      .change.new, .change.gone, .change.unchanged { color: var(--unfinished); background: var(--unfinished-bg); }
      #comparison .arrow { color: var(--muted); padding: 0 4px; }
      """;

  private ComparisonHtml() {}

  /** Appends the section for {@code c} to {@code h}. */
  static void section(StringBuilder h, Comparison c) {
    h.append("<section id=\"comparison\">\n<h2>Since ")
        .append(HtmlReport.escape(c.baseline().label()))
        .append("</h2>\n<p class=\"meta\">")
        .append(c.baseline().machines())
        .append(" machines then, ")
        .append(c.current().machines())
        .append(" now");
    if (c.baseline().judgedFromOutput() > 0) {
      h.append("; ")
          .append(c.baseline().judgedFromOutput())
          .append(
              " verdicts then were judged from output.txt and hw_status.txt alone (no result.json)");
    }
    h.append("</p>\n<ul class=\"changes\">\n");
    c.counts()
        .forEach(
            (change, n) ->
                h.append("<li data-change=\"")
                    .append(change.key())
                    .append("\"><b>")
                    .append(n)
                    .append("</b><span class=\"change ")
                    .append(change.key())
                    .append("\">")
                    .append(change.label())
                    .append("</span></li>\n"));
    h.append("</ul>\n");
    if (c.changes().isEmpty()) {
      h.append("<p>Nothing changed.</p>\n</section>\n");
      return;
    }
    boolean rates = c.comparesPassRates();
    h.append(
        "<table id=\"changes\">\n<thead><tr><th>Change</th><th>Machine</th><th>Verdict</th>"
            + (rates ? "<th>Pass rate</th>" : "")
            + "<th>HW status</th><th>Test exit</th></tr></thead>\n<tbody>\n");
    for (Comparison.Row r : c.changes()) {
      h.append("<tr data-change=\"")
          .append(r.change().key())
          .append("\"><td><span class=\"change ")
          .append(r.change().key())
          .append("\">")
          .append(r.change().label())
          .append("</span></td>");
      h.append("<td class=\"mono id\">").append(HtmlReport.escape(r.machine())).append("</td>");
      h.append("<td>");
      moved(h, verdict(r.before()), verdict(r.after()));
      if (rates) {
        h.append("</td><td class=\"num\">");
        moved(h, Comparison.Row.passRate(r.before()), Comparison.Row.passRate(r.after()));
      }
      h.append("</td><td>");
      moved(
          h,
          r.before() == null ? null : r.before().hwStatus(),
          r.after() == null ? null : r.after().hwStatus());
      h.append("</td><td class=\"num\">");
      moved(
          h,
          number(Comparison.Row.testStatus(r.before())),
          number(Comparison.Row.testStatus(r.after())));
      h.append("</td></tr>\n");
    }
    h.append("</tbody>\n</table>\n</section>\n");
  }

  private static void moved(StringBuilder h, String before, String after) {
    String b = before == null ? "-" : before;
    String a = after == null ? "-" : after;
    if (!b.equals(a)) {
      h.append(HtmlReport.escape(b)).append("<span class=\"arrow\">&rarr;</span>");
    }
    h.append(HtmlReport.escape(a));
  }

  private static String verdict(MachineReport m) {
    return m == null ? null : m.verdict().label();
  }

  private static String number(Integer n) {
    return n == null ? null : n.toString();
  }
}
