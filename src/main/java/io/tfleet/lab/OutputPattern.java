package io.tfleet.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Test output of any size whose bytes a test can recompute: the line {@value #LINE} and a newline,
 * over and over, cut at the size asked for. A shell prints it at disk speed ({@link
 * #command(long)}), the lab prints it for a simulated test, and {@link #sha256(String, long)} gives
 * the digest a test compares a downloaded {@code output.txt} with.
 */
public final class OutputPattern {
  /** One line of the pattern, without its newline: 31 characters, so a line is 32 bytes. */
  public static final String LINE = "0123456789abcdefghijklmnopqrstu";

  private static final byte[] BLOCK = block();

  private OutputPattern() {}

  private static byte[] block() {
    byte[] line = (LINE + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] block = new byte[line.length * 2048];
    for (int i = 0; i < block.length; i += line.length) {
      System.arraycopy(line, 0, block, i, line.length);
    }
    return block;
  }

  /** A {@code /bin/sh} command that prints the pattern's first {@code bytes} bytes, fast. */
  public static String command(long bytes) {
    checkSize(bytes);
    return "yes " + LINE + " | head -c " + bytes;
  }

  /** Writes the pattern's first {@code bytes} bytes. */
  public static void write(OutputStream out, long bytes) throws IOException {
    checkSize(bytes);
    long left = bytes;
    while (left > 0) {
      int n = (int) Math.min(left, BLOCK.length);
      out.write(BLOCK, 0, n);
      left -= n;
    }
  }

  /** The SHA-256, in lower-case hex, of the pattern's first {@code bytes} bytes. */
  public static String sha256(long bytes) {
    return sha256("", bytes);
  }

  /**
   * The SHA-256, in lower-case hex, of {@code prefix} (as UTF-8) followed by the pattern's first
   * {@code bytes} bytes: what a test that printed a line and then the pattern wrote.
   */
  public static String sha256(String prefix, long bytes) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    digest.update(prefix.getBytes(StandardCharsets.UTF_8));
    try {
      write(
          new OutputStream() {
            @Override
            public void write(int b) {
              digest.update((byte) b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
              digest.update(b, off, len);
            }
          },
          bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void checkSize(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("output size < 0: " + bytes);
    }
  }
}
