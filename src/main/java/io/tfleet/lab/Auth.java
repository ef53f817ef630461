package io.tfleet.lab;

/**
 * What a route asks of the caller's Bearer token, as upstream's decorators ask it; {@link Guard}
 * enforces it. "With credentials": the lab has {@code --client}s; "with OIDC": {@code --oidc}.
 */
enum Auth {
  /** Never looks at a token: the token calls, which carry Basic credentials, and device logins. */
  NONE,
  /** The home page: open even with OIDC; with credentials a token presented must be valid. */
  OPEN,
  /** A path or method no route has (404, 405): only OIDC wants a token first. */
  LOGIN_WITH_OIDC,
  /** Reads: OIDC wants a valid token; with credentials a token presented must be valid. */
  TOKEN_IF_PRESENTED,
  /**
   * Calls that change jobs: OIDC or credentials want a valid token; without either, a token
   * presented must still decode.
   */
  REQUIRED_WITH_CREDENTIALS
}
