package io.tfleet.report;

import java.util.Locale;

/**
 * The kinds of period the pictures draw, one colour each: a job's phases as its states name them,
 * the states no picture names, and a stretch whose states were not recorded.
 */
enum Phase {
  WAITING("waiting"),
  SETUP("setup"),
  PROVISION("provision"),
  FIRMWARE("firmware"),
  TEST("test"),
  CLEANUP("cleanup"),
  /** Any other state: {@code running}, {@code allocate}, {@code reserve}, ... */
  OTHER("other"),
  /** A job whose states were not recorded (a tree written before tfleet recorded them). */
  UNRECORDED("not recorded");

  private final String label;

  Phase(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  /** The CSS class that colours this phase, the same in every picture: {@code ph-test}. */
  String css() {
    return "ph-" + name().toLowerCase(Locale.ROOT);
  }

  /** The phase a job in {@code state} is in. */
  static Phase of(String state) {
    return switch (state) {
      case "waiting" -> WAITING;
      case "setup" -> SETUP;
      case "provision" -> PROVISION;
      case "firmware_update" -> FIRMWARE;
      case "test" -> TEST;
      case "cleanup" -> CLEANUP;
      default -> OTHER;
    };
  }

  /** Whether a job seen in {@code state} has ended: its timeline stops there. */
  static boolean ends(String state) {
    return switch (state) {
      case "complete", "completed", "cancelled", "vanished", "timed out" -> true;
      default -> false;
    };
  }
}
