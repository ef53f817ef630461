package io.tfleet.cli;

import io.tfleet.job.InputException;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import io.tfleet.store.RunManifest;
import io.tfleet.store.TreeLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Opening an output tree that commands only read, with messages that name it. */
final class Trees {
  private Trees() {}

  /** The tree at {@code dir}, created if needed; an error when it cannot be written. */
  static OutputTree create(Path dir) throws InputException {
    try {
      return OutputTree.open(dir, /* create= */ true);
    } catch (IOException e) {
      throw new InputException(e.getMessage());
    }
  }

  /**
   * Removes a tree that holds nothing but its lock file: one a command made and then left unused.
   * Anything else in it, or any trouble removing it, and it stays as it is.
   */
  static void removeIfUnused(OutputTree tree) {
    Path root = tree.root();
    try (Stream<Path> entries = Files.list(root)) {
      if (!entries.map(p -> p.getFileName().toString()).allMatch(TreeLock.FILE::equals)) {
        return;
      }
      Files.deleteIfExists(root.resolve(TreeLock.FILE));
      Files.delete(root);
    } catch (IOException e) {
      // Left as it is: an empty folder or a lock file is untidy, not wrong.
    }
  }

  /** The manifest of the tree at {@code dir}; empty when there is no tree or no manifest. */
  static Optional<RunManifest> manifest(Path dir) throws InputException {
    try {
      return Files.isDirectory(dir) ? RunManifest.read(dir) : Optional.empty();
    } catch (IOException e) {
      throw new InputException(e.getMessage());
    }
  }

  static OutputTree existing(Path dir) throws InputException {
    try {
      return OutputTree.open(dir, /* create= */ false);
    } catch (IOException e) {
      throw new InputException(e.getMessage());
    }
  }

  /** The tree's machine folders; an error when there are none. */
  static List<MachineFolder> machines(OutputTree tree) throws InputException {
    try {
      List<MachineFolder> machines = tree.machines();
      if (machines.isEmpty()) {
        throw new InputException(
            tree.root()
                + ": no machines: no run manifest and no folder with a "
                + MachineFolder.JOB_ID);
      }
      return machines;
    } catch (IOException e) {
      throw new InputException(tree.root() + ": " + e.getMessage());
    }
  }
}
