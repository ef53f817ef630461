package io.tfleet.client;

import java.io.IOException;

/** Tokens from a client id and secret key, fetched on first use and again when one is refused. */
public final class CredentialsTokens implements TokenSource {
  private final Credentials credentials;
  private String token;

  public CredentialsTokens(Credentials credentials) {
    this.credentials = java.util.Objects.requireNonNull(credentials, "credentials");
  }

  @Override
  public synchronized String current(AuthApi api) throws IOException, ApiException {
    if (token == null) {
      token = api.token(credentials).accessToken();
    }
    return token;
  }

  @Override
  public synchronized String renew(AuthApi api, String rejected) throws IOException, ApiException {
    if (token != null && !token.equals(rejected)) {
      return token; // another call renewed it already
    }
    token = null;
    return current(api);
  }
}
