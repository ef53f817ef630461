package io.tfleet.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The end-of-run table: one row per machine, then the totals. A result says when lab trouble, not
 * the test, stopped a machine ({@code error (lab trouble)}) and when it passed on a later attempt
 * ({@code passed (attempt 2)}); a repeat run's table has each machine's pass rate.
 */
public final class SummaryTable {
  private static final String[] HEADERS = {
    "MACHINE", "JOB ID", "STATE", "TEST EXIT", "HW STATUS", "RESULT", "REASON"
  };

  /** The headers of a table cut to fit a terminal: a common reason then fits in 80 columns. */
  private static final String[] COMPACT_HEADERS = {
    "MACHINE", "JOB ID", "STATE", "EXIT", "HW STATUS", "RESULT", "REASON"
  };

  /** The column a repeat run adds after RESULT. */
  private static final String PASS_RATE = "PASS RATE";

  /** Where {@link #PASS_RATE} goes. */
  private static final int PASS_RATE_AT = 6;

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
    print(machines, 1, out, width);
  }

  /**
   * {@link #print(List, PrintStream, int)} for a run of {@code --repeat repeat}: above 1, a PASS
   * RATE column ({@code 97/100}) and the attempts in the totals.
   */
  public static void print(List<MachineReport> machines, int repeat, PrintStream out, int width) {
    rows(machines, repeat > 1, out, width);
    out.println(totals(machines, repeat));
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
    printEndOfRun(machines, 1, withPassed, out, width);
  }

  /**
   * {@link #printEndOfRun(List, boolean, PrintStream, int)} for a run of {@code --repeat repeat}:
   * above 1, a PASS RATE column and the attempts in the totals.
   */
  public static void printEndOfRun(
      List<MachineReport> machines, int repeat, boolean withPassed, PrintStream out, int width) {
    out.println(totals(machines, repeat));
    List<MachineReport> shown = new ArrayList<>();
    for (MachineReport m : machines) {
      if (withPassed || !m.verdict().passed()) {
        shown.add(m);
      }
    }
    shown.sort(Facts.WORST_FIRST);
    if (!shown.isEmpty()) {
      out.println();
      rows(shown, repeat > 1, out, width);
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

  private static void rows(
      List<MachineReport> machines, boolean repeated, PrintStream out, int width) {
    List<String> lines = lines(machines, HEADERS, UNLIMITED, repeated);
    if (lines.stream().anyMatch(line -> line.length() > width)) {
      lines = lines(machines, COMPACT_HEADERS, SHORT_JOB_ID, repeated);
      lines = wrapReasons(lines, width);
      lines.add("(job ids cut to fit the terminal; each is whole in <machine>/tf_job_id.txt)");
    }
    lines.forEach(out::println);
  }

  /** The least room a reason keeps on its lines before the table gives up wrapping it. */
  private static final int REASON_ROOM = 20;

  /**
   * Reasons too long for the terminal continue on lines of their own, under the REASON column and
   * broken between words, instead of being wrapped by the terminal into the first columns. When the
   * REASON column leaves too little room, a long reason goes under its row instead, from the JOB ID
   * column on.
   */
  private static List<String> wrapReasons(List<String> lines, int width) {
    int start = lines.get(0).indexOf("REASON");
    if (start < 0) {
      return lines;
    }
    boolean under = width - start < REASON_ROOM;
    int reasonAt = under ? Math.max(lines.get(0).indexOf("JOB ID"), 2) : start;
    if (width - reasonAt < REASON_ROOM) {
      return lines;
    }
    List<String> wrapped = new ArrayList<>();
    String indent = " ".repeat(reasonAt);
    for (String line : lines) {
      if (line.length() <= width || line.length() <= start) {
        wrapped.add(line);
        continue;
      }
      StringBuilder current = new StringBuilder(line.substring(0, start));
      if (under) {
        wrapped.add(current.toString().stripTrailing());
        current = new StringBuilder(indent);
      }
      for (String word : line.substring(start).split(" ")) {
        if (current.length() > reasonAt && current.length() + 1 + word.length() > width) {
          wrapped.add(current.toString());
          current = new StringBuilder(indent);
        }
        if (current.length() > reasonAt) {
          current.append(' ');
        }
        current.append(word);
      }
      wrapped.add(current.toString());
    }
    return wrapped;
  }

  private static List<String> lines(
      List<MachineReport> machines, String[] headers, int jobIdLength, boolean repeated) {
    List<String[]> rows = new ArrayList<>();
    rows.add(repeated ? withPassRate(headers, PASS_RATE) : headers);
    for (MachineReport m : machines) {
      Integer test = Facts.testStatus(m);
      String jobId = orDash(m.jobId());
      String[] row = {
        m.machine(),
        jobId.length() > jobIdLength ? jobId.substring(0, jobIdLength) : jobId,
        orDash(m.state()),
        test == null ? "-" : test.toString(),
        orDash(m.hwStatus()),
        Attempts.result(m, repeated),
        m.reason() == null ? "" : m.reason()
      };
      rows.add(repeated ? withPassRate(row, m.passRate().label()) : row);
    }
    int[] widths = new int[rows.get(0).length];
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

  private static String[] withPassRate(String[] row, String rate) {
    String[] wider = new String[row.length + 1];
    System.arraycopy(row, 0, wider, 0, PASS_RATE_AT);
    wider[PASS_RATE_AT] = rate;
    System.arraycopy(row, PASS_RATE_AT, wider, PASS_RATE_AT + 1, row.length - PASS_RATE_AT);
    return wider;
  }

  /**
   * One line such as {@code 20 machines: 17 passed, 2 failed, 1 not submitted}, and {@code ; 2 of
   * them lab trouble} when some that did not pass had lab trouble.
   */
  public static String totals(List<MachineReport> machines) {
    return Totals.of(machines).line();
  }

  /**
   * {@link #totals(List)} for a run of {@code --repeat repeat}: above 1, it ends with the attempts
   * that passed of those whose test ran ({@code ; 482/500 attempts passed}).
   */
  public static String totals(List<MachineReport> machines, int repeat) {
    String line = totals(machines);
    return repeat > 1 ? line + "; " + Attempts.total(machines).label() + " attempts passed" : line;
  }

  private static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
