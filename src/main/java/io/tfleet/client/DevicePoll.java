package io.tfleet.client;

import java.time.Duration;

/** One answer to {@code POST /oidc/auth-poll/<request_id>}. */
public record DevicePoll(State state, TokenAnswer tokens, Duration retryAfter) {
  /** What the server said about the login. */
  public enum State {
    /** Approved: {@link #tokens()} holds the tokens. */
    APPROVED,
    /** {@code authorization_pending}: nobody has approved yet; keep polling. */
    PENDING,
    /** {@code slow_down}: poll less often ({@link #retryAfter()} when the server said how long). */
    SLOW_DOWN,
    /** {@code access_denied}: the person refused. */
    DENIED,
    /** {@code expired_token}: the code ran out before anyone approved it. */
    EXPIRED,
    /** The request id is unknown or gone (already used, denied, or expired). */
    GONE
  }

  public DevicePoll {
    if ((state == State.APPROVED) != (tokens != null)) {
      throw new IllegalArgumentException("tokens come with APPROVED and only then");
    }
  }

  static DevicePoll of(State state) {
    return new DevicePoll(state, null, null);
  }
}
