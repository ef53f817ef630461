package io.tfleet.cli;

import io.tfleet.job.InputException;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Opening an output tree that commands only read, with messages that name it. */
final class Trees {
  private Trees() {}

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
        throw new InputException(tree.root() + ": no machine folders with a " + MachineFolder.JOB_ID);
      }
      return machines;
    } catch (IOException e) {
      throw new InputException(tree.root() + ": " + e.getMessage());
    }
  }
}
