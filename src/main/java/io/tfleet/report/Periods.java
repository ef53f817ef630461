package io.tfleet.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What the pictures draw: each machine's observed periods, and the span of time they cover. */
final class Periods {
  /**
   * One stretch of a job's life: in {@code state} from when it was first seen until the next state
   * was seen; {@code open} when nothing followed (still going when the report was written).
   */
  record Period(Phase phase, String state, Instant from, Instant to, boolean open) {
    Duration length() {
      return Duration.between(from, to);
    }
  }

  /**
   * An attempt before the machine's latest, from its submission to its result: all that is known of
   * it, so the timeline draws it as one segment.
   */
  record Earlier(AttemptReport attempt, int of, Instant from, Instant to) {
    Duration length() {
      return Duration.between(from, to);
    }
  }

  /**
   * A machine's periods (its latest attempt's), when its job was seen to end (null when it was
   * not), and its earlier attempts.
   */
  record Machine(
      MachineReport report,
      List<Period> periods,
      Instant ended,
      String endState,
      List<Earlier> earlier) {
    /** Whether the periods come from recorded states, not just the submission and result times. */
    boolean recorded() {
      return !report.observed().isEmpty();
    }
  }

  final Instant start;
  final Instant end;
  final List<Machine> machines;

  private Periods(Instant start, Instant end, List<Machine> machines) {
    this.start = start;
    this.end = end;
    this.machines = machines;
  }

  /** Every machine's periods, in the order of {@code machines}; open periods run to the end. */
  static Periods of(RunReport run, List<MachineReport> machines) {
    Instant end = end(run);
    List<Machine> all = new ArrayList<>(machines.size());
    Instant start = null;
    for (MachineReport m : machines) {
      Machine periods = periods(m, end);
      all.add(periods);
      for (Period p : periods.periods()) {
        start = start == null || p.from().isBefore(start) ? p.from() : start;
      }
      if (periods.ended() != null) {
        start = start == null || periods.ended().isBefore(start) ? periods.ended() : start;
      }
      for (Earlier e : periods.earlier()) {
        start = start == null || e.from().isBefore(start) ? e.from() : start;
      }
    }
    if (run.startedAt() != null && (start == null || run.startedAt().isBefore(start))) {
      start = run.startedAt();
    }
    if (start != null && end != null && end.isBefore(start)) {
      end = start;
    }
    return new Periods(start, end, all);
  }

  /** Whether there is anything to draw. */
  boolean empty() {
    return start == null || end == null || !end.isAfter(start);
  }

  long recordedCount() {
    return machines.stream().filter(Machine::recorded).count();
  }

  /** Whether some machine has earlier attempts to draw. */
  boolean anyEarlier() {
    return machines.stream().anyMatch(m -> !m.earlier().isEmpty());
  }

  /** Machines with a job but no recorded states: their bars only span submission to result. */
  long unrecordedCount() {
    return machines.stream().filter(m -> !m.recorded() && !m.periods().isEmpty()).count();
  }

  /** The end of the pictures: when the report was written, else the last time anything was seen. */
  private static Instant end(RunReport run) {
    if (run.finishedAt() != null) {
      return run.finishedAt();
    }
    Instant end = null;
    for (MachineReport m : run.machines()) {
      for (Instant t :
          new Instant[] {
            m.submittedAt(),
            m.finishedAt(),
            m.observed().isEmpty() ? null : m.observed().get(m.observed().size() - 1).seen()
          }) {
        if (t != null && (end == null || t.isAfter(end))) {
          end = t;
        }
      }
    }
    return end;
  }

  /** The attempts before the latest whose submission and result times are both known. */
  private static List<Earlier> earlier(MachineReport m) {
    List<Earlier> earlier = new ArrayList<>();
    int of = m.attempts().size();
    for (AttemptReport a : Attempts.earlier(m)) {
      if (a.submittedAt() != null
          && a.finishedAt() != null
          && !a.finishedAt().isBefore(a.submittedAt())) {
        earlier.add(new Earlier(a, of, a.submittedAt(), a.finishedAt()));
      }
    }
    return earlier;
  }

  private static Machine periods(MachineReport m, Instant end) {
    List<Earlier> earlier = earlier(m);
    List<Period> periods = new ArrayList<>();
    List<Observed> seen = m.observed();
    if (seen.isEmpty()) {
      // Before tfleet recorded states all that is known is when the job was accepted and filed.
      if (m.submittedAt() != null) {
        Instant to = m.finishedAt() != null ? m.finishedAt() : end;
        if (to != null && !to.isBefore(m.submittedAt())) {
          periods.add(
              new Period(
                  Phase.UNRECORDED, "not recorded", m.submittedAt(), to, m.finishedAt() == null));
        }
      }
      return new Machine(m, periods, m.finishedAt(), null, earlier);
    }
    for (int i = 0; i < seen.size(); i++) {
      Observed o = seen.get(i);
      if (Phase.ends(o.state())) {
        return new Machine(m, periods, o.seen(), o.state(), earlier);
      }
      boolean last = i + 1 == seen.size();
      // A job that was filed without its end being seen (lost, given up on) stops at its result.
      Instant to = !last ? seen.get(i + 1).seen() : m.finishedAt() != null ? m.finishedAt() : end;
      if (to != null && !to.isBefore(o.seen())) {
        periods.add(
            new Period(
                Phase.of(o.state()), o.state(), o.seen(), to, last && m.finishedAt() == null));
      }
    }
    return new Machine(m, periods, m.finishedAt(), null, earlier);
  }
}
