package io.tfleet.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The comparison on a terminal: one row per machine that changed, then the counts; with a PASS RATE
 * column ({@code 96/100 -> 99/100}) when either run tried a machine more than once.
 */
public final class ComparisonTable {
  private static final String[] HEADERS = {
    "CHANGE", "MACHINE", "VERDICT", "HW STATUS", "TEST EXIT"
  };

  private ComparisonTable() {}

  /** Prints the changed machines, most alarming first; unchanged machines are only counted. */
  public static void print(Comparison comparison, PrintStream out) {
    List<Comparison.Row> changes = comparison.changes();
    out.println(
        "Comparing " + comparison.current().label() + " with " + comparison.baseline().label());
    boolean rates = comparison.comparesPassRates();
    if (!changes.isEmpty()) {
      List<String[]> rows = new ArrayList<>();
      rows.add(rates ? withRate(HEADERS, "PASS RATE") : HEADERS);
      for (Comparison.Row r : changes) {
        String[] row = {
          r.change().label(),
          r.machine(),
          moved(verdict(r.before()), verdict(r.after())),
          moved(
              r.before() == null ? null : r.before().hwStatus(),
              r.after() == null ? null : r.after().hwStatus()),
          moved(
              number(Comparison.Row.testStatus(r.before())),
              number(Comparison.Row.testStatus(r.after())))
        };
        rows.add(rates ? withRate(row, passRate(r)) : row);
      }
      columns(rows, out);
    }
    int unchanged = comparison.count(Change.UNCHANGED);
    if (unchanged > 0) {
      out.println(
          unchanged + (unchanged == 1 ? " machine" : " machines") + " unchanged (passed in both)");
    }
    out.println(comparison.sinceLine());
    if (comparison.baseline().judgedFromOutput() > 0) {
      out.println(
          "("
              + comparison.baseline().judgedFromOutput()
              + " baseline verdicts judged from output.txt and"
              + " hw_status.txt: no result.json, as in trees of the original script)");
    }
  }

  /**
   * The comparison as a Markdown section for {@code summary.md}: the counts, then a row per machine
   * that changed, most alarming first (the summary cuts a long section with a note).
   */
  static MarkdownSummary.Section markdown(Comparison comparison) {
    StringBuilder md = new StringBuilder(comparison.sinceLine()).append("\n");
    List<Comparison.Row> changes = comparison.changes();
    boolean rates = comparison.comparesPassRates();
    if (!changes.isEmpty()) {
      md.append(
          rates
              ? "\n| change | machine | verdict | pass rate | hw status | test exit |\n"
                  + "|---|---|---|---|---|---|\n"
              : "\n| change | machine | verdict | hw status | test exit |\n|---|---|---|---|---|\n");
      for (Comparison.Row r : changes) {
        md.append("| ")
            .append(r.change().label())
            .append(" | ")
            .append(MarkdownSummary.cell(r.machine(), 200))
            .append(" | ")
            .append(MarkdownSummary.cell(moved(verdict(r.before()), verdict(r.after())), 200))
            .append(" | ");
        if (rates) {
          md.append(passRate(r)).append(" | ");
        }
        md.append(
                MarkdownSummary.cell(
                    moved(
                        r.before() == null ? null : r.before().hwStatus(),
                        r.after() == null ? null : r.after().hwStatus()),
                    200))
            .append(" | ")
            .append(
                moved(
                    number(Comparison.Row.testStatus(r.before())),
                    number(Comparison.Row.testStatus(r.after()))))
            .append(" |\n");
      }
    }
    return new MarkdownSummary.Section("Since " + comparison.baseline().label(), md.toString());
  }

  /** The PASS RATE column's header or cell, after VERDICT. */
  private static String[] withRate(String[] row, String rate) {
    String[] wider = new String[row.length + 1];
    System.arraycopy(row, 0, wider, 0, 3);
    wider[3] = rate;
    System.arraycopy(row, 3, wider, 4, row.length - 3);
    return wider;
  }

  /** {@code 96/100 -> 99/100}. */
  static String passRate(Comparison.Row r) {
    return moved(Comparison.Row.passRate(r.before()), Comparison.Row.passRate(r.after()));
  }

  /** {@code before -> after}, or one value when both are the same. */
  static String moved(String before, String after) {
    String b = before == null ? "-" : before;
    String a = after == null ? "-" : after;
    return b.equals(a) ? a : b + " -> " + a;
  }

  private static String verdict(MachineReport m) {
    return m == null ? null : m.verdict().label();
  }

  private static String number(Integer n) {
    return n == null ? null : n.toString();
  }

  /** Left-aligned columns two spaces apart, the last one unpadded. */
  private static void columns(List<String[]> rows, PrintStream out) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(widths[i] + 2 - row[i].length()));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
