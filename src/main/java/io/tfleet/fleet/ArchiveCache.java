package io.tfleet.fleet;

import io.tfleet.job.Attachment;
import io.tfleet.job.Attachments;
import io.tfleet.store.Folders;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Packs each distinct set of attachments once, however many machines share it, into temporary files
 * that {@link #close()} removes.
 */
final class ArchiveCache implements AutoCloseable {
  private final Map<List<Attachment>, Path> archives = new ConcurrentHashMap<>();
  private Path dir;

  /** Returns the packed archive for {@code attachments}, packing it on first use. */
  Path archive(List<Attachment> attachments) throws IOException {
    try {
      // computeIfAbsent blocks other callers of the same set until it is packed, which they
      // would have to wait for anyway.
      return archives.computeIfAbsent(List.copyOf(attachments), this::pack);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private Path pack(List<Attachment> attachments) {
    try {
      Path file = Files.createTempFile(dir(), "attachments-", ".tar.gz");
      try (OutputStream out = Files.newOutputStream(file)) {
        Attachments.pack(attachments, out);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private synchronized Path dir() throws IOException {
    if (dir == null) {
      dir = Files.createTempDirectory("tfleet-attachments-");
    }
    return dir;
  }

  /** How many archives were packed. */
  int packed() {
    return archives.size();
  }

  @Override
  public synchronized void close() {
    if (dir == null) {
      return;
    }
    try {
      Folders.deleteTree(dir);
    } catch (IOException e) {
      // Best effort: a leftover temporary archive is not worth failing a finished run over.
    }
    dir = null;
  }
}
