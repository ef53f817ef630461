package io.tfleet.report;

import static io.tfleet.report.HtmlReport.duration;
import static io.tfleet.report.HtmlReport.escape;
import static io.tfleet.report.HtmlReport.href;
import static io.tfleet.report.HtmlReport.jobsUrl;
import static io.tfleet.report.HtmlReport.orDash;
import static io.tfleet.report.HtmlReport.segment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table of machines in {@code report.html}: a row per machine, its cells sortable by the page's
 * script, its files and its job on the server linked. A verdict carries its cause ({@code lab
 * trouble}) or the attempt it passed on, the reason what went wrong on earlier attempts, and a
 * repeat run's table has a pass-rate column.
 */
final class MachinesTable {
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

  /** The column a repeat run adds after the verdict. */
  private static final String[] PASS_RATE = {"rate", "Pass rate", "number"};

  /** Where {@link #PASS_RATE} goes. */
  private static final int PASS_RATE_AT = 7;

  private MachinesTable() {}

  static void table(StringBuilder h, RunReport report, List<MachineReport> machines) {

    // The table scrolls in its own box, both ways, so its header stays in sight on narrow screens
    // too.
    h.append("<div class=\"table-scroll\">\n<table id=\"machines\">\n<thead><tr>");
    List<String[]> columns = new ArrayList<>(List.of(COLUMNS));
    if (report.repeated()) {
      columns.add(PASS_RATE_AT, PASS_RATE);
    }
    for (String[] c : columns) {
      h.append("<th data-key=\"").append(c[0]).append('"');
      if (!c[2].isEmpty()) {
        h.append(" data-type=\"").append(c[2]).append('"');
      }
      h.append("><button type=\"button\">").append(c[1]).append("</button></th>");
    }
    h.append("<th>Files</th></tr></thead>\n<tbody>\n");
    String jobs = jobsUrl(report.server());
    for (MachineReport m : machines) {
      row(h, m, jobs, report.repeated());
    }
    h.append("</tbody>\n</table>\n</div>\n");
  }

  private static void row(StringBuilder h, MachineReport m, String jobs, boolean repeated) {
    Integer test = Facts.testStatus(m);
    Duration d = Facts.duration(m);
    h.append("<tr data-verdict=\"").append(m.verdict().key()).append("\">");
    h.append("<td class=\"mono id\">").append(escape(m.machine())).append("</td>");
    h.append("<td class=\"mono id\">");
    if (m.jobId() != null && !m.jobId().isEmpty() && jobs != null) {
      h.append("<a href=\"")
          .append(jobs)
          .append(segment(m.jobId()))
          .append("\" title=\"the job on the server\">")
          .append(escape(Text.oneLine(m.jobId())))
          .append("</a>");
    } else {
      h.append(orDash(m.jobId()));
    }
    h.append("</td>");
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
        .append("</span>");
    String note = Attempts.note(m, repeated);
    if (note != null) {
      h.append(" <span class=\"cause ")
          .append(m.cause() == null ? "later" : m.cause().key())
          .append("\">")
          .append(escape(note))
          .append("</span>");
    }
    h.append("</td>");
    if (repeated) {
      PassRate rate = m.passRate();
      h.append("<td class=\"num\" data-sort=\"")
          .append(rate.known() ? String.format(Locale.ROOT, "%.4f", rate.fraction()) : "")
          .append("\">")
          .append(rate.label())
          .append("</td>");
    }
    h.append("<td class=\"reason\">")
        .append(m.reason() == null ? "" : escape(Text.oneLine(m.reason())));
    String story = Attempts.story(m, repeated);
    if (story != null) {
      h.append("<div class=\"attempts\">").append(escape(story)).append("</div>");
    }
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
    h.append("<td class=\"files\">");
    for (String file : m.files()) {
      String href = href(file);
      if (href != null) {
        String name = file.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        h.append("<a href=\"").append(href).append("\">").append(escape(name)).append("</a>");
      }
    }
    // Earlier attempts keep their files in a folder each; a browser lists a folder opened from
    // disk.
    for (AttemptReport a : Attempts.earlier(m)) {
      String href = href(a.dir());
      if (href != null) {
        h.append("<a href=\"")
            .append(href)
            .append("/\" title=\"")
            .append(escape(a.dir()))
            .append("\">attempt ")
            .append(a.number())
            .append("</a>");
      }
    }
    h.append("</td></tr>\n");
  }
}
