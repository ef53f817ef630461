package io.tfleet.cli;

import java.time.Duration;
import java.util.Optional;

/**
 * How long a fleet has left, steady enough to read: none until enough machines have finished to
 * judge the pace, then a finish time that counts down between finishes and moves only part of the
 * way towards each new estimate, so one quick or slow machine does not make it jump.
 */
final class Eta {
  /**
   * How far the finish time moves towards a new estimate (a quarter: ~4 finishes to follow a
   * change).
   */
  private static final double FOLLOW = 0.25;

  /** At most this many finishes before the first ETA: early finishers say little about the rest. */
  private static final int MAX_SAMPLE = 10;

  private final int total;
  private int seenFinished;
  private long finishNanos;
  private boolean known;

  Eta(int total) {
    this.total = total;
  }

  /**
   * Finishes needed before an ETA shows: 5% of the fleet, at least 1 and at most {@value
   * #MAX_SAMPLE}.
   */
  int sample() {
    return Math.max(1, Math.min(MAX_SAMPLE, (int) Math.ceil(total * 0.05)));
  }

  /**
   * The time left, {@code elapsedNanos} after the start with {@code finished} machines done; empty
   * before the pace is known and once all are done.
   */
  synchronized Optional<Duration> left(long elapsedNanos, int finished) {
    if (finished >= total || finished < sample()) {
      return Optional.empty();
    }
    if (finished != seenFinished || !known) {
      long estimate = elapsedNanos + (long) ((double) elapsedNanos / finished * (total - finished));
      finishNanos = known ? finishNanos + (long) ((estimate - finishNanos) * FOLLOW) : estimate;
      seenFinished = finished;
      known = true;
    }
    if (finishNanos <= elapsedNanos) {
      // Later than foreseen: start again from the pace so far.
      finishNanos = elapsedNanos + (long) ((double) elapsedNanos / finished * (total - finished));
    }
    return Optional.of(round(Duration.ofNanos(finishNanos - elapsedNanos)));
  }

  /** Seconds under a minute, whole minutes under an hour, then hours and minutes. */
  static Duration round(Duration d) {
    if (d.compareTo(Duration.ofMinutes(1)) < 0) {
      return Duration.ofSeconds(Math.max(1, d.toSeconds()));
    }
    return Duration.ofMinutes((d.toSeconds() + 30) / 60);
  }
}
