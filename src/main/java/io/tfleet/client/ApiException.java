package io.tfleet.client;

import java.time.Duration;
import java.util.Optional;

/** The server answered, with an error status; {@link #getMessage()} is one line for a person. */
public final class ApiException extends Exception {
  private final int status;
  private final Duration retryAfter;

  public ApiException(int status, String message) {
    this(status, message, null);
  }

  /** {@code retryAfter}: what the server's {@code Retry-After} asked for, or null. */
  public ApiException(int status, String message, Duration retryAfter) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }

  /** How long the server asked us to wait before trying again, if it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** The HTTP status the server answered. */
  public int status() {
    return status;
  }

  /**
   * Whether the server refused our credentials, which no other machine's job will get past either.
   */
  public boolean isAuthProblem() {
    return status == 401 || status == 403;
  }
}
