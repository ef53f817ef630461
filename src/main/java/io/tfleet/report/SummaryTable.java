package io.tfleet.report;

import io.tfleet.fleet.Outcome;
import io.tfleet.fleet.Verdict;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** The end-of-run table: one row per machine, then the totals. */
public final class SummaryTable {
  private static final String[] HEADERS = {
    "MACHINE", "JOB ID", "STATE", "TEST EXIT", "HW STATUS", "RESULT", "REASON"
  };

  private SummaryTable() {}

  /** Prints {@code outcomes} in the order given (callers sort them by machine). */
  public static void print(List<Outcome> outcomes, PrintStream out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADERS);
    for (Outcome o : outcomes) {
      rows.add(
          new String[] {
            o.machine(),
            orDash(o.jobId()),
            orDash(o.state()),
            o.testStatus() == null ? "-" : o.testStatus().toString(),
            orDash(o.hwStatus()),
            o.verdict().label(),
            o.reason() == null ? "" : o.reason()
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
    out.println(totals(outcomes));
  }

  /** One line such as {@code 20 machines: 17 passed, 2 failed, 1 cancelled}. */
  public static String totals(List<Outcome> outcomes) {
    Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    outcomes.forEach(o -> counts.merge(o.verdict(), 1, Integer::sum));
    StringJoiner parts = new StringJoiner(", ");
    counts.forEach((verdict, n) -> parts.add(n + " " + verdict.label()));
    int total = outcomes.size();
    return total + (total == 1 ? " machine" : " machines") + (total == 0 ? "" : ": " + parts);
  }

  private static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
