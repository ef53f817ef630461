package io.tfleet.report;

import io.tfleet.store.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Writes {@code summary.md}: the totals, the machines that did not pass (failures first, lab
 * trouble told apart), those that passed only on a later attempt, and where the reports are, in
 * GitHub-flavoured Markdown for a CI job's summary page or a merge request. A repeat run's tables
 * show each machine's pass rate.
 */
public final class MarkdownSummary {
  /**
   * Rows of the table of machines that did not pass. A GitHub step summary holds at most 1 MiB and
   * a table of a thousand rows is read by nobody: past this, a line says how many were left out and
   * report.html has them all.
   */
  static final int MAX_ROWS = 100;

  /**
   * A reason or hw status longer than this is cut: one line per machine keeps the table a table.
   */
  static final int MAX_CELL_CHARS = 200;

  /**
   * The most a summary may weigh, in UTF-8 bytes: an eighth of GitHub's 1 MiB step summary, so that
   * several tfleet steps (shards, a merge) fit in one job with room to spare.
   */
  static final int MAX_BYTES = 128 * 1024;

  /** The most one extra section may add; it is cut at a line end past this. */
  static final int MAX_SECTION_BYTES = 32 * 1024;

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /**
   * An extra part of the summary that another feature renders (a comparison with a baseline, say);
   * it goes after the totals, under {@code title}, cut to {@link #MAX_SECTION_BYTES}.
   *
   * @param title the section's heading, plain text
   * @param markdown the section's body, Markdown
   */
  public record Section(String title, String markdown) {
    public Section {
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(markdown, "markdown");
    }
  }

  /**
   * How the summary points at files.
   *
   * @param treePath null: the summary lives in the tree's top folder and links to the files
   *     relatively ({@code summary.md}); else the tree's path as the reader knows it, and files are
   *     named by path, unlinked (a CI job's summary page, where relative links lead nowhere)
   * @param notes lines shown under the title (the exit code, how many jobs were submitted)
   * @param sections extra sections, in order
   */
  public record Style(String treePath, List<String> notes, List<Section> sections) {
    public Style {
      notes = List.copyOf(notes);
      sections = List.copyOf(sections);
    }

    /** For {@code summary.md} in the tree's top folder. */
    public static Style inTree() {
      return new Style(null, List.of(), List.of());
    }

    /** For a page outside the tree, which names the tree as {@code treePath}. */
    public static Style outside(String treePath, List<String> notes) {
      return new Style(Objects.requireNonNull(treePath, "treePath"), notes, List.of());
    }

    /** This style with {@code more} sections after its own. */
    public Style withSections(List<Section> more) {
      List<Section> all = new ArrayList<>(sections);
      all.addAll(more);
      return new Style(treePath, notes, all);
    }
  }

  private MarkdownSummary() {}

  /** Writes {@code report}'s summary, for the tree's top folder, to {@code file} atomically. */
  public static void write(RunReport report, Path file, List<Section> sections) throws IOException {
    AtomicFiles.write(file, render(report, Style.inTree().withSections(sections)));
  }

