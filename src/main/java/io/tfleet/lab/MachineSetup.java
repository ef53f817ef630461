package io.tfleet.lab;

import java.util.Set;

/**
 * How one machine is set up to behave, for a test that needs it to: its test phase's exit status,
 * the provision streak its agent starts with, and output its test prints on top of what it prints.
 *
 * @param testStatus the test phase's exit status whatever its commands exit with; null keeps theirs
 *     (a simulated test passes)
 * @param streakType the provision streak the agent starts with, {@code pass} or {@code fail}; null
 *     for the lab's default, {@code pass} with a count of 0
 * @param streakCount provisions in a row of that type, at start; 0 without a type
 * @param testOutputBytes bytes of {@link OutputPattern} the test phase prints after its own output;
 *     0 for none
 */
public record MachineSetup(
    Integer testStatus, String streakType, int streakCount, long testOutputBytes) {

  /** The streak types upstream's agents data has. */
  public static final Set<String> STREAK_TYPES = Set.of("pass", "fail");

  /** What {@link #testStatus} can be: an exit status, as a shell reports it. */
  public static final int MAX_STATUS = 255;

  public MachineSetup {
    if (testStatus != null && (testStatus < 0 || testStatus > MAX_STATUS)) {
      throw new IllegalArgumentException("test status must be 0..255, not " + testStatus);
    }
    if (streakType != null && !STREAK_TYPES.contains(streakType)) {
      throw new IllegalArgumentException(
          "provision streak type must be pass or fail, not " + streakType);
    }
    if (streakCount < 0 || (streakType == null && streakCount != 0)) {
      throw new IllegalArgumentException("provision streak count must be >= 0, with a type");
    }
    if (testOutputBytes < 0) {
      throw new IllegalArgumentException("test output size < 0");
    }
  }

  /** A machine that behaves as every lab machine does. */
  public static MachineSetup plain() {
    return new MachineSetup(null, null, 0, 0);
  }

  /** This machine, its test phase ending with {@code status} whatever its commands did. */
  public MachineSetup withTestStatus(int status) {
    return new MachineSetup(status, streakType, streakCount, testOutputBytes);
  }

  /** This machine, its agent starting with {@code count} provisions of that type in a row. */
  public MachineSetup withProvisionStreak(String type, int count) {
    return new MachineSetup(testStatus, type, count, testOutputBytes);
  }

  /** This machine, its test printing {@code bytes} bytes of the pattern after its own output. */
  public MachineSetup withTestOutput(long bytes) {
    return new MachineSetup(testStatus, streakType, streakCount, bytes);
  }
}
