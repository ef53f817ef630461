package io.tfleet.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The earlier rounds a machine folder keeps ({@code round-N/}, made by a new round of jobs). */
public final class Rounds {
  private Rounds() {}

  /** The name of round {@code n}'s folder inside a machine folder: {@code round-3}. */
  public static String name(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("rounds start at 1, not " + n);
    }
    return "round-" + n;
  }

  /**
   * {@code folder}'s round {@code n}, read as a machine folder of its own; empty when it has none.
   */
  public static Optional<MachineFolder> of(MachineFolder folder, int n) {
    Path dir = folder.dir().resolve(name(n));
    return Files.isDirectory(dir)
        ? Optional.of(new MachineFolder(folder.machine(), dir))
        : Optional.empty();
  }
}
