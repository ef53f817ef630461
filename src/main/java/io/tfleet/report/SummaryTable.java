package io.tfleet.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The end-of-run table: one row per machine, then the totals. */
public final class SummaryTable {
  private static final String[] HEADERS = {
    "MACHINE", "JOB ID", "STATE", "TEST EXIT", "HW STATUS", "RESULT", "REASON"
  };

  private SummaryTable() {}

  /** Prints {@code machines} in the order given (a {@link RunReport}'s are sorted by machine). */
  public static void print(List<MachineReport> machines, PrintStream out) {
    rows(machines, out);
    out.println(totals(machines));
  }

  /**
   * The end of a run, read from the top: the totals, then the machines that did not pass (worst
   * first), then the passed ones only if {@code withPassed}; otherwise a line counts them.
   */
  public static void printEndOfRun(
      List<MachineReport> machines, boolean withPassed, PrintStream out) {
    out.println(totals(machines));
    List<MachineReport> shown = new ArrayList<>();
    for (MachineReport m : machines) {
      if (withPassed || !m.verdict().passed()) {
        shown.add(m);
      }
    }
    shown.sort(Facts.WORST_FIRST);
    if (!shown.isEmpty()) {
      out.println();
      rows(shown, out);
    }
    long passed = machines.size() - shown.size();
    if (passed > 0) {
      out.println(
          (shown.isEmpty() ? "" : "and ")
              + passed
              + " passed machine"
              + (passed == 1 ? "" : "s")
              + " not listed (-v lists every machine)");
    }
  }

  private static void rows(List<MachineReport> machines, PrintStream out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADERS);
    for (MachineReport m : machines) {
      Integer test = Facts.testStatus(m);
      rows.add(
          new String[] {
            m.machine(),
            orDash(m.jobId()),
            orDash(m.state()),
            test == null ? "-" : test.toString(),
            orDash(m.hwStatus()),
            m.verdict().label(),
            m.reason() == null ? "" : m.reason()
          });
    }
    int[] widths = new int[HEADERS.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i] + 2));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** One line such as {@code 20 machines: 17 passed, 2 failed, 1 not submitted}. */
  public static String totals(List<MachineReport> machines) {
    return Totals.of(machines).line();
  }

  private static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
