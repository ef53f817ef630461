package io.tfleet.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** Writes files so that no reader, and no crash, ever leaves half of one. */
public final class AtomicFiles {
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
    Path temp = temporary(target);
    boolean moved = false;
    try {
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        if (durable) {
          // Without this a power loss soon after the rename can leave an empty file behind.
          channel.force(true);
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
   * A hidden, unique name beside {@code target} for the data that will become it: {@code
   * .<name>.tmp-<random hex>}, the shape by which a write that never finished is recognised and
   * left behind.
   */
  static Path temporary(Path target) {
    return target
        .toAbsolutePath()
        .resolveSibling(
            "."
                + target.getFileName()
                + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
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
