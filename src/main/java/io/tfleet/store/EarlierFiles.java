package io.tfleet.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What a machine folder keeps of earlier jobs: a new round's files move to {@code round-N/}, an
 * earlier attempt's of the same run to {@code attempt-K/}; and the leftovers of writes a killed
 * process never finished.
 */
public final class EarlierFiles {
  private EarlierFiles() {}

  /**
   * Moves this folder's files into {@code round-N/} (the next free N) so a new job can start
   * afresh; returns the new sub-folder. Its attempt folders go with it. The job id goes first: if
   * this stops halfway, the machine reads as having no job, which is what a new round wants.
   */
  public static Path archiveRound(MachineFolder folder) throws IOException {
    Path dir = folder.dir();
    int n = 1;
    while (Files.exists(dir.resolve(TreeNames.round(n)))) {
      n++;
    }
    return moveInto(dir, Files.createDirectory(dir.resolve(TreeNames.round(n))), true);
  }

  /**
   * Moves the current attempt's files into {@code attempt-K/}, so the machine's next attempt in the
   * same run starts afresh where the original script puts its files; returns the folder. The job id
   * goes first, as for {@link #archiveRound}.
   */
  public static Path archiveAttempt(MachineFolder folder, int k) throws IOException {
    Path dir = folder.dir();
    Path attempt = dir.resolve(TreeNames.attempt(k));
    Files.createDirectories(attempt);
    return moveInto(dir, attempt, /* attempts= */ false);
  }

  private static Path moveInto(Path dir, Path target, boolean attempts) throws IOException {
    for (String first : new String[] {MachineFolder.JOB_ID, MachineFolder.PENDING_JOB_ID}) {
      if (Files.exists(dir.resolve(first))) {
        Files.move(dir.resolve(first), target.resolve(first));
      }
    }
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        boolean folder = Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS);
        if ((!folder && !AtomicFiles.isTemporary(name))
            || (folder && name.equals(MachineFolder.ARTIFACTS))
            || (folder && attempts && TreeNames.attemptNumber(name) > 0)) {
          Files.move(file, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return target;
  }

  /** Removes the temporary files of atomic writes a killed process left; the tree's lock held. */
  public static void removeTemporaries(MachineFolder folder) throws IOException {
    Path dir = folder.dir();
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        if (AtomicFiles.isTemporary(file.getFileName().toString()) && Files.isRegularFile(file)) {
          Files.deleteIfExists(file);
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      // nothing to tidy
    }
  }
}
