package io.tfleet.lab;

import java.time.Duration;
import java.util.Objects;

/**
 * How the lab plays a server with OIDC on.
 *
 * @param required every endpoint but the login ones wants a valid token, and device logins are
 *     served ({@code /oidc/auth-init}, {@code /oidc/auth-poll/<id>}, an approval page at {@code
 *     /device})
 * @param interval the polling interval a device login asks for
 * @param codeLifetime how long a device login's code may wait for approval
 * @param refreshLifetime how long a refresh token lasts, from credentials or a device login
 * @param slowDownWait the {@code Retry-After} of a {@code slow_down} answer
 */
public record OidcSettings(
    boolean required,
    Duration interval,
    Duration codeLifetime,
    Duration refreshLifetime,
    Duration slowDownWait) {
  public OidcSettings {
    positive(interval, "interval");
    positive(codeLifetime, "codeLifetime");
    positive(refreshLifetime, "refreshLifetime");
    positive(slowDownWait, "slowDownWait");
    if (interval.toMillis() % 1000 != 0 || slowDownWait.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("interval and slowDownWait are whole seconds on the wire");
    }
  }

  /** OIDC off, with the upstream server's lifetimes (refresh tokens last 6 days). */
  public static OidcSettings off() {
    return new OidcSettings(
        false,
        Duration.ofSeconds(1),
        Duration.ofMinutes(5),
        Duration.ofDays(6),
        Duration.ofSeconds(5));
  }

  /** The same, with OIDC on. */
  public static OidcSettings on() {
    return off().withRequired(true);
  }

  public OidcSettings withRequired(boolean required) {
    return new OidcSettings(required, interval, codeLifetime, refreshLifetime, slowDownWait);
  }

  public OidcSettings withInterval(Duration interval) {
    return new OidcSettings(required, interval, codeLifetime, refreshLifetime, slowDownWait);
  }

  public OidcSettings withCodeLifetime(Duration codeLifetime) {
    return new OidcSettings(required, interval, codeLifetime, refreshLifetime, slowDownWait);
  }

  public OidcSettings withRefreshLifetime(Duration refreshLifetime) {
    return new OidcSettings(required, interval, codeLifetime, refreshLifetime, slowDownWait);
  }

  public OidcSettings withSlowDownWait(Duration slowDownWait) {
    return new OidcSettings(required, interval, codeLifetime, refreshLifetime, slowDownWait);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " <= 0");
    }
  }
}
