package io.tfleet.fleet;

import java.security.SecureRandom;
import java.util.HexFormat;

/** The tag every job of one run carries, so one search finds them all. */
public final class RunTag {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PREFIX = "tfleet-run-";

  private RunTag() {}

  /** A new tag: random, so two runs (even in one output tree) never share one. */
  public static String next() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return PREFIX + HexFormat.of().formatHex(bytes);
  }
}
