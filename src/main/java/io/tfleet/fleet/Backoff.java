package io.tfleet.fleet;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential, jittered, capped delays between tries of one call. */
public record Backoff(Duration initial, Duration max, int attempts) {
  /** What tfleet uses: 0.5 s, 1 s, 2 s, 4 s, then 8 s at most, five tries in all (about 15 s). */
  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8), 5);

  public Backoff {
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 <= initial <= max");
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts < 1");
    }
  }

  /**
   * The pause before try number {@code attempt + 1}: doubling from {@link #initial}, capped at
   * {@link #max}, then spread over its upper half so many clients retrying at once do not stay in
   * step.
   */
  public Duration delayAfter(int attempt) {
    long base = initial.toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, max.toMillis());
    long half = capped / 2;
    return Duration.ofMillis(half + (half == 0 ? 0 : ThreadLocalRandom.current().nextLong(half + 1)));
  }
}
