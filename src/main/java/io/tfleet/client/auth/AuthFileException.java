package io.tfleet.client.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The saved login could not be read, written or removed: a local file's trouble. */
public final class AuthFileException extends UncheckedIOException {
  public AuthFileException(String doing, Path file, IOException cause) {
    super("cannot " + doing + " " + file + ": " + cause.getMessage(), cause);
  }
}
