package io.tfleet.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** What the reports say about a machine's attempts, the same way in every format. */
final class Attempts {
  /** Attempt numbers listed in a line before the rest are only counted: a line stays a line. */
  static final int MAX_NUMBERS = 20;

  private Attempts() {}

  /**
   * The machine's attempts, oldest first: its list, or for a machine of one attempt that attempt,
   * made of the machine's own parts; none for a machine that was never submitted.
   */
  static List<AttemptReport> of(MachineReport m) {
    if (!m.attempts().isEmpty()) {
      return m.attempts();
    }
    if (m.verdict() == Verdict.NOT_SUBMITTED) {
      return List.of();
    }
    return List.of(
        new AttemptReport(
            1,
            m.jobId(),
            m.verdict(),
            m.cause(),
            m.reason(),
            m.submittedAt(),
            m.finishedAt(),
            /* dir= */ null));
  }

  /** The attempts before the latest: the ones that were tried again. */
  static List<AttemptReport> earlier(MachineReport m) {
    List<AttemptReport> all = m.attempts();
    return all.size() < 2 ? List.of() : all.subList(0, all.size() - 1);
  }

  /** The latest attempt's number: 1 for a machine of one attempt. */
  static int latest(MachineReport m) {
    List<AttemptReport> all = m.attempts();
    return all.isEmpty() ? 1 : all.get(all.size() - 1).number();
  }

  /** Whether the attempt's test ran to a verdict: it passed, or its test failed. */
  static boolean tested(AttemptReport a) {
    // A failure of unknown cause is taken for a test failure, as reports did before causes.
    return a.passed()
        || a.cause() == Cause.TEST
        || a.cause() == null && a.verdict() == Verdict.FAILED;
  }

  static PassRate passRate(MachineReport m) {
    int passed = 0;
    int tested = 0;
    for (AttemptReport a : of(m)) {
      passed += a.passed() ? 1 : 0;
      tested += tested(a) ? 1 : 0;
    }
    return new PassRate(passed, tested);
  }

  /** Every machine's pass rate added up. */
  static PassRate total(List<MachineReport> machines) {
    int passed = 0;
    int tested = 0;
    for (MachineReport m : machines) {
      PassRate r = passRate(m);
      passed += r.passed();
      tested += r.tested();
    }
    return new PassRate(passed, tested);
  }

  static int passed(MachineReport m) {
    return (int) of(m).stream().filter(AttemptReport::passed).count();
  }

  /** The numbers of the attempts that ended without passing; an attempt still going is not one. */
  static List<Integer> failed(MachineReport m) {
    return of(m).stream().filter(Attempts::failed).map(AttemptReport::number).toList();
  }

  private static boolean failed(AttemptReport a) {
    return !a.passed() && a.verdict() != Verdict.UNFINISHED;
  }

  /**
   * The words a verdict needs beside it, or null: {@code lab trouble}, {@code by you} (a cancel),
   * {@code attempt 2} (a pass after earlier attempts, outside a repeat run).
   */
  static String note(MachineReport m, boolean repeated) {
    Cause cause = m.cause();
    if (cause == Cause.INFRASTRUCTURE) {
      return cause.label();
    }
    if (cause == Cause.USER) {
      return m.verdict() == Verdict.CANCELLED ? "by you" : null;
    }
    if (cause == Cause.TEST) {
      return m.verdict() == Verdict.FAILED ? null : cause.label();
    }
    if (m.verdict().passed() && !repeated && latest(m) > 1) {
      return "attempt " + latest(m);
    }
    return null;
  }

  /** The verdict with its note: {@code error (lab trouble)}, {@code passed (attempt 2)}. */
  static String result(MachineReport m, boolean repeated) {
    String note = note(m, repeated);
    return note == null ? m.verdict().label() : m.verdict().label() + " (" + note + ")";
  }

  /**
   * The attempts in one line, or null for a machine of one attempt outside a repeat run: {@code
   * passed on attempt 2: provision phase exited 1 once}, {@code 3 attempts, none passed: ...}, and
   * in a repeat run {@code 97/99 passed; failed 12, 55; lab trouble 81}.
   */
  static String story(MachineReport m, boolean repeated) {
    if (repeated) {
      return repeatStory(m);
    }
    List<AttemptReport> all = m.attempts();
    if (all.size() < 2) {
      return null;
    }
    AttemptReport last = all.get(all.size() - 1);
    List<AttemptReport> told = new ArrayList<>();
    String lead;
    if (last.passed()) {
      lead = "passed on attempt " + last.number();
      told.addAll(earlier(m));
    } else if (last.verdict() == Verdict.UNFINISHED) {
      lead = "attempt " + last.number() + " going";
      told.addAll(earlier(m));
    } else {
      lead = all.size() + " attempts, none passed";
      told.addAll(all);
    }
    String reasons = reasons(told);
    return reasons.isEmpty() ? lead : lead + ": " + reasons;
  }

