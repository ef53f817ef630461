package io.tfleet.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Why a call to the server did not give its answer, judged once for every call (see {@link
 * TestflingerClient#call}).
 *
 * @param kind what it means for the caller
 * @param message one line for a person
 * @param status the HTTP status the server answered, or 0 when it did not answer
 * @param retryAfter how long the server asked us to wait, or null
 */
public record Problem(Kind kind, String message, int status, Duration retryAfter) {
  /** What a failed call means for the caller. */
  public enum Kind {
    /** No answer, a timeout, a server error or a rate limit: trying again may work. */
    PASSING,
    /** A success whose body is not what the API promises: trying again may work. */
    BAD_ANSWER,
    /** The server refused this request (a 4xx other than auth): trying again will not help. */
    REFUSED,
    /** The server refused our credentials: no other call will get past it either. */
    AUTH,
    /** The server was never reached, most likely a wrong URL: the run cannot go on. */
    UNREACHABLE
  }

  public Problem {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
  }

  /** Whether the same call may work if tried again later. */
  public boolean mayPass() {
    return kind == Kind.PASSING || kind == Kind.BAD_ANSWER;
  }

  /** Whether no machine of the run can get past this: the run stops. */
  public boolean stopsRun() {
    return kind == Kind.AUTH || kind == Kind.UNREACHABLE;
  }

  /**
   * A server that answered {@code e}: a timeout (408), a rate limit (429) or a 5xx but 501 pass.
   */
  static Problem answered(ApiException e) {
    int s = e.status();
    Kind kind =
        s == 401 || s == 403
            ? Kind.AUTH
            : s == 408 || s == 429 || (s >= 500 && s != 501) ? Kind.PASSING : Kind.REFUSED;
    return new Problem(kind, e.getMessage(), s, e.retryAfter().orElse(null));
  }
}
