package io.tfleet.lab;

/** The one place the lab checks Bearer tokens: it answers a route's {@link Auth}. */
final class Guard {
  /**
   * A refusal.
   *
   * @param atFrontDoor refused by a lab with OIDC before the request counted as an API call: it is
   *     neither counted nor failed by a fault plan, as the login check runs before the routes
   */
  record Refusal(Response answer, boolean atFrontDoor) {}

  private final Tokens tokens;
  private final boolean oidc;

  /**
   * @param oidc whether every call but the open ones wants a login ({@code --oidc})
   */
  Guard(Tokens tokens, boolean oidc) {
    this.tokens = tokens;
    this.oidc = oidc;
  }

  /** Returns the refusal of a request with this {@code Authorization} header, or null. */
  Refusal check(Auth auth, String authorization) {
    if (auth == Auth.NONE) {
      return null;
    }
    Tokens.Check token = tokens.check(authorization);
    if (oidc && auth != Auth.OPEN && token != Tokens.Check.VALID) {
      return new Refusal(refusal(token, "Authentication is required for specified endpoint"), true);
    }
    boolean credentials = tokens.required();
    boolean checked =
        switch (auth) {
          // A server with OIDC checks a token on any call that carries one, reads included, so a
          // token can expire in the middle of a monitoring run; anonymous labs ignore it there.
          case OPEN, TOKEN_IF_PRESENTED -> credentials && token != Tokens.Check.MISSING;
          // Anonymous labs let calls without a token through, but a token presented must decode.
          case REQUIRED_WITH_CREDENTIALS -> credentials || token != Tokens.Check.MISSING;
          default -> false;
        };
    return checked && token != Tokens.Check.VALID
        ? new Refusal(refusal(token, "Authentication required"), false)
        : null;
  }

  private static Response refusal(Tokens.Check token, String missing) {
    return switch (token) {
      case MISSING -> Response.message(401, missing);
      case EXPIRED -> Response.message(401, "Token has expired");
      // PyJWT's bad signature is a decode error too, so upstream says the same for both.
      default -> Response.message(403, "Unable to decode token");
    };
  }
}