  private static String repeatStory(MachineReport m) {
    List<Integer> failedTests = new ArrayList<>();
    // Attempts that never tested anything, by what stopped them: lab trouble 81, stopped by you 90.
    Map<String, List<Integer>> untested = new LinkedHashMap<>();
    int going = 0;
    for (AttemptReport a : of(m)) {
      if (a.verdict() == Verdict.UNFINISHED) {
        going++;
      } else if (tested(a)) {
        if (!a.passed()) {
          failedTests.add(a.number());
        }
      } else {
        String why = a.cause() != null ? a.cause().label() : a.verdict().label();
        untested.computeIfAbsent(why, k -> new ArrayList<>()).add(a.number());
      }
    }
    StringBuilder s = new StringBuilder(m.passRate().label()).append(" passed");
    if (!failedTests.isEmpty()) {
      s.append("; failed ").append(numbers(failedTests));
    }
    untested.forEach(
        (why, numbers) -> s.append("; ").append(why).append(' ').append(numbers(numbers)));
    if (going > 0) {
      s.append("; ").append(going).append(" still going");
    }
    return s.toString();
  }

  /**
   * The reasons of the attempts that did not pass, each once with how often, in the order they
   * first came: {@code provision phase exited 1 twice, job lost once}.
   */
  static String reasons(List<AttemptReport> attempts) {
    Map<String, Integer> times = new LinkedHashMap<>();
    for (AttemptReport a : attempts) {
      if (failed(a)) {
        times.merge(words(a), 1, Integer::sum);
      }
    }
    StringJoiner j = new StringJoiner(", ");
    times.forEach((reason, n) -> j.add(reason + " " + times(n)));
    return j.toString();
  }

  /** Why an attempt did not pass: its reason, else its cause, else its verdict. */
  static String words(AttemptReport a) {
    if (a.reason() != null && !a.reason().isBlank()) {
      return Text.oneLine(a.reason()).strip();
    }
    return a.cause() != null ? a.cause().label() : a.verdict().label();
  }

  static String times(int n) {
    return switch (n) {
      case 1 -> "once";
      case 2 -> "twice";
      default -> n + " times";
    };
  }

  /** {@code 12, 55, 81}; past {@link #MAX_NUMBERS}, {@code ... and 30 more}. */
  static String numbers(List<Integer> numbers) {
    StringJoiner j = new StringJoiner(", ");
    for (int i = 0; i < Math.min(numbers.size(), MAX_NUMBERS); i++) {
      j.add(numbers.get(i).toString());
    }
    String s = j.toString();
    return numbers.size() > MAX_NUMBERS
        ? s + " and " + (numbers.size() - MAX_NUMBERS) + " more"
        : s;
  }

  /**
   * How many machines that did not pass had lab trouble, in a sentence, or null when none did:
   * {@code 2 machines of the 5 that did not pass had lab trouble (...): no test failed there.}
   */
  static String labNote(List<MachineReport> machines) {
    Totals totals = Totals.of(machines);
    int lab = totals.count(Cause.INFRASTRUCTURE);
    if (lab == 0) {
      return null;
    }
    int notPassed = totals.machines() - totals.count(Verdict.PASSED);
    return lab
        + (lab == 1 ? " machine" : " machines")
        + " of the "
        + notPassed
        + " that did not pass had lab trouble (a phase before the test failed, the job was lost or"
        + " refused): no test failed there.";
  }

  /**
   * A repeat run's attempts in a sentence, or null for another run: {@code Each machine ran its job
   * 5 times: 12/14 attempts passed (...).}
   */
  static String repeatNote(RunReport run) {
    if (!run.repeated()) {
      return null;
    }
    return "Each machine ran its job "
        + run.repeat()
        + " times: "
        + total(run.machines()).label()
        + " attempts passed (attempts stopped by lab trouble or by you not counted).";
  }

  /** How many machines passed only on a later attempt, or 0 in a repeat run. */
  static int passedLater(RunReport run) {
    if (run.repeated()) {
      return 0;
    }
    return (int)
        run.machines().stream().filter(m -> m.verdict().passed() && !failed(m).isEmpty()).count();
  }
}
