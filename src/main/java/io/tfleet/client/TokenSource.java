package io.tfleet.client;

import java.io.IOException;

/**
 * Where a client's bearer tokens come from. The client asks {@link #current} before each call and,
 * when the server answers 401, {@link #renew} once before replaying the call.
 */
public interface TokenSource {
  /** No token ever: anonymous use. */
  TokenSource NONE =
      new TokenSource() {
        @Override
        public String current(AuthApi api) {
          return null;
        }

        @Override
        public String renew(AuthApi api, String rejected) {
          return null;
        }
      };

  /** The token to send now, or null to send none. May call the server's login endpoints. */
  String current(AuthApi api) throws IOException, ApiException;

  /**
   * The server answered 401 to a call sent with {@code rejected} (null: sent without a token).
   * Returns the token to replay the call with, or null to let the 401 stand. Concurrent callers
   * that were refused the same token share one renewal.
   */
  String renew(AuthApi api, String rejected) throws IOException, ApiException;
}
