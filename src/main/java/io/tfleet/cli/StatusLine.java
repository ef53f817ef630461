package io.tfleet.cli;

import io.tfleet.fleet.Durations;
import io.tfleet.report.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The one line that says where a fleet stands, such as {@code tfleet: 32/200 submitted | waiting 3
 * setup 20 test 9 | passed 10 failed 2 | 4m10s, ETA 12m}, made to fit a width: shorter words first,
 * then the states with the fewest machines summed up as {@code +N}, then no states, then cut.
 */
final class StatusLine {
  /** A job's phases in the order it goes through them; states not listed follow, alphabetically. */
  static final List<String> LIFECYCLE =
      List.of(
          "submitted",
          "waiting",
          "setup",
          "provision",
          "firmware_update",
          "test",
          "allocate",
          "allocated",
          "reserve",
          "cleanup");

  private static final Map<String, String> SHORT_STATES =
      Map.of(
          "submitted",
          "sub",
          "waiting",
          "wait",
          "provision",
          "prov",
          "firmware_update",
          "fw",
          "allocate",
          "alloc",
          "allocated",
          "alloc'd",
          "reserve",
          "resv",
          "cleanup",
          "clean");

  private static final Map<Verdict, String> SHORT_VERDICTS =
      Map.of(
          Verdict.PASSED,
          "ok",
          Verdict.FAILED,
          "fail",
          Verdict.CANCELLED,
          "cancel",
          Verdict.TIMED_OUT,
          "t/o",
          Verdict.ERROR,
          "err",
          Verdict.NOT_SUBMITTED,
          "unsub",
          Verdict.UNFINISHED,
          "unfin");

  private StatusLine() {}

  /** The line at full length. */
  static String full(Tally.Counts counts, Duration elapsed, Optional<Duration> eta) {
    return render(
        counts, elapsed, eta, /* terse= */ false, counts.states().size(), "tfleet: ", " submitted");
  }

  /** The fullest form of the line that is at most {@code width} characters long. */
  static String fit(Tally.Counts counts, Duration elapsed, Optional<Duration> eta, int width) {
    List<String> forms = new ArrayList<>();
    forms.add(full(counts, elapsed, eta));
    forms.add(render(counts, elapsed, eta, false, counts.states().size(), "", " submitted"));
    // Then shorter words, and the states with the fewest machines summed up as "+N", one by one.
    for (int kept = counts.states().size(); kept >= 0; kept--) {
      forms.add(render(counts, elapsed, eta, true, kept, "", ""));
    }
    for (String form : forms) {
      if (form.length() <= width) {
        return form;
      }
    }
    String last = forms.get(forms.size() - 1);
    return width <= 0
        ? ""
        : width < 4 ? last.substring(0, width) : last.substring(0, width - 3) + "...";
  }

  private static String render(
      Tally.Counts counts,
      Duration elapsed,
      Optional<Duration> eta,
      boolean terse,
      int statesKept,
      String prefix,
      String submittedWord) {
    StringBuilder line =
        new StringBuilder(prefix)
            .append(counts.submitted())
            .append('/')
            .append(counts.total())
            .append(submittedWord);
    String sep = " | ";
    List<String> busiest = new ArrayList<>(counts.states().keySet());
    busiest.sort(
        Comparator.comparing((String s) -> counts.states().get(s))
            .reversed()
            .thenComparing(StatusLine::lifecycleIndex));
    List<String> kept = busiest.subList(0, statesKept);
    StringJoiner active = new StringJoiner(" ");
    int others = 0;
    for (String state : inLifecycleOrder(counts.states().keySet())) {
      if (kept.contains(state)) {
        active.add(
            (terse ? SHORT_STATES.getOrDefault(state, state) : state)
                + " "
                + counts.states().get(state));
      } else {
        others += counts.states().get(state);
      }
    }
    if (others > 0 && statesKept > 0) {
      active.add("+" + others);
    }
    if (active.length() > 0) {
      line.append(sep).append(active);
    }
    StringJoiner done = new StringJoiner(" ");
    for (Verdict v : Verdict.values()) {
      Integer n = counts.verdicts().get(v);
      if (n != null && n > 0) {
        done.add((terse ? SHORT_VERDICTS.get(v) : v.label()) + " " + n);
      }
    }
    if (done.length() > 0) {
      line.append(sep).append(done);
    }
    line.append(sep).append(Durations.format(Duration.ofSeconds(elapsed.toSeconds())));
    eta.ifPresent(left -> line.append(terse ? " ETA " : ", ETA ").append(Durations.format(left)));
    return line.toString();
  }

  /** Lifecycle order; states tfleet does not know follow, alphabetically. */
  static List<String> inLifecycleOrder(Collection<String> states) {
    List<String> sorted = new ArrayList<>(states);
    sorted.sort(
        Comparator.comparingInt(StatusLine::lifecycleIndex)
            .thenComparing(Comparator.naturalOrder()));
    return sorted;
  }

  private static int lifecycleIndex(String state) {
    int i = LIFECYCLE.indexOf(state);
    return i < 0 ? LIFECYCLE.size() : i;
  }
}
