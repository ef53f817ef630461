package io.tfleet.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writer per output tree: an operating-system lock on {@code .tfleet.lock}, which also holds
 * the holder's pid for the message a second tfleet prints. The system drops the lock when its
 * process dies, however it dies, so a stale lock file is simply taken over.
 */
public final class TreeLock implements AutoCloseable {
  public static final String FILE = ".tfleet.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private TreeLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Thrown when another process holds the tree. */
  public static final class HeldException extends Exception {
    public HeldException(String message) {
      super(message);
    }
  }

  /** Takes the lock of {@code tree}, or says who holds it. */
  public static TreeLock acquire(OutputTree tree) throws IOException, HeldException {
    Path file = tree.root().resolve(FILE);
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
      throw new HeldException(
          tree.root()
              + " is in use by another tfleet"
              + (holder.isEmpty() ? "" : " (pid " + holder + ")")
              + "; wait for it to finish, or stop it first");
    }
    channel.truncate(0);
    channel.write(
        ByteBuffer.wrap(
            Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)),
        0);
    channel.force(false);
    return new TreeLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
