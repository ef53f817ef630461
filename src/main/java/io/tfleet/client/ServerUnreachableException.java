package io.tfleet.client;

import java.io.IOException;

/** No connection to the server could be opened: nothing was sent. */
public final class ServerUnreachableException extends IOException {
  public ServerUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
