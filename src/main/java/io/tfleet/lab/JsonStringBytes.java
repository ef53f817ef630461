package io.tfleet.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes UTF-8 bytes as the inside of a JSON string, byte for byte what Jackson writes for the same
 * bytes decoded with U+FFFD in place of what is not UTF-8, without decoding them: an output of
 * hundreds of MB is one pass over bytes, not a decode, a copy to characters and an encode.
 *
 * <p>Well-formed sequences pass as they are, but for characters past U+FFFF, which Jackson writes
 * as the escapes of their two UTF-16 surrogates; {@code "} and {@code \} are escaped, and so are
 * the control characters below U+0020, as Jackson escapes them. Bytes that are not well-formed
 * UTF-8 go through Java's own decoder, a few at a time, so they get the U+FFFDs they always got.
 */
final class JsonStringBytes {
  private static final int BUFFER = 64 * 1024;

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  /** The bytes written as they are: printable ASCII but the quote and the backslash. */
  private static final boolean[] PLAIN = new boolean[256];

  static {
    for (int c = 0x20; c < 0x80; c++) {
      PLAIN[c] = c != '"' && c != '\\';
    }
  }

  private final byte[] in = new byte[BUFFER];
  private final byte[] out = new byte[BUFFER];
  private int written;
  private final OutputStream target;

  private JsonStringBytes(OutputStream target) {
    this.target = target;
  }

  /**
   * Writes the escaped text of {@code utf8}, read to its end, to {@code target}; closes neither.
   */
  static void write(InputStream utf8, OutputStream target) throws IOException {
    new JsonStringBytes(target).copy(utf8);
  }

  private void copy(InputStream utf8) throws IOException {
    int have = 0;
    while (true) {
      int n = utf8.read(in, have, in.length - have);
      boolean end = n < 0;
      have += Math.max(n, 0);
      int done = escape(have, end);
      // What is left is a few bytes the next read may complete.
      System.arraycopy(in, done, in, 0, have - done);
      have -= done;
      if (end) {
        flush();
        return;
      }
    }
  }

  /**
   * Escapes {@code in[0, to)} into the output buffer; returns how many bytes it took, all of them
   * unless the last ones may begin a sequence or an ill-formed part that goes on in bytes not yet
   * read.
   */
  private int escape(int to, boolean end) throws IOException {
    byte[] b = in;
    int run = 0;
    int i = 0;
    boolean[] plain = PLAIN;
    while (i < to) {
      // The hot loop: a run of bytes that are written as they are.
      while (plain[b[i] & 0xFF] && ++i < to) {}
      if (i == to) {
        break;
      }
      int c = b[i] & 0xFF;
      int length = c < 0x80 ? 1 : sequence(b, i, to);
      if (length == 2 || length == 3) {
        i += length;
        continue;
      }
      put(b, run, i - run);
      if (c < 0x80) {
        escapeAscii(c);
        i++;
      } else if (length == 4) {
        escapeSurrogates(b, i);
        i += 4;
      } else {
        int illFormed = illFormed(b, i, to, end);
        if (illFormed == 0) {
          return i;
        }
        putDecoded(b, i, illFormed);
        i += illFormed;
      }
      run = i;
    }
    put(b, run, i - run);
    return to;
  }

  /**
   * How many bytes from {@code b[i]}, a byte that begins no well-formed sequence, to hand to Java's
   * decoder as one piece; 0 when they must wait for the next read.
   *
   * <p>The piece ends where the next byte that is no continuation byte starts, as Java's decoder
   * never takes such a byte into what it replaces, so the piece decodes alone as it would in place.
   * A piece the read cut off waits for more bytes, unless it is long: past its first four bytes,
   * each continuation byte is a replacement of its own, so it may be cut there.
   */
  private static int illFormed(byte[] b, int i, int to, boolean end) {
    int k = i + 1;
    while (k < to && (b[k] & 0xC0) == 0x80) {
      k++;
    }
    if (k < to || end) {
      return k - i;
    }
    return k - i > 8 ? k - i - 4 : 0;
  }

  /** Java's decoding of bytes that are not well-formed UTF-8, with U+FFFD for what is not. */
  private void putDecoded(byte[] b, int i, int length) throws IOException {
    byte[] decoded =
        new String(b, i, length, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
    for (int k = 0; k < decoded.length; ) {
      int n = sequence(decoded, k, decoded.length);
      if (n == 4) {
        escapeSurrogates(decoded, k);
      } else {
        put(decoded, k, n);
      }
      k += n;
    }
  }

  /**
   * The length of the well-formed UTF-8 sequence that starts at {@code b[i]}, a byte of 0x80 or
   * more (Unicode 3.9, table 3-7); negative when it is not well formed; 0 when it is well formed so
   * far and {@code to} cuts it off.
   */
  private static int sequence(byte[] b, int i, int to) {
    int lead = b[i] & 0xFF;
    int length;
    int low = 0x80;
    int high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) {
        low = 0xA0;
      } else if (lead == 0xED) {
        high = 0x9F;
      }
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) {
        low = 0x90;
      } else if (lead == 0xF4) {
        high = 0x8F;
      }
    } else {
      return -1;
    }
    for (int k = 1; k < length; k++) {
      if (i + k >= to) {
        return 0;
      }
      int next = b[i + k] & 0xFF;
      if (next < low || next > high) {
        return -1;
      }
      low = 0x80;
      high = 0xBF;
    }
    return length;
  }

  /** {@code "}, {@code \} or a control character, as Jackson escapes it. */
  private void escapeAscii(int c) throws IOException {
    switch (c) {
      case '"', '\\' -> put2('\\', c);
      case '\b' -> put2('\\', 'b');
      case '\f' -> put2('\\', 'f');
      case '\n' -> put2('\\', 'n');
      case '\r' -> put2('\\', 'r');
      case '\t' -> put2('\\', 't');
      default -> putEscape(c);
    }
  }

  /** The four-byte sequence at {@code b[i]} as the escapes of its two surrogates. */
  private void escapeSurrogates(byte[] b, int i) throws IOException {
    int codePoint =
        (b[i] & 0x07) << 18 | (b[i + 1] & 0x3F) << 12 | (b[i + 2] & 0x3F) << 6 | b[i + 3] & 0x3F;
    putEscape(Character.highSurrogate(codePoint));
    putEscape(Character.lowSurrogate(codePoint));
  }

  /** A backslash, a u and four hex digits, upper case as Jackson writes them. */
  private void putEscape(int unit) throws IOException {
    room(6);
    out[written++] = '\\';
    out[written++] = 'u';
    out[written++] = HEX[unit >> 12 & 0xF];
    out[written++] = HEX[unit >> 8 & 0xF];
    out[written++] = HEX[unit >> 4 & 0xF];
    out[written++] = HEX[unit & 0xF];
  }

  private void put2(int first, int second) throws IOException {
    room(2);
    out[written++] = (byte) first;
    out[written++] = (byte) second;
  }

  private void put(byte[] b, int off, int len) throws IOException {
    if (len > out.length - written) {
      flush();
      if (len > out.length) {
        target.write(b, off, len);
        return;
      }
    }
    System.arraycopy(b, off, out, written, len);
    written += len;
  }

  private void room(int len) throws IOException {
    if (out.length - written < len) {
      flush();
    }
  }

  private void flush() throws IOException {
    target.write(out, 0, written);
    written = 0;
  }
}
