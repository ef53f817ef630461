package io.tfleet.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The output directory: one folder per machine, named by its id. */
public final class OutputTree {
  private final Path root;

  private OutputTree(Path root) {
    this.root = root;
  }

  /**
   * Opens an output tree, creating it when {@code create} is set.
   *
   * @throws IOException with a message naming the path when it is a file or cannot be written
   */
  public static OutputTree open(Path root, boolean create) throws IOException {
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new IOException(root + ": is a file, not a directory");
    }
    if (create) {
      try {
        Files.createDirectories(root);
      } catch (FileAlreadyExistsException e) {
        throw new IOException(root + ": is a file, not a directory", e);
      } catch (IOException e) {
        throw new IOException(root + ": cannot create the output directory (" + e + ")", e);
      }
      // A file made and removed, rather than Files.isWritable, which says yes to root everywhere.
      try {
        Files.delete(Files.createTempFile(root, ".tfleet-probe-", ""));
      } catch (IOException e) {
        throw new IOException(
            root + ": the output directory is not writable (" + e.getMessage() + ")", e);
      }
    } else if (!Files.isDirectory(root)) {
      throw new IOException(root + ": no such output directory");
    }
    return new OutputTree(root);
  }

  public Path root() {
    return root;
  }

  /** The folder of one machine (not created until asked). */
  public MachineFolder machine(String id) {
    return new MachineFolder(id, root.resolve(id));
  }

  /** The tree's run manifest; empty for a tree of the original script. */
  public Optional<RunManifest> manifest() throws IOException {
    return RunManifest.read(root);
  }

  /**
   * Every machine of the tree, sorted by id: those of its manifest, whether or not they got a job,
   * and every folder that holds a job id, a pending job id or an error.
   */
  public List<MachineFolder> machines() throws IOException {
    Set<String> ids = new TreeSet<>();
    manifest().ifPresent(m -> ids.addAll(m.machines()));
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path dir : dirs) {
        if (Files.exists(dir.resolve(MachineFolder.JOB_ID))
            || Files.exists(dir.resolve(MachineFolder.PENDING_JOB_ID))
            || Files.exists(dir.resolve(MachineFolder.ERROR))) {
          ids.add(dir.getFileName().toString());
        }
      }
    }
    List<MachineFolder> found = new ArrayList<>(ids.size());
    ids.forEach(id -> found.add(machine(id)));
    return found;
  }
}
