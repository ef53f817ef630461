package io.tfleet.report;

/**
 * How one machine moved between two runs, in the order reports list them: the first that applies
 * wins, so a machine that regressed and changed hw status counts as regressed.
 */
public enum Change {
  /**
   * It passed in the baseline and did not pass now; or, where either run tried it more than once
   * ({@code --repeat}, {@code --retries}), its pass rate dropped ({@code 99/100 -> 96/100}).
   */
  REGRESSED,
  /** It did not pass in the baseline and passed now. */
  FIXED,
  /** Both runs filed a hw status, and they differ. */
  HW_STATUS_CHANGED,
  /** It did not pass in either run. */
  STILL_FAILING,
  /** It is in the current run only. */
  NEW,
  /** It is in the baseline only. */
  GONE,
  /** It passed in both, with the same hw status. */
  UNCHANGED;

  /** The word in files ({@code comparison.json}) and page classes: {@code hw_status_changed}. */
  public String key() {
    return name().toLowerCase();
  }

  /** The words printed for people: {@code hw status changed}. */
  public String label() {
    return key().replace('_', ' ');
  }

  /**
   * How a machine seen in {@code before} (null: not there) and {@code after} (null: not there)
   * moved.
   */
  static Change of(MachineReport before, MachineReport after) {
    if (before == null && after == null) {
      throw new IllegalArgumentException("a machine must be in one of the runs");
    }
    if (before == null) {
      return NEW;
    }
    if (after == null) {
      return GONE;
    }
    boolean passedBefore = before.verdict().passed();
    boolean passedAfter = after.verdict().passed();
    if (passedBefore && !passedAfter) {
      return REGRESSED;
    }
    if (ratesCount(before, after) && after.passRate().below(before.passRate())) {
      return REGRESSED;
    }
    if (!passedBefore && passedAfter) {
      return FIXED;
    }
    // A machine with no hw status on one side (no output: an error, a cancel) has not "moved" its
    // status; its verdict says what happened.
    if (before.hwStatus() != null
        && after.hwStatus() != null
        && !before.hwStatus().equals(after.hwStatus())) {
      return HW_STATUS_CHANGED;
    }
    return passedAfter ? UNCHANGED : STILL_FAILING;
  }

  /**
   * Whether the pass rates of a machine say more than its verdicts: either run tried it more than
   * once. With one attempt each, a rate is only the verdict again.
   */
  static boolean ratesCount(MachineReport before, MachineReport after) {
    return before != null && before.attempts().size() > 1
        || after != null && after.attempts().size() > 1;
  }
}
