package io.tfleet.report;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many machines ended with each verdict, and how many that did not pass had each cause; the
 * verdict counts add up to {@code machines}.
 */
record Totals(int machines, Map<Verdict, Integer> counts, Map<Cause, Integer> causes) {
  Totals {
    counts = Collections.unmodifiableMap(new EnumMap<>(counts));
    causes = Collections.unmodifiableMap(new EnumMap<>(causes));
  }

  /**
   * Counts {@code machines} by verdict and cause; every verdict and cause is present, most with 0.
   */
  static Totals of(List<MachineReport> machines) {
    Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    for (Verdict v : Verdict.values()) {
      counts.put(v, 0);
    }
    Map<Cause, Integer> causes = new EnumMap<>(Cause.class);
    for (Cause c : Cause.values()) {
      causes.put(c, 0);
    }
    for (MachineReport m : machines) {
      counts.merge(m.verdict(), 1, Integer::sum);
      if (m.cause() != null) {
        causes.merge(m.cause(), 1, Integer::sum);
      }
    }
    return new Totals(machines.size(), counts, causes);
  }

  int count(Verdict verdict) {
    return counts.get(verdict);
  }

  int count(Cause cause) {
    return causes.get(cause);
  }

  /**
   * {@code machines} first, then one count per verdict in {@link Verdict} order, by {@link
   * Verdict#key()}.
   */
  Map<String, Integer> asMap() {
    Map<String, Integer> map = new LinkedHashMap<>();
    map.put("machines", machines);
    counts.forEach((v, n) -> map.put(v.key(), n));
    return map;
  }

  /** One count per cause in {@link Cause} order, by {@link Cause#key()}. */
  Map<String, Integer> causesMap() {
    Map<String, Integer> map = new LinkedHashMap<>();
    causes.forEach((c, n) -> map.put(c.key(), n));
    return map;
  }

  /**
   * One line such as {@code 20 machines: 17 passed, 2 failed, 1 error; 2 of them lab trouble}; zero
   * counts left out.
   */
  String line() {
    StringBuilder line =
        new StringBuilder().append(machines).append(machines == 1 ? " machine" : " machines");
    String sep = ": ";
    for (Map.Entry<Verdict, Integer> e : counts.entrySet()) {
      if (e.getValue() > 0) {
        line.append(sep).append(e.getValue()).append(' ').append(e.getKey().label());
        sep = ", ";
      }
    }
    int lab = count(Cause.INFRASTRUCTURE);
    if (lab > 0) {
      line.append("; ").append(lab).append(" of them ").append(Cause.INFRASTRUCTURE.label());
    }
    return line.toString();
  }
}
