package io.tfleet.fleet;

import io.tfleet.client.ApiException;
import io.tfleet.client.ServerUnreachableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tries calls to the server again while they fail in a way that may pass (see {@link #isPassing}),
 * with {@link Backoff} and the server's {@code Retry-After}; and remembers whether the server ever
 * answered, which tells an outage from a wrong URL.
 */
public final class Retry {
  /** A call to the server. */
  @FunctionalInterface
  public interface Call<T> {
    T run() throws IOException, ApiException;
  }

  private final Backoff backoff;
  private final FleetEvents events;
  private final AtomicBoolean serverSeen = new AtomicBoolean();

  public Retry(Backoff backoff, FleetEvents events) {
    this.backoff = backoff;
    this.events = events;
  }

  /** Whether any call got an answer from the server (any status). */
  public boolean serverSeen() {
    return serverSeen.get();
  }

  /** Records that the server answered. */
  public void answered() {
    serverSeen.set(true);
  }

  /**
   * Runs a call that is safe to repeat until it works, fails for good, or has failed for the
   * backoff's budget; {@code who} names what the notices are about.
   */
  public <T> T run(String who, Call<T> call)
      throws IOException, ApiException, InterruptedException {
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        T result = call.run();
        answered();
        return result;
      } catch (IOException | ApiException e) {
        pauseOrRethrow(who, e, attempt, started);
      }
    }
  }

  /**
   * After try number {@code attempt} of a call first tried at {@code startedNanos} failed with
   * {@code e}: rethrows it when no other try is due, else waits before the next one, as long as the
   * server asked if it did.
   */
  void pauseOrRethrow(String who, Exception e, int attempt, long startedNanos)
      throws IOException, ApiException, InterruptedException {
    if (e instanceof ApiException) {
      answered();
    }
    Duration pause = backoff.delayAfter(attempt);
    if (e instanceof ApiException api && api.retryAfter().isPresent()) {
      Duration asked = api.retryAfter().get();
      Duration cap = backoff.max().multipliedBy(4);
      pause = asked.compareTo(cap) > 0 ? cap : asked.compareTo(pause) > 0 ? asked : pause;
    }
    Duration spent = Duration.ofNanos(System.nanoTime() - startedNanos);
    boolean giveUp =
        e instanceof InterruptedIOException
            || !isPassing(e)
            || spent.plus(pause).compareTo(backoff.budget()) > 0
            // A server never reached is most likely a wrong URL: say so now, not after retries.
            || (e instanceof ServerUnreachableException && !serverSeen());
    if (giveUp) {
      if (e instanceof IOException io) {
        throw io;
      }
      throw (ApiException) e;
    }
    events.notice(who + ": " + e.getMessage() + "; trying again in " + Durations.format(pause));
    Thread.sleep(pause.toMillis());
  }

  /**
   * Whether a failed call may work if tried again: no answer, a server error (but 501, which says
   * the server lacks the feature), a timeout (408) or a rate limit (429). Other 4xx answers say the
   * request itself is wrong.
   */
  public static boolean isPassing(Exception e) {
    if (e instanceof ApiException api) {
      int s = api.status();
      return s == 408 || s == 429 || (s >= 500 && s != 501);
    }
    return e instanceof IOException && !(e instanceof InterruptedIOException);
  }
}
