package io.tfleet.client;

import java.util.Objects;

/**
 * The server's answer to a login: an access token, the refresh token when it gave one (null
 * otherwise), and the access token's lifetime in seconds. {@link #toString()} shows no token.
 */
public record TokenAnswer(String accessToken, String refreshToken, long expiresInSeconds) {
  public TokenAnswer {
    Objects.requireNonNull(accessToken, "accessToken");
    if (accessToken.isBlank()) {
      throw new IllegalArgumentException("blank access token");
    }
  }

  @Override
  public String toString() {
    return "TokenAnswer[accessToken=****, refreshToken="
        + (refreshToken == null ? "none" : "****")
        + ", expiresInSeconds="
        + expiresInSeconds
        + "]";
  }
}
