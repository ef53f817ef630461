package io.tfleet.lab;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One job's phase outputs, each phase in its own file in the lab's scratch folder. Memory holds
 * only where each log fragment starts and ends, so a test that prints hundreds of MB costs the lab
 * a few bytes per fragment, and answers stream the bytes from disk.
 *
 * <p>A phase's fragments tile its file in order: the file is exactly the phase's fragments, one
 * after another, so any run of them is one range of the file.
 */
final class OutputStore {
  /**
   * A log fragment: {@code length} bytes at {@code offset} of its phase's file.
   *
   * @param number counted across the whole job, from 0, as upstream numbers them
   */
  record Fragment(int number, Instant time, String phase, long offset, long length) {
    long end() {
      return offset + length;
    }
  }

  private final Path dir;
  private final Map<String, Long> sizes = new HashMap<>(); // guarded by this
  private final List<Fragment> fragments = new ArrayList<>(); // guarded by this

  /**
   * @param dir the job's folder, made on first write; nothing else may write in it
   */
  OutputStore(Path dir) {
    this.dir = dir;
  }

  /** The file that holds the phase's output; a test command writes its output here itself. */
  Path file(String phase) {
    return dir.resolve(phase + ".out");
  }

  /** Appends the text to the phase's output as one fragment; empty text adds none. */
  synchronized void append(String phase, String text) {
    if (!text.isEmpty()) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      append(phase, out -> out.write(bytes));
    }
  }

  /**
   * Appends {@code bytes} bytes of {@link OutputPattern} to the phase's output, as one fragment.
   */
  synchronized void appendPattern(String phase, long bytes) {
    if (bytes > 0) {
      append(phase, out -> OutputPattern.write(out, bytes));
    }
  }

  private void append(String phase, Response.BodyWriter writer) {
    long at = size(phase);
    long end;
    try {
      Files.createDirectories(dir);
      try (FileChannel channel =
          FileChannel.open(file(phase), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        // At the end of what is counted, so bytes a stray background process left past it go.
        channel.truncate(at);
        channel.position(at);
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
        writer.writeTo(out);
        out.flush();
        end = channel.position();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the output of phase " + phase, e);
    }
    if (end > at) {
      add(phase, end - at);
    }
  }

  /**
   * Appends a fragment an agent posted, under the number and time it gave: upstream keeps what it
   * is sent, so a number posted twice is there twice. Fragments stay ordered by number.
   */
  synchronized void posted(int number, Instant time, String phase, String text) {
    if (text.isEmpty()) {
      return;
    }
    int before = fragments.size();
    append(phase, text);
    if (fragments.size() > before) {
      Fragment added = fragments.remove(fragments.size() - 1);
      fragments.add(new Fragment(number, time, phase, added.offset(), added.length()));
      fragments.sort(java.util.Comparator.comparingInt(Fragment::number));
    }
  }

  /**
   * Counts what a command wrote to the phase's file since the last fragment, up to {@code end}, as
   * one fragment.
   */
  synchronized void written(String phase, long end) {
    long length = end - size(phase);
    if (length > 0) {
      add(phase, length);
    }
  }

  private void add(String phase, long length) {
    long offset = size(phase);
    int number = fragments.isEmpty() ? 0 : fragments.get(fragments.size() - 1).number() + 1;
    fragments.add(new Fragment(number, Instant.now(), phase, offset, length));
    sizes.put(phase, offset + length);
  }

  /** The bytes the phase's fragments hold. */
  synchronized long size(String phase) {
    return sizes.getOrDefault(phase, 0L);
  }

  /** The fragments that match the filters, oldest first; null filters match every fragment. */
  synchronized List<Fragment> fragments(int startFragment, Instant startTimestamp, String phase) {
    List<Fragment> matching = new ArrayList<>();
    for (Fragment f : fragments) {
      if (f.number() >= startFragment
          && (startTimestamp == null || f.time().isAfter(startTimestamp))
          && (phase == null || phase.equals(f.phase()))) {
        matching.add(f);
      }
    }
    return matching;
  }

  /** The phase's bytes from {@code offset}, {@code length} of them. */
  InputStream bytes(String phase, long offset, long length) throws IOException {
    return bytes(phase, List.of(new long[] {offset, offset + length}));
  }

  /**
   * The bytes of the phase's fragments, one after another in the order given. Fragments that follow
   * each other in the file are read as one range, so a phase written in order costs one read from
   * start to end.
   */
  InputStream bytes(String phase, Collection<Fragment> fragments) throws IOException {
    List<long[]> ranges = new ArrayList<>();
    for (Fragment f : fragments) {
      long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
      if (last != null && last[1] == f.offset()) {
        last[1] = f.end();
      } else {
        ranges.add(new long[] {f.offset(), f.end()});
      }
    }
    return bytes(phase, ranges);
  }

  private InputStream bytes(String phase, List<long[]> ranges) throws IOException {
    return new Ranges(FileChannel.open(file(phase), StandardOpenOption.READ), ranges);
  }

  /** Deletes the files; the job is gone. */
  void delete() {
    try {
      Scratch.deleteTree(dir);
    } catch (IOException e) {
      // The lab's whole scratch folder goes on close.
    }
  }

  /** The bytes of a file's ranges, {@code [start, end)} each, one after another. */
  private static final class Ranges extends InputStream {
    private final FileChannel channel;
    private final List<long[]> ranges;
    private int range;
    private long at;

    Ranges(FileChannel channel, List<long[]> ranges) {
      this.channel = channel;
      this.ranges = ranges;
      this.at = ranges.isEmpty() ? 0 : ranges.get(0)[0];
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (range < ranges.size() && at >= ranges.get(range)[1]) {
        range++;
        if (range < ranges.size()) {
          at = ranges.get(range)[0];
        }
      }
      if (range == ranges.size()) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      int n = (int) Math.min(len, ranges.get(range)[1] - at);
      int read = channel.read(ByteBuffer.wrap(b, off, n), at);
      if (read < 0) {
        // The file is shorter than its fragments say: it was deleted or cut under us.
        throw new IOException("output file ends before its fragments");
      }
      at += read;
      return read;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
