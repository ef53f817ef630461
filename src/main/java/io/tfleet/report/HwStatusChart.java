package io.tfleet.report;

import static io.tfleet.report.HtmlReport.escape;
import static io.tfleet.report.Pictures.num;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The hw status counts as bars, beside the verdict cards. */
final class HwStatusChart {
  private HwStatusChart() {}

  /** How many machines reported each hw status, as bars: beside the verdict cards. */
  static void hwStatus(StringBuilder h, List<MachineReport> machines) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (MachineReport m : machines) {
      String hw =
          m.hwStatus() == null || m.hwStatus().isBlank() ? "none" : Text.oneLine(m.hwStatus());
      counts.merge(hw, 1, Integer::sum);
    }
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(
        Map.Entry.<String, Integer>comparingByValue()
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    int shown = Math.min(sorted.size(), 8);
    int rest = 0;
    for (int i = shown; i < sorted.size(); i++) {
      rest += sorted.get(i).getValue();
    }
    int rows = shown + (rest > 0 ? 1 : 0);
    int max = sorted.isEmpty() ? 1 : Math.max(1, sorted.get(0).getValue());
    int w = 340;
    int rowH = 18;
    h.append("<figure class=\"hw\"><figcaption>HW status</figcaption>")
        .append("<svg id=\"hw\" viewBox=\"0 0 ")
        .append(w)
        .append(' ')
        .append(Math.max(rows, 1) * rowH)
        .append("\" width=\"")
        .append(w)
        .append("\" height=\"")
        .append(Math.max(rows, 1) * rowH)
        .append("\" role=\"img\" aria-label=\"Machines by hw status\">");
    for (int i = 0; i < rows; i++) {
      String name = i < shown ? sorted.get(i).getKey() : "other";
      int n = i < shown ? sorted.get(i).getValue() : rest;
      String label = name.length() > 18 ? name.substring(0, 17) + "…" : name;
      double bar = n * (w - 160) / (double) max;
      int y = i * rowH;
      h.append("<g><title>")
          .append(escape(name))
          .append(": ")
          .append(n)
          .append("</title>")
          .append("<text x=\"0\" y=\"")
          .append(y + 13)
          .append("\">")
          .append(escape(label))
          .append("</text>")
          .append("<rect class=\"hw-")
          .append(hwClass(name))
          .append("\" x=\"120\" y=\"")
          .append(y + 3)
          .append("\" width=\"")
          .append(num(Math.max(bar, 1)))
          .append("\" height=\"12\"/>")
          .append("<text x=\"")
          .append(num(124 + bar))
          .append("\" y=\"")
          .append(y + 13)
          .append("\">")
          .append(n)
          .append("</text></g>");
    }
    h.append("</svg></figure>\n");
  }

  private static String hwClass(String status) {
    String s = status.toLowerCase(Locale.ROOT);
    if (s.contains("fail")) {
      return "bad";
    }
    if (s.startsWith("certified") || s.startsWith("pass")) {
      return "good";
    }
    return s.equals("none") || s.equals("unknown") || s.equals("other") ? "none" : "other";
  }
}
