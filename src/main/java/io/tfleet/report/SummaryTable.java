package io.tfleet.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The end-of-run table: one row per machine, then the totals. */
public final class SummaryTable {
  private static final String[] HEADERS = {
    "MACHINE", "JOB ID", "STATE", "TEST EXIT", "HW STATUS", "RESULT", "REASON"
  };

  /** The headers of a table cut to fit a terminal: a common reason then fits in 80 columns. */
  private static final String[] COMPACT_HEADERS = {
    "MACHINE", "JOB ID", "STATE", "EXIT", "HW STATUS", "RESULT", "REASON"
  };

  private SummaryTable() {}

  /** A width for output that is no terminal: nothing is shortened. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  /** Job ids cut to this many characters when the whole table is wider than the terminal. */
  static final int SHORT_JOB_ID = 8;

  /** Prints {@code machines} in the order given (a {@link RunReport}'s are sorted by machine). */
  public static void print(List<MachineReport> machines, PrintStream out) {
    print(machines, out, UNLIMITED);
  }

  /**
   * Prints {@code machines} in the order given, for a terminal {@code width} columns wide: a table
   * that would be wider shows job ids cut to their first {@value #SHORT_JOB_ID} characters.
   */
  public static void print(List<MachineReport> machines, PrintStream out, int width) {
    rows(machines, out, width);
    out.println(totals(machines));
  }

  /**
   * The end of a run, read from the top: the totals, then the machines that did not pass (worst
   * first), then the passed ones only if {@code withPassed}; otherwise a line counts them.
   */
  public static void printEndOfRun(
      List<MachineReport> machines, boolean withPassed, PrintStream out) {
    printEndOfRun(machines, withPassed, out, UNLIMITED);
  }

  /** {@link #printEndOfRun(List, boolean, PrintStream)} for a terminal {@code width} wide. */
  public static void printEndOfRun(
      List<MachineReport> machines, boolean withPassed, PrintStream out, int width) {
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
      rows(shown, out, width);
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

  private static void rows(List<MachineReport> machines, PrintStream out, int width) {
    List<String> lines = lines(machines, HEADERS, UNLIMITED);
    if (lines.stream().anyMatch(line -> line.length() > width)) {
      lines = lines(machines, COMPACT_HEADERS, SHORT_JOB_ID);
      lines.add("(job ids cut to fit the terminal; each is whole in <machine>/tf_job_id.txt)");
    }
    lines.forEach(out::println);
  }

  private static List<String> lines(
      List<MachineReport> machines, String[] headers, int jobIdLength) {
    List<String[]> rows = new ArrayList<>();
    rows.add(headers);
    for (MachineReport m : machines) {
      Integer test = Facts.testStatus(m);
      String jobId = orDash(m.jobId());
      rows.add(
          new String[] {
            m.machine(),
            jobId.length() > jobIdLength ? jobId.substring(0, jobIdLength) : jobId,
            orDash(m.state()),
            test == null ? "-" : test.toString(),
            orDash(m.hwStatus()),
            m.verdict().label(),
            m.reason() == null ? "" : m.reason()
          });
    }
    int[] widths = new int[headers.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i] + 2));
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
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
