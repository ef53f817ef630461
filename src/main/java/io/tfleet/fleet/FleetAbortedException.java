package io.tfleet.fleet;

/**
 * A problem no machine can get past (the server cannot be reached at all, or refuses our
 * credentials), so the run stops instead of failing every machine the same way.
 */
public final class FleetAbortedException extends Exception {
  public FleetAbortedException(String message, Throwable cause) {
    super(message, cause);
  }
}
