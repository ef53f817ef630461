package io.tfleet.client;

import java.io.InputStream;
import java.util.Random;

/** A body that arrives a few bytes at a time, as over a slow or fragmented connection. */
final class Pieces extends InputStream {
  private final byte[] bytes;
  private final Random random;
  private final int maxPiece;
  private int pos;

  /** Reads of 1 to {@code maxPiece} bytes, chosen by {@code random}. */
  Pieces(byte[] bytes, Random random, int maxPiece) {
    this.bytes = bytes;
    this.random = random;
    this.maxPiece = maxPiece;
  }

  /** The first read ends at {@code split}, the second takes the rest. */
  static InputStream splitAt(byte[] bytes, int split) {
    return new InputStream() {
      private int pos;

      @Override
      public int read() {
        return pos < bytes.length ? bytes[pos++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (len == 0) {
          return 0;
        }
        if (pos == bytes.length) {
          return -1;
        }
        int end = pos < split ? split : bytes.length;
        int n = Math.min(len, end - pos);
        System.arraycopy(bytes, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  @Override
  public int read() {
    return pos < bytes.length ? bytes[pos++] & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (pos == bytes.length) {
      return -1;
    }
    int n = Math.min(Math.min(len, 1 + random.nextInt(maxPiece)), bytes.length - pos);
    System.arraycopy(bytes, pos, b, off, n);
    pos += n;
    return n;
  }
}
