package io.tfleet.client;

/** The server answered, with an error status; {@link #getMessage()} is one line for a person. */
public final class ApiException extends Exception {
  private final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status the server answered. */
  public int status() {
    return status;
  }

  /** Whether the server refused our credentials, which no other machine's job will get past either. */
  public boolean isAuthProblem() {
    return status == 401 || status == 403;
  }
}
