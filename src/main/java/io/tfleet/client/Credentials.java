package io.tfleet.client;

import java.util.Objects;

/** A client id and secret key; {@link #toString()} never shows the secret. */
public record Credentials(String clientId, String secretKey) {
  public Credentials {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(secretKey, "secretKey");
    if (clientId.isBlank() || secretKey.isBlank()) {
      throw new IllegalArgumentException("client id and secret key must not be blank");
    }
  }

  @Override
  public String toString() {
    return "Credentials[clientId=" + clientId + ", secretKey=****]";
  }
}
