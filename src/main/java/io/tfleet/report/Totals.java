package io.tfleet.report;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How many machines ended with each verdict; the counts add up to {@code machines}. */
record Totals(int machines, Map<Verdict, Integer> counts) {
  Totals {
    counts = Collections.unmodifiableMap(new EnumMap<>(counts));
  }

  /** Counts {@code machines} by verdict; every verdict is present, most with 0. */
  static Totals of(List<MachineReport> machines) {
    Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    for (Verdict v : Verdict.values()) {
      counts.put(v, 0);
    }
    machines.forEach(m -> counts.merge(m.verdict(), 1, Integer::sum));
    return new Totals(machines.size(), counts);
  }

  int count(Verdict verdict) {
    return counts.get(verdict);
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

  /**
   * One line such as {@code 20 machines: 17 passed, 2 failed, 1 not submitted}; zero counts left
   * out.
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
    return line.toString();
  }
}