  /** Returns the summary of {@code report}: at most {@link #MAX_BYTES} of UTF-8. */
  public static String render(RunReport report, Style style) {
    Totals totals = Totals.of(report.machines());
    StringBuilder md = new StringBuilder(8192);
    int notPassed = totals.machines() - totals.count(Verdict.PASSED);
    md.append("## tfleet: ");
    if (totals.machines() == 0) {
      md.append("no machines");
    } else if (notPassed == 0) {
      md.append(
          totals.machines() == 1
              ? "the machine passed"
              : "all " + totals.machines() + " machines passed");
    } else {
      md.append(notPassed)
          .append(" of ")
          .append(totals.machines())
          .append(totals.machines() == 1 ? " machine" : " machines")
          .append(" did not pass");
    }
    md.append("\n\n");
    md.append(meta(report)).append("\n\n");
    for (String note : style.notes()) {
      md.append(cell(note, Integer.MAX_VALUE)).append("\n\n");
    }

    md.append("| result | machines |\n|---|--:|\n");
    for (Verdict v : Verdict.values()) {
      if (totals.count(v) > 0) {
        md.append("| ").append(v.label()).append(" | ").append(totals.count(v)).append(" |\n");
      }
    }
    md.append("| **total** | **").append(totals.machines()).append("** |\n\n");
    String lab = Attempts.labNote(report.machines());
    if (lab != null) {
      md.append('_').append(lab).append("_\n\n");
    }
    String repeat = Attempts.repeatNote(report);
    if (repeat != null) {
      md.append(repeat).append("\n\n");
    }

    for (Section section : style.sections()) {
      md.append("### ").append(cell(section.title(), MAX_CELL_CHARS)).append("\n\n");
      md.append(cut(section.markdown().strip(), MAX_SECTION_BYTES)).append("\n\n");
    }

    StringBuilder tail = new StringBuilder();
    tail.append("### Reports\n\n");
    List<String> files = List.of(Reports.REPORT_HTML, Reports.SUMMARY_JSON, Reports.JUNIT_XML);
    List<String> named = new ArrayList<>();
    for (String f : files) {
      named.add(
          style.treePath() == null
              ? "[" + f + "](" + f + ")"
              : "`" + join(style.treePath(), f) + "`");
    }
    tail.append(String.join(" · ", named)).append('\n');

    String later = passedLater(report);
    if (notPassed > 0) {
      failures(md, report, style, notPassed, MAX_BYTES - utf8(md) - utf8(tail) - utf8(later) - 512);
    }
    md.append(later);
    md.append(tail);
    return md.toString();
  }

  /**
   * The machines that passed though some attempt did not, worst pass rate first, with what went
   * wrong: at most {@link #MAX_ROWS} rows and {@link #MAX_SECTION_BYTES}; empty when there are
   * none.
   */
  private static String passedLater(RunReport report) {
    boolean repeated = report.repeated();
    List<MachineReport> later = new ArrayList<>();
    for (MachineReport m : report.machines()) {
      if (m.verdict().passed() && !Attempts.failed(m).isEmpty()) {
        later.add(m);
      }
    }
    if (later.isEmpty()) {
      return "";
    }
    later.sort(
        Comparator.comparingDouble((MachineReport m) -> rate(m))
            .thenComparing(MachineReport::machine));
    StringBuilder table = new StringBuilder();
    table
        .append(
            repeated
                ? "### Passed, with attempts that did not\n\n"
                : "### Passed on a later attempt\n\n")
        .append(
            repeated
                ? "| machine | pass rate | attempts |\n|---|--:|---|\n"
                : "| machine | attempts |\n|---|---|\n");
    int shown = 0;
    for (MachineReport m : later) {
      StringBuilder row =
          new StringBuilder("| `").append(m.machine().replace("`", "")).append("` | ");
      if (repeated) {
        row.append(m.passRate().label()).append(" | ");
      }
      row.append(cell(Attempts.story(m, repeated), MAX_CELL_CHARS)).append(" |\n");
      if (shown == MAX_ROWS || utf8(table) + utf8(row) > MAX_SECTION_BYTES - 256) {
        break;
      }
      table.append(row);
      shown++;
    }
    if (shown < later.size()) {
      table
          .append("\n_")
          .append(later.size() - shown)
          .append(" more not listed here; ")
          .append(Reports.REPORT_HTML)
          .append(" has every machine._\n");
    }
    return table.append('\n').toString();
  }

  /** A machine's pass rate for sorting, a rate of nothing last. */
  private static double rate(MachineReport m) {
    PassRate r = m.passRate();
    return r.known() ? r.fraction() : 2;
  }

