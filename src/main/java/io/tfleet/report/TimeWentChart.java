package io.tfleet.report;

import static io.tfleet.report.HtmlReport.duration;
import static io.tfleet.report.HtmlReport.escape;
import static io.tfleet.report.Pictures.num;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where time went: per phase, across the fleet, min, median, p90 and max, and the slowest machines.
 */
final class TimeWentChart {
  /** How many of the slowest machines each phase names. */
  private static final int SLOWEST = 3;

  private TimeWentChart() {}

  /** Per phase, across the fleet: min, median, p90 and max, and the slowest machines. */
  static void timeWent(StringBuilder h, Periods periods) {
    h.append("<section id=\"time-section\">\n<h2>Where time went</h2>\n");
    Map<Phase, List<Object[]>> byPhase = new EnumMap<>(Phase.class);
    for (Periods.Machine m : periods.machines) {
      if (!m.recorded()) {
        continue;
      }
      Map<Phase, Duration> spent = new EnumMap<>(Phase.class);
      for (Periods.Period p : m.periods()) {
        if (!p.open()) {
          spent.merge(p.phase(), p.length(), Duration::plus);
        }
      }
      spent.forEach(
          (phase, d) ->
              byPhase
                  .computeIfAbsent(phase, x -> new ArrayList<>())
                  .add(new Object[] {d, m.report().machine()}));
    }
    if (byPhase.isEmpty()) {
      h.append(
              "<p class=\"note\">Nothing to measure: no machine has a finished period in recorded states")
          .append(
              periods.recordedCount() == 0 ? " (a tree written before tfleet recorded them)." : ".")
          .append("</p>\n</section>\n");
      return;
    }
    long scale = 1;
    for (List<Object[]> list : byPhase.values()) {
      for (Object[] e : list) {
        scale = Math.max(scale, ((Duration) e[0]).toMillis());
      }
    }
    h.append("<table class=\"phases\">\n<thead><tr><th>Phase</th><th class=\"num\">Machines</th>")
        .append("<th class=\"num\">Min</th><th class=\"num\">Median</th><th class=\"num\">p90</th>")
        .append(
            "<th class=\"num\">Max</th><th>Spread</th><th>Slowest</th></tr></thead>\n<tbody>\n");
    for (Map.Entry<Phase, List<Object[]>> entry : byPhase.entrySet()) {
      List<Object[]> list = entry.getValue();
      list.sort((a, b) -> ((Duration) a[0]).compareTo((Duration) b[0]));
      Duration min = (Duration) list.get(0)[0];
      Duration median = (Duration) list.get(rank(list.size(), 50))[0];
      Duration p90 = (Duration) list.get(rank(list.size(), 90))[0];
      Duration max = (Duration) list.get(list.size() - 1)[0];
      Phase phase = entry.getKey();
      h.append("<tr><td><span class=\"swatch ")
          .append(phase.css())
          .append("\"></span>")
          .append(phase.label())
          .append("</td><td class=\"num\">")
          .append(list.size())
          .append("</td><td class=\"num\">")
          .append(duration(min))
          .append("</td><td class=\"num\">")
          .append(duration(median))
          .append("</td><td class=\"num\">")
          .append(duration(p90))
          .append("</td><td class=\"num\">")
          .append(duration(max))
          .append("</td><td>");
      spread(h, phase, min, median, p90, max, scale);
      h.append("</td><td class=\"slowest\">");
      for (int i = list.size() - 1; i >= Math.max(0, list.size() - SLOWEST); i--) {
        h.append("<span class=\"mono\">")
            .append(escape((String) list.get(i)[1]))
            .append("</span> ")
            .append(duration((Duration) list.get(i)[0]));
        if (i > Math.max(0, list.size() - SLOWEST)) {
          h.append(", ");
        }
      }
      h.append("</td></tr>\n");
    }
    h.append(
            "</tbody>\n</table>\n<p class=\"note\">Time in each phase per machine, between the times tfleet first saw ")
        .append(
            "it and the next state (so within a polling round of the truth); periods still going are left out.");
    long unrecorded = periods.unrecordedCount();
    if (unrecorded > 0) {
      h.append(" Leaves out ")
          .append(unrecorded)
          .append(unrecorded == 1 ? " machine" : " machines")
          .append(" without recorded states.");
    }
    h.append("</p>\n</section>\n");
  }

  /**
   * Nearest-rank percentile: the index of the {@code p}th percentile in a sorted list of {@code n}.
   */
  static int rank(int n, int p) {
    return Math.max(0, (int) Math.ceil(p / 100.0 * n) - 1);
  }

  private static void spread(
      StringBuilder h,
      Phase phase,
      Duration min,
      Duration median,
      Duration p90,
      Duration max,
      long scale) {
    int w = 160;
    double k = (w - 4) / (double) scale;
    double a = 2 + min.toMillis() * k;
    double m = 2 + median.toMillis() * k;
    double p = 2 + p90.toMillis() * k;
    double z = 2 + max.toMillis() * k;
    h.append("<svg class=\"spread\" viewBox=\"0 0 ")
        .append(w)
        .append(" 14\" width=\"")
        .append(w)
        .append("\" height=\"14\" role=\"img\" aria-label=\"min to max\">")
        .append("<line x1=\"")
        .append(num(a))
        .append("\" y1=\"7\" x2=\"")
        .append(num(z))
        .append("\" y2=\"7\"/>")
        .append("<rect class=\"ph ")
        .append(phase.css())
        .append("\" x=\"")
        .append(num(m))
        .append("\" y=\"2\" width=\"")
        .append(num(Math.max(p - m, 1.5)))
        .append("\" height=\"10\"><title>median ")
        .append(duration(median))
        .append(" to p90 ")
        .append(duration(p90))
        .append("</title></rect></svg>");
  }
}
