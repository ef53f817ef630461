package io.tfleet.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The output tree could not be read or written: a local disk's trouble, not the server's. */
public final class TreeException extends UncheckedIOException {
  private final Path root;

  public TreeException(Path root, IOException cause) {
    super("cannot write the output tree " + root + ": " + cause.getMessage(), cause);
    this.root = root;
  }

  /** The tree's folder. */
  public Path root() {
    return root;
  }
}