  /** The table of machines that did not pass, worst first, within {@code budget} bytes. */
  private static void failures(
      StringBuilder md, RunReport report, Style style, int notPassed, int budget) {
    List<MachineReport> bad = new ArrayList<>();
    for (MachineReport m : report.machines()) {
      if (!m.verdict().passed()) {
        bad.add(m);
      }
    }
    bad.sort(Facts.WORST_FIRST);
    boolean links = style.treePath() == null;
    boolean repeated = report.repeated();
    // Only a run with attempts to tell gets the column: other summaries keep their shape.
    boolean attempts = repeated || bad.stream().anyMatch(m -> m.attempts().size() > 1);
    StringBuilder table = new StringBuilder();
    table.append("### Did not pass\n\n| machine | result |");
    StringBuilder rule = new StringBuilder("|---|---|");
    if (repeated) {
      table.append(" pass rate |");
      rule.append("--:|");
    }
    table.append(" reason | hw status |");
    rule.append("---|---|");
    if (attempts) {
      table.append(" attempts |");
      rule.append("---|");
    }
    if (links) {
      table.append(" output |");
      rule.append("---|");
    }
    table.append('\n').append(rule).append('\n');
    int used = utf8(table);
    int shown = 0;
    for (MachineReport m : bad) {
      if (shown == MAX_ROWS) {
        break;
      }
      StringBuilder row = new StringBuilder();
      row.append("| `")
          .append(m.machine().replace("`", ""))
          .append("` | ")
          .append(Attempts.result(m, repeated))
          .append(" | ");
      if (repeated) {
        row.append(m.passRate().label()).append(" | ");
      }
      row.append(cell(m.reason(), MAX_CELL_CHARS))
          .append(" | ")
          .append(cell(m.hwStatus(), MAX_CELL_CHARS))
          .append(" |");
      if (attempts) {
        row.append(' ').append(cell(Attempts.story(m, repeated), MAX_CELL_CHARS)).append(" |");
      }
      if (links) {
        String href = HtmlReport.href(m.outputFile());
        row.append(href == null ? " |" : " [output.txt](" + href + ") |");
      }
      row.append('\n');
      int size = utf8(row);
      if (used + size > budget) {
        break;
      }
      table.append(row);
      used += size;
      shown++;
    }
    md.append(table);
    if (shown < notPassed) {
      String where =
          style.treePath() == null
              ? Reports.REPORT_HTML
              : join(style.treePath(), Reports.REPORT_HTML);
      md.append("\n_")
          .append(notPassed - shown)
          .append(" more ")
          .append(notPassed - shown == 1 ? "machine" : "machines")
          .append(" that did not pass ")
          .append(notPassed - shown == 1 ? "is" : "are")
          .append(" not listed here; ")
          .append(where)
          .append(" has every machine._\n");
    }
    md.append('\n');
  }

  private static String meta(RunReport report) {
    List<String> parts = new ArrayList<>();
    parts.add(
        "Server "
            + (report.server() == null ? "unknown" : "`" + report.server().replace("`", "") + "`"));
    if (report.startedAt() != null) {
      parts.add("started " + WHEN.format(report.startedAt()));
    }
    Duration took = Facts.duration(report);
    if (took != null) {
      parts.add("took " + HtmlReport.duration(took));
    }
    return String.join(" · ", parts);
  }

  /**
   * {@code s} as one line of Markdown text that cannot open markup, a link or HTML; "-" for none.
   */
  static String cell(String s, int maxChars) {
    String line = Text.oneLine(s);
    if (line == null || line.isBlank()) {
      return "-";
    }
    line = line.strip();
    if (line.length() > maxChars) {
      int end = Character.isHighSurrogate(line.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
      line = line.substring(0, end) + "…";
    }
    StringBuilder out = new StringBuilder(line.length() + 8);
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      // Backslash escapes work for every ASCII punctuation mark in CommonMark; these are the ones
      // that could start emphasis, code, a link, an HTML tag or entity, or end a table cell.
      if ("\\`*_[]<>|~&#!".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /** {@code markdown} cut at a line end so that it weighs at most {@code maxBytes}. */
  private static String cut(String markdown, int maxBytes) {
    if (markdown.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
      return markdown;
    }
    StringBuilder kept = new StringBuilder();
    int used = 0;
    for (String line : markdown.split("\n", -1)) {
      int size = line.getBytes(StandardCharsets.UTF_8).length + 1;
      if (used + size > maxBytes - 64) {
        break;
      }
      kept.append(line).append('\n');
      used += size;
    }
    return kept.append("\n_(cut: this section was too long for the summary)_").toString();
  }

  private static String join(String treePath, String file) {
    return treePath.endsWith("/") ? treePath + file : treePath + "/" + file;
  }

  private static int utf8(CharSequence s) {
    return s.toString().getBytes(StandardCharsets.UTF_8).length;
  }
}
