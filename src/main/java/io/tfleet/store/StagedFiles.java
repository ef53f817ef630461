package io.tfleet.store;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Files several files of one folder together: each is written to a temporary file first, and only
 * {@link #commit} puts them in place, one rename each, in an order the caller chooses; whatever was
 * not committed is deleted on {@link #close()}.
 *
 * <p>Putting the file whose presence says "the rest is there" (a machine's {@code result.json})
 * last means a crash part way leaves either the whole set or a set without that file, never that
 * file beside half of the others. Nothing is synced to disk: the renames keep each file whole when
 * the process dies, which is what a result that can be fetched again needs.
 */
public final class StagedFiles implements Closeable {
  /** Large enough that a streamed output reaches the disk in few system calls. */
  private static final int BUFFER_BYTES = 16 * 1024;

  private final Path dir;

  /** Final name to its temporary file, in the order they were created. */
  private final Map<String, Staged> staged = new LinkedHashMap<>();

  private boolean committed;

  private record Staged(Path temp, OutputStream stream) {}

  public StagedFiles(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  /**
   * Opens a new temporary file in the folder that {@link #commit} will name {@code name}. The
   * stream is buffered; closing it is the caller's, and commit closes any left open.
   */
  public OutputStream create(String name) throws IOException {
    checkName(name);
    if (committed) {
      throw new IllegalStateException("files already committed in " + dir);
    }
    if (staged.containsKey(name)) {
      throw new IllegalArgumentException(name + " is already staged in " + dir);
    }
    Path temp = AtomicFiles.temporaryFor(dir.resolve(name));
    OutputStream stream =
        new BufferedOutputStream(
            Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            BUFFER_BYTES);
    staged.put(name, new Staged(temp, stream));
    return stream;
  }

  /**
   * Closes every staged file, then renames each over its final name in {@code order}, which names
   * each created file once. When a rename fails, the files before it are in place and the rest are
   * not (and are deleted on {@link #close()}).
   */
  public void commit(List<String> order) throws IOException {
    commit(order, /* discardOthers= */ false);
  }

  /**
   * As {@link #commit(List)}; with {@code discardOthers}, {@code order} may leave staged files out,
   * which stay temporary and are deleted on {@link #close()}.
   */
  public void commit(List<String> order, boolean discardOthers) throws IOException {
    if (committed) {
      throw new IllegalStateException("files already committed in " + dir);
    }
    Set<String> names = new HashSet<>(order);
    boolean named =
        discardOthers ? staged.keySet().containsAll(names) : names.equals(staged.keySet());
    if (names.size() != order.size() || !named) {
      throw new IllegalArgumentException(
          "the commit order " + order + " must name each staged file once: " + staged.keySet());
    }
    committed = true;
    for (Staged file : staged.values()) {
      file.stream().close();
    }
    for (String name : order) {
      AtomicFiles.rename(staged.get(name).temp(), dir.resolve(name));
      staged.remove(name);
    }
  }

  /** Deletes the temporary files that were not committed; a no-op after a whole commit. */
  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (Staged file : staged.values()) {
      try {
        file.stream().close();
      } catch (IOException e) {
        failure = add(failure, e);
      }
      try {
        Files.deleteIfExists(file.temp());
      } catch (IOException e) {
        failure = add(failure, e);
      }
    }
    staged.clear();
    committed = true;
    if (failure != null) {
      throw failure;
    }
  }

  private static IOException add(IOException first, IOException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  private static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()
        || name.startsWith(".")
        || name.contains("/")
        || name.contains("\\")
        || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("not a plain file name: \"" + name + "\"");
    }
  }
}
