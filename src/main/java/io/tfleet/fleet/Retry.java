package io.tfleet.fleet;

import io.tfleet.client.ApiException;
import io.tfleet.client.ServerUnreachableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tries calls to the server again while they fail in a way that may pass (no answer, 408, 429,
 * 502, 503, 504), with {@link Backoff} and the server's {@code Retry-After}; and remembers whether
 * the server ever answered, which tells an outage from a wrong URL.
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
   * Runs a call that is safe to repeat, at most {@code backoff.attempts()} times; {@code who}
   * names what the notices are about.
   */
  public <T> T run(String who, Call<T> call) throws IOException, ApiException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        T result = call.run();
        answered();
        return result;
      } catch (IOException | ApiException e) {
        rethrowUnlessPassing(e, attempt);
        pause(who, e, attempt);
      }
    }
  }

  /** Rethrows {@code e} unless try number {@code attempt} may be followed by another. */
  void rethrowUnlessPassing(Exception e, int attempt) throws IOException, ApiException {
    if (e instanceof ApiException) {
      answered();
    }
    boolean giveUp =
        e instanceof InterruptedIOException
            || !isPassing(e)
            || attempt >= backoff.attempts()
            // A server never reached is most likely a wrong URL: say so now, not after retries.
            || (e instanceof ServerUnreachableException && !serverSeen());
    if (giveUp) {
      if (e instanceof IOException io) {
        throw io;
      }
      throw (ApiException) e;
    }
  }

  /** Waits before try number {@code attempt + 1}, as long as the server asked if it did. */
  void pause(String who, Exception e, int attempt) throws InterruptedException {
    Duration pause = backoff.delayAfter(attempt);
    if (e instanceof ApiException api && api.retryAfter().isPresent()) {
      Duration asked = api.retryAfter().get();
      Duration cap = backoff.max().multipliedBy(4);
      pause = asked.compareTo(cap) > 0 ? cap : asked.compareTo(pause) > 0 ? asked : pause;
    }
    events.notice(who + ": " + e.getMessage() + "; trying again in " + Durations.format(pause));
    Thread.sleep(pause.toMillis());
  }

  /** Whether a failed call may work if tried again: no answer, or a gateway or overload answer. */
  public static boolean isPassing(Exception e) {
    if (e instanceof ApiException api) {
      int s = api.status();
      return s == 408 || s == 429 || s == 502 || s == 503 || s == 504;
    }
    return e instanceof IOException && !(e instanceof InterruptedIOException);
  }
}
