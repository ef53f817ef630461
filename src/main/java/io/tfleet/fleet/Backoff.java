package io.tfleet.fleet;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential, jittered, capped pauses between tries of one call, for at most {@code budget} from
 * the first try.
 */
public record Backoff(Duration initial, Duration max, Duration budget) {
  /** What tfleet uses: 0.5 s doubling to 8 s at most, for up to 2 minutes. */
  public static final Backoff DEFAULT =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofMinutes(2));

  public Backoff {
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 <= initial <= max");
    }
    if (budget.isNegative()) {
      throw new IllegalArgumentException("budget < 0");
    }
  }

  /** The same pauses, for at most {@code newBudget}. */
  public Backoff withBudget(Duration newBudget) {
    return new Backoff(initial, max, newBudget);
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
    return Duration.ofMillis(
        half + (half == 0 ? 0 : ThreadLocalRandom.current().nextLong(half + 1)));
  }
}
