package io.tfleet.client;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where a streamed value goes on its way to the sink's stream, as UTF-8: the bytes Java's UTF-8
 * encoder writes for the value's characters (an escaped surrogate without its other half is a
 * {@code ?}), gathered so that the sink is written in blocks; long runs are written as they come.
 */
final class StreamedValue implements JsonChars.Utf8Text {
  /** Gathers short runs between escapes, so the sink is not written a byte at a time. */
  private static final int PENDING_BYTES = 16 * 1024;

  /** What Java's UTF-8 encoder writes for a character it cannot encode: a lone surrogate. */
  private static final byte REPLACEMENT = '?';

  private final OutputStream out;
  private final byte[] pending = new byte[PENDING_BYTES];
  private int count;

  /** A high surrogate whose low half may come next; 0 when there is none. */
  private char high;

  /** Whether a write failed, after which the stream is not written again. */
  boolean broken;

  StreamedValue(OutputStream out) {
    this.out = out;
  }

  @Override
  public void putUtf8(byte[] b, int off, int len) throws IOException {
    if (high != 0) {
      loneHigh();
    }
    if (len >= PENDING_BYTES / 2) {
      flush();
      write(b, off, len);
      return;
    }
    if (count + len > PENDING_BYTES) {
      flush();
    }
    System.arraycopy(b, off, pending, count, len);
    count += len;
  }

  @Override
  public void put(char[] b, int off, int len) throws IOException {
    for (int i = off; i < off + len; i++) {
      put(b[i]);
    }
  }

  @Override
  public void put(char c) throws IOException {
    if (PENDING_BYTES - count < 4) {
      flush();
    }
    if (high != 0) {
      if (Character.isLowSurrogate(c)) {
        int cp = Character.toCodePoint(high, c);
        high = 0;
        pending[count++] = (byte) (0xF0 | cp >> 18);
        pending[count++] = (byte) (0x80 | (cp >> 12 & 0x3F));
        pending[count++] = (byte) (0x80 | (cp >> 6 & 0x3F));
        pending[count++] = (byte) (0x80 | (cp & 0x3F));
        return;
      }
      loneHigh();
    }
    if (c < 0x80) {
      pending[count++] = (byte) c;
    } else if (c < 0x800) {
      pending[count++] = (byte) (0xC0 | c >> 6);
      pending[count++] = (byte) (0x80 | (c & 0x3F));
    } else if (Character.isHighSurrogate(c)) {
      high = c;
    } else if (Character.isLowSurrogate(c)) {
      pending[count++] = REPLACEMENT;
    } else {
      pending[count++] = (byte) (0xE0 | c >> 12);
      pending[count++] = (byte) (0x80 | (c >> 6 & 0x3F));
      pending[count++] = (byte) (0x80 | (c & 0x3F));
    }
  }

  private void loneHigh() throws IOException {
    high = 0;
    if (count == PENDING_BYTES) {
      flush();
    }
    pending[count++] = REPLACEMENT;
  }

  /** Writes what is gathered; a high surrogate still waiting for its other half stays. */
  void flush() throws IOException {
    if (count > 0) {
      int n = count;
      count = 0;
      write(pending, 0, n);
    }
  }

  /** Writes everything: the value is over, so a high surrogate still waiting is a lone one. */
  void finish() throws IOException {
    if (high != 0) {
      loneHigh();
    }
    flush();
  }

  private void write(byte[] b, int off, int len) throws IOException {
    try {
      out.write(b, off, len);
    } catch (IOException | RuntimeException e) {
      broken = true;
      throw e;
    }
  }
}
