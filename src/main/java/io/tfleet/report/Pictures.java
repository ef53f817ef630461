package io.tfleet.report;

import static io.tfleet.report.HtmlReport.duration;
import static io.tfleet.report.HtmlReport.escape;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The pictures of report.html, drawn here as inline SVG: nothing to fetch and no script needed to
 * see them. Every picture reads the same {@link Periods}; a phase has the same colour in all.
 */
final class Pictures {
  /** The drawing's width in SVG units; the page scales it to the width it has. */
  static final int WIDTH = 900;

  /** Height of one machine's row in the timeline: 1,000 machines make a 14,000-unit scroll. */
  static final int ROW = 14;

  static final int LABEL = 190;
  static final int RIGHT = 12;
  static final int SHAPE_HEIGHT = 180;
  private static final int SHAPE_SAMPLES = 240;

  static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  /** Steps between axis ticks, the smallest that leaves at most about eight ticks. */
  private static final long[] TICK_SECONDS = {
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400
  };

  private Pictures() {}

  /** The phases the pictures show, in lifecycle order (the legend's order too). */
  static final Phase[] LIFECYCLE = Phase.values();

  // ---------------------------------------------------------------- timeline

  /** One row per machine (in {@code periods}' order), a bar per observed period. */
  static void timeline(StringBuilder h, Periods periods) {
    h.append("<section id=\"timeline-section\">\n<h3>Timeline</h3>\n");
    legend(h, /* withEnded= */ false, periods.anyEarlier());
    if (periods.empty()) {
      h.append(
          "<p class=\"note\">Nothing to draw: no machine has a job with a known time.</p>\n</section>\n");
      return;
    }
    axis(h, periods, "timeline-axis");
    int height = Math.max(periods.machines.size(), 1) * ROW;
    h.append("<div class=\"scroll\">\n<svg id=\"timeline\" class=\"chart\" data-row=\"")
        .append(ROW)
        .append("\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(height)
        .append("\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(height)
        .append("\" role=\"img\" aria-label=\"Timeline: one row per machine\">\n");
    grid(h, periods);
    int y = 0;
    for (Periods.Machine m : periods.machines) {
      row(h, periods, m, y);
      y += ROW;
    }
    h.append("</svg>\n</div>\n");
    h.append("<p class=\"note\">Failures first, then as the table is sorted and filtered. ")
        .append(
            "Each bar runs from when tfleet first saw the job in a state to when it first saw the next; ")
        .append("a tick marks where the job was seen to end. Hover over a bar for its times.");
    if (periods.anyEarlier()) {
      h.append(
          " An earlier attempt is one segment from its submission to its result, green when it"
              + " passed, red when its test failed, orange for lab trouble.");
    }
    long unrecorded = periods.unrecordedCount();
    if (unrecorded > 0) {
      h.append(" <b>")
          .append(unrecorded)
          .append(unrecorded == 1 ? " machine has" : " machines have")
          .append(" no recorded states</b> (a tree written before tfleet recorded them): ")
          .append("their grey bars run from submission to result, phases unknown.");
    }
    h.append("</p>\n</section>\n");
  }

  private static void row(StringBuilder h, Periods periods, Periods.Machine m, int y) {
    MachineReport r = m.report();
    String id = escape(r.machine());
    h.append("<g class=\"tl-row\" data-machine=\"")
        .append(id)
        .append("\" transform=\"translate(0,")
        .append(y)
        .append(")\">");
    h.append("<rect class=\"v-")
        .append(r.verdict().key())
        .append("\" x=\"2\" y=\"3\" width=\"4\" height=\"8\">")
        .append("<title>")
        .append(id)
        .append(": ")
        .append(r.verdict().label())
        .append("</title></rect>");
    String label = r.machine().length() > 26 ? r.machine().substring(0, 25) + "…" : r.machine();
    h.append("<text x=\"10\" y=\"11\">")
        .append(escape(label))
        .append("<title>")
        .append(id)
        .append("</title></text>");
    for (Periods.Earlier e : m.earlier()) {
      earlier(h, periods, id, e);
    }
    for (Periods.Period p : m.periods()) {
      double x0 = x(periods, p.from());
      double x1 = x(periods, p.to());
      h.append("<rect class=\"ph ")
          .append(p.phase().css())
          .append("\" x=\"")
          .append(num(x0))
          .append("\" y=\"2\" width=\"")
          .append(num(Math.max(x1 - x0, 0.8)))
          .append("\" height=\"10\"><title>")
          .append(id)
          .append(": ")
          .append(escape(p.state()))
          .append(", ")
          .append(CLOCK.format(p.from()))
          .append(" → ");
      if (p.open()) {
        h.append("still ").append(escape(p.state())).append(" at ").append(CLOCK.format(p.to()));
      } else {
        h.append(CLOCK.format(p.to()));
      }
      h.append(" UTC (").append(duration(p.length())).append(")</title></rect>");
    }
    if (m.ended() != null && !m.ended().isBefore(periods.start)) {
      double x = x(periods, m.ended());
      h.append("<rect class=\"tl-end\" x=\"")
          .append(num(x - 0.75))
          .append("\" y=\"1\" width=\"1.5\" height=\"12\">")
          .append("<title>")
          .append(id)
          .append(": ")
          .append(m.endState() != null ? "seen " + escape(m.endState()) : "result filed")
          .append(" at ")
          .append(CLOCK.format(m.ended()))
          .append(" UTC</title></rect>");
    }
    h.append("</g>\n");
  }

  /**
   * An earlier attempt as one segment, coloured by how it ended, with a tick where it ended: its
   * states are not drawn, only its span.
   */
  private static void earlier(StringBuilder h, Periods periods, String id, Periods.Earlier e) {
    AttemptReport a = e.attempt();
    double x0 = x(periods, e.from());
    double x1 = x(periods, e.to());
    String how =
        a.passed()
            ? "a-passed"
            : a.cause() != null ? "a-" + a.cause().key() : "a-" + a.verdict().key();
    h.append("<rect class=\"tl-attempt ")
        .append(how)
        .append("\" x=\"")
        .append(num(x0))
        .append("\" y=\"3\" width=\"")
        .append(num(Math.max(x1 - x0, 0.8)))
        .append("\" height=\"8\"><title>")
        .append(id)
        .append(": attempt ")
        .append(a.number())
        .append(" of ")
        .append(e.of())
        .append(", ")
        .append(a.verdict().label());
    if (!a.passed()) {
      h.append(" (").append(escape(Attempts.words(a))).append(')');
    }
    h.append(", ")
        .append(CLOCK.format(e.from()))
        .append(" → ")
        .append(CLOCK.format(e.to()))
        .append(" UTC (")
        .append(duration(e.length()))
        .append(")</title></rect>");
    h.append("<rect class=\"tl-end\" x=\"")
        .append(num(x1 - 0.5))
        .append("\" y=\"2\" width=\"1\" height=\"10\"/>");
  }

  // ---------------------------------------------------------------- the run's shape

  /** How many machines were in each phase over time, stacked. */
  static void shape(StringBuilder h, Periods periods) {
    h.append("<section id=\"shape-section\">\n<h2>The run's shape</h2>\n");
    legend(h, /* withEnded= */ true, /* withEarlier= */ false);
    if (periods.empty()) {
      h.append(
          "<p class=\"note\">Nothing to draw: no machine has a job with a known time.</p>\n</section>\n");
      return;
    }
    long span = Math.max(1, Duration.between(periods.start, periods.end).toMillis());
    double step = span / (double) (SHAPE_SAMPLES - 1);
    Map<Phase, int[]> counts = new EnumMap<>(Phase.class);
    for (Phase p : LIFECYCLE) {
      counts.put(p, new int[SHAPE_SAMPLES]);
    }
    int[] ended = new int[SHAPE_SAMPLES];
    int drawn = 0;
    for (Periods.Machine m : periods.machines) {
      if (m.periods().isEmpty() && m.ended() == null) {
        continue;
      }
      drawn++;
      for (Periods.Period p : m.periods()) {
        fill(counts.get(p.phase()), periods.start, step, p.from(), p.to(), p.open());
      }
      if (m.ended() != null) {
        fill(ended, periods.start, step, m.ended(), periods.end, /* inclusiveEnd= */ true);
      }
    }
    int top = 8;
    int bottom = SHAPE_HEIGHT - 4;
    axis(h, periods, "shape-axis");
    h.append("<svg id=\"shape\" class=\"chart\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(SHAPE_HEIGHT)
        .append("\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(SHAPE_HEIGHT)
        .append("\" role=\"img\" aria-label=\"Machines in each state over time\">\n");
    grid(h, periods);
    int max = Math.max(drawn, 1);
    h.append("<text x=\"")
        .append(LABEL - 6)
        .append("\" y=\"")
        .append(top + 10)
        .append("\" text-anchor=\"end\">")
        .append(max)
        .append(" machines</text>");
    h.append("<text x=\"")
        .append(LABEL - 6)
        .append("\" y=\"")
        .append(bottom)
        .append("\" text-anchor=\"end\">0</text>\n");
    int[] below = new int[SHAPE_SAMPLES];
    List<Object[]> layers = new ArrayList<>();
    for (Phase p : LIFECYCLE) {
      layers.add(new Object[] {p.css(), p.label(), counts.get(p)});
    }
    layers.add(new Object[] {"ph-ended", "ended", ended});
    for (Object[] layer : layers) {
      int[] c = (int[]) layer[2];
      int peak = 0;
      for (int v : c) {
        peak = Math.max(peak, v);
      }
      if (peak == 0) {
        continue;
      }
      StringBuilder d = new StringBuilder();
      for (int k = 0; k < SHAPE_SAMPLES; k++) {
        d.append(k == 0 ? 'M' : 'L')
            .append(num(LABEL + k * (WIDTH - LABEL - RIGHT) / (double) (SHAPE_SAMPLES - 1)))
            .append(',')
            .append(num(bottom - (below[k] + c[k]) * (double) (bottom - top) / max));
      }
      for (int k = SHAPE_SAMPLES - 1; k >= 0; k--) {
        d.append('L')
            .append(num(LABEL + k * (WIDTH - LABEL - RIGHT) / (double) (SHAPE_SAMPLES - 1)))
            .append(',')
            .append(num(bottom - below[k] * (double) (bottom - top) / max));
        below[k] += c[k];
      }
      h.append("<path class=\"ph ")
          .append(layer[0])
          .append("\" d=\"")
          .append(d)
          .append("Z\"><title>")
          .append(layer[1])
          .append(": at most ")
          .append(peak)
          .append(peak == 1 ? " machine" : " machines")
          .append(" at once</title></path>\n");
    }
    h.append(
            "</svg>\n<p class=\"note\">Machines in each state over time, from the states tfleet saw, sampled ")
        .append(SHAPE_SAMPLES)
        .append(" times across the run.");
    if (periods.unrecordedCount() > 0) {
      h.append(
          " Machines without recorded states count as <i>not recorded</i> from submission to result.");
    }
    h.append("</p>\n</section>\n");
  }

  /** Counts one machine in every sample from {@code from} to {@code to}. */
  private static void fill(
      int[] counts, Instant start, double step, Instant from, Instant to, boolean inclusiveEnd) {
    int a = (int) Math.ceil(Duration.between(start, from).toMillis() / step);
    double b = Duration.between(start, to).toMillis() / step;
    int last = inclusiveEnd ? (int) Math.floor(b) : (int) Math.ceil(b) - 1;
    for (int k = Math.max(a, 0); k <= Math.min(last, counts.length - 1); k++) {
      counts[k]++;
    }
  }

  // ---------------------------------------------------------------- shared parts

  static void legend(StringBuilder h, boolean withEnded, boolean withEarlier) {
    h.append("<p class=\"legend\">");
    for (Phase p : LIFECYCLE) {
      h.append("<span><span class=\"swatch ")
          .append(p.css())
          .append("\"></span>")
          .append(p.label())
          .append("</span> ");
    }
    if (withEnded) {
      h.append("<span><span class=\"swatch ph-ended\"></span>ended</span>");
    }
    if (withEarlier) {
      h.append(
          "<span><span class=\"swatch tl-attempt\"></span>earlier attempt (passed, test failed,"
              + " lab trouble)</span>");
    }
    h.append("</p>\n");
  }

  /** The time axis: ticks at round steps of elapsed time since the start, labelled with it. */
  static void axis(StringBuilder h, Periods periods, String id) {
    h.append("<svg id=\"")
        .append(id)
        .append("\" class=\"chart axis\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(" 20\" width=\"")
        .append(WIDTH)
        .append("\" height=\"20\" aria-hidden=\"true\">");
    h.append("<text x=\"")
        .append(LABEL - 6)
        .append("\" y=\"14\" text-anchor=\"end\">")
        .append(CLOCK.format(periods.start))
        .append(" UTC</text>");
    long step = tick(periods);
    long span = Duration.between(periods.start, periods.end).toSeconds();
    for (long s = 0; s <= span; s += step) {
      double x = x(periods, periods.start.plusSeconds(s));
      h.append("<line x1=\"")
          .append(num(x))
          .append("\" y1=\"16\" x2=\"")
          .append(num(x))
          .append("\" y2=\"20\"/>")
          .append("<text x=\"")
          .append(num(x))
          .append("\" y=\"12\" text-anchor=\"")
          .append(s == 0 ? "start" : "middle")
          .append("\">+")
          .append(duration(Duration.ofSeconds(s)))
          .append("</text>");
    }
    h.append("</svg>\n");
  }

  static void grid(StringBuilder h, Periods periods) {
    long step = tick(periods);
    long span = Duration.between(periods.start, periods.end).toSeconds();
    for (long s = 0; s <= span; s += step) {
      double x = x(periods, periods.start.plusSeconds(s));
      h.append("<line class=\"grid\" x1=\"")
          .append(num(x))
          .append("\" y1=\"0\" x2=\"")
          .append(num(x))
          .append("\" y2=\"100%\"/>");
    }
    h.append('\n');
  }

  static long tick(Periods periods) {
    long span = Math.max(1, Duration.between(periods.start, periods.end).toSeconds());
    for (long step : TICK_SECONDS) {
      if (span / step <= 8) {
        return step;
      }
    }
    return (span / 8 / 86400 + 1) * 86400;
  }

  static double x(Periods periods, Instant t) {
    double span = Math.max(1, Duration.between(periods.start, periods.end).toMillis());
    double at = Duration.between(periods.start, t).toMillis();
    return LABEL + Math.max(0, Math.min(at / span, 1)) * (WIDTH - LABEL - RIGHT);
  }

  /** One decimal place is finer than a pixel; fewer digits keep a 1,000-machine page small. */
  static String num(double v) {
    // What String.format(Locale.ROOT, "%.1f", v) writes (its digits are Double.toString's, rounded
    // half up), without parsing a format for each of a big page's numbers.
    BigDecimal rounded = new BigDecimal(Double.toString(v)).setScale(1, RoundingMode.HALF_UP);
    String text = rounded.toPlainString();
    return rounded.signum() == 0 && (v < 0 || 1 / v < 0) ? "-" + text : text;
  }
}
