package io.tfleet.store;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/** Writes files so that no reader, and no crash, ever leaves half of one. */
public final class AtomicFiles {
  /** What every temporary name holds, between the target's name and a random part. */
  public static final String TEMPORARY_MARK = ".tmp-";

  private AtomicFiles() {}

  /**
   * Writes {@code text} as UTF-8 to a temporary file beside {@code target}, then renames it over.
   */
  public static void write(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8), /* durable= */ false);
  }

  /** Writes {@code bytes} to a temporary file beside {@code target}, then renames it over. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, bytes, /* durable= */ false);
  }

  /**
   * Writes {@code bytes} to a temporary file beside {@code target}, then renames it over. The
   * rename alone keeps the file whole when the process dies; {@code durable} also syncs the data
   * first, so the file is whole after a power loss too (at the price of a disk flush, which is kept
   * for the files that prevent a job from being submitted twice).
   */
  public static void write(Path target, byte[] bytes, boolean durable) throws IOException {
    Path temp = temporaryFor(target);
    boolean moved = false;
    try {
      // A stream, not a channel: a channel closes itself when the writing thread is interrupted,
      // and a run being stopped must still finish the file it is writing.
      try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
        out.write(bytes);
        if (durable) {
          // Without this a power loss soon after the rename can leave an empty file behind.
          out.getFD().sync();
        }
      }
      rename(temp, target);
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * A new temporary name beside {@code target}: hidden, with {@link #TEMPORARY_MARK} and a random
   * part, so that two writers never share one and a later run can tell them from tfleet's files.
   */
  public static Path temporaryFor(Path target) {
    return target
        .toAbsolutePath()
        .getParent()
        .resolve(
            "."
                + target.getFileName()
                + TEMPORARY_MARK
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
  }

  /** Whether {@code name} is a temporary file of this class's, left by a writer that died. */
  public static boolean isTemporary(String name) {
    return name.startsWith(".") && name.contains(TEMPORARY_MARK);
  }

  /**
   * Renames {@code source} over {@code target} in one step where the file system can: a reader, or
   * a crash, sees one or the other, never neither.
   */
  public static void rename(Path source, Path target) throws IOException {
    try {
      Files.move(
          source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
