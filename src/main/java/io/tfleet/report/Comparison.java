package io.tfleet.report;

import io.tfleet.store.TreeNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Two runs of a fleet side by side: every machine of either, with how it moved between them.
 *
 * @param baseline the earlier run
 * @param current the run compared with it
 * @param comparedAt when the comparison was made, or null
 * @param rows one per machine of either run, sorted by machine id
 */
public record Comparison(Side baseline, Side current, Instant comparedAt, List<Row> rows) {
  public Comparison {
    Objects.requireNonNull(baseline, "baseline");
    Objects.requireNonNull(current, "current");
    rows = List.copyOf(rows);
  }

  /**
   * One run as compared: where its files are and how much of it could be judged.
   *
   * @param path the output tree
   * @param round the {@code round-N} of each machine that was read, or null for the tree's current
   *     files
   * @param machines how many machines the run has
   * @param judgedFromOutput how many verdicts were judged from {@code output.txt} and the hw status
   *     alone, for want of a {@code result.json} (machines of a tree of the original script)
   */
  public record Side(String path, Integer round, int machines, int judgedFromOutput) {
    public Side {
      Objects.requireNonNull(path, "path");
    }

    /** How people see it named: {@code job_outputs}, or {@code job_outputs round-2}. */
    public String label() {
      return round == null ? path : path + " " + TreeNames.round(round);
    }
  }

  /**
   * One machine in both runs; {@code before} is null for a new machine, {@code after} for a gone
   * one.
   */
  public record Row(String machine, Change change, MachineReport before, MachineReport after) {
    public Row {
      Objects.requireNonNull(machine, "machine");
      Objects.requireNonNull(change, "change");
    }

    /** The test phase's exit code in {@code side}, or null when unknown. */
    static Integer testStatus(MachineReport side) {
      return side == null ? null : Facts.testStatus(side);
    }

    /** The pass rate in {@code side} ({@code 96/100}), or null when the machine is not there. */
    static String passRate(MachineReport side) {
      return side == null ? null : side.passRate().label();
    }
  }

  /** Pairs the machines of two runs by id and says how each moved. */
  public static Comparison of(
      Side baseline,
      List<MachineReport> before,
      Side current,
      List<MachineReport> after,
      Instant comparedAt) {
    Map<String, MachineReport> was = byMachine(before);
    Map<String, MachineReport> is = byMachine(after);
    TreeSet<String> ids = new TreeSet<>(was.keySet());
    ids.addAll(is.keySet());
    List<Row> rows = new ArrayList<>(ids.size());
    for (String id : ids) {
      rows.add(new Row(id, Change.of(was.get(id), is.get(id)), was.get(id), is.get(id)));
    }
    return new Comparison(baseline, current, comparedAt, rows);
  }

  private static Map<String, MachineReport> byMachine(List<MachineReport> machines) {
    Map<String, MachineReport> map = new TreeMap<>();
    for (MachineReport m : machines) {
      if (map.put(m.machine(), m) != null) {
        throw new IllegalArgumentException("machine " + m.machine() + " is listed twice");
      }
    }
    return map;
  }

  /** How many machines moved each way; every change is present, most with 0. */
  public Map<Change, Integer> counts() {
    Map<Change, Integer> counts = new EnumMap<>(Change.class);
    for (Change c : Change.values()) {
      counts.put(c, 0);
    }
    rows.forEach(r -> counts.merge(r.change(), 1, Integer::sum));
    return Collections.unmodifiableMap(counts);
  }

  public int count(Change change) {
    return counts().get(change);
  }

  /**
   * Whether some machine was tried more than once in either run ({@code --repeat}, {@code
   * --retries}): its pass rates are compared, and the tables show them.
   */
  public boolean comparesPassRates() {
    return rows.stream().anyMatch(r -> Change.ratesCount(r.before(), r.after()));
  }

  /**
   * Whether a machine that passed in the baseline does not pass now, or one tried more than once
   * passes less often: what a CI gate fails on.
   */
  public boolean regressed() {
    return count(Change.REGRESSED) > 0;
  }

  /** The rows of machines that are not unchanged, most alarming change first, then by machine. */
  public List<Row> changes() {
    return rows.stream()
        .filter(r -> r.change() != Change.UNCHANGED)
        .sorted(Comparator.comparing(Row::change).thenComparing(Row::machine))
        .toList();
  }

  /**
   * One line such as {@code 2 regressed since job_outputs-old (1 fixed, 1 new, 5 unchanged)}; zero
   * counts other than regressed left out.
   */
  public String sinceLine() {
    StringJoiner rest = new StringJoiner(", ", " (", ")").setEmptyValue("");
    counts()
        .forEach(
            (c, n) -> {
              if (c != Change.REGRESSED && n > 0) {
                rest.add(n + " " + c.label());
              }
            });
    return count(Change.REGRESSED) + " regressed since " + baseline.label() + rest;
  }
}
