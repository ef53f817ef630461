package io.tfleet.client;

import java.time.Duration;
import java.util.Objects;

/**
 * A device login the server started ({@code POST /oidc/auth-init}): the person opens {@code
 * verificationUri} and enters {@code userCode} while the client polls with {@code requestId}.
 * {@link #toString()} hides the request id, which would let anyone collect the tokens.
 */
public record DeviceCode(
    String requestId,
    String userCode,
    String verificationUri,
    String verificationUriComplete,
    Duration interval,
    Duration expiresIn) {
  public DeviceCode {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(userCode, "userCode");
    Objects.requireNonNull(verificationUri, "verificationUri");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval <= 0");
    }
    if (expiresIn.isNegative() || expiresIn.isZero()) {
      throw new IllegalArgumentException("expiresIn <= 0");
    }
  }

  @Override
  public String toString() {
    return "DeviceCode[userCode="
        + userCode
        + ", verificationUri="
        + verificationUri
        + ", interval="
        + interval
        + ", expiresIn="
        + expiresIn
        + "]";
  }
}
