package io.tfleet.client;

import java.io.IOException;
import java.io.Writer;

/**
 * Where a streamed value's characters go on their way to the sink's writer: short runs between
 * escapes are gathered, long runs are written as they come.
 */
final class StreamedValue implements JsonChars.Text {
  /** Gathers short runs between escapes, so the sink is not written a character at a time. */
  private static final int PENDING_CHARS = 8 * 1024;

  private final Writer writer;
  private final char[] pending = new char[PENDING_CHARS];
  private int count;

  /** Whether a write failed, after which the writer is not written again. */
  boolean broken;

  StreamedValue(Writer writer) {
    this.writer = writer;
  }

  @Override
  public void put(char[] b, int off, int len) throws IOException {
    if (len >= PENDING_CHARS / 2) {
      flush();
      write(b, off, len);
      return;
    }
    if (count + len > PENDING_CHARS) {
      flush();
    }
    System.arraycopy(b, off, pending, count, len);
    count += len;
  }

  @Override
  public void put(char c) throws IOException {
    if (count == PENDING_CHARS) {
      flush();
    }
    pending[count++] = c;
  }

  void flush() throws IOException {
    if (count > 0) {
      int n = count;
      count = 0;
      write(pending, 0, n);
    }
  }

  private void write(char[] b, int off, int len) throws IOException {
    try {
      writer.write(b, off, len);
    } catch (IOException | RuntimeException e) {
      broken = true;
      throw e;
    }
  }
}
