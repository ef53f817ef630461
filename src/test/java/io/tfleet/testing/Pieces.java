package io.tfleet.testing;

import java.io.InputStream;
import java.util.Random;
import java.util.function.IntUnaryOperator;

/** A body that arrives a few bytes at a time, as over a slow or fragmented connection. */
public final class Pieces extends InputStream {
  private final byte[] bytes;
  private final IntUnaryOperator longest;
  private int pos;

  /** Reads of 1 to {@code maxPiece} bytes, chosen by {@code random}. */
  public Pieces(byte[] bytes, Random random, int maxPiece) {
    this(bytes, pos -> 1 + random.nextInt(maxPiece));
  }

  /** Reads of at most {@code longest.applyAsInt(pos)} bytes, {@code pos} being where they start. */
  private Pieces(byte[] bytes, IntUnaryOperator longest) {
    this.bytes = bytes;
    this.longest = longest;
  }

  /** The first read ends at {@code split}, the second takes the rest. */
  public static InputStream splitAt(byte[] bytes, int split) {
    return new Pieces(bytes, pos -> pos < split ? split - pos : bytes.length - pos);
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
    int n = Math.min(Math.min(len, longest.applyAsInt(pos)), bytes.length - pos);
    System.arraycopy(bytes, pos, b, off, n);
    pos += n;
    return n;
  }
}
