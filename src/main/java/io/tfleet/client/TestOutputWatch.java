package io.tfleet.client;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Passes a test output, in UTF-8, through to another stream while finding the hw status in it and
 * keeping its last 16 K characters, so that neither needs the whole output in memory. Only the
 * search decodes the bytes, and only until it has its answer.
 *
 * <p>The status is the first group of the first match of a pattern, as a search of the whole text
 * would find it, provided that the match, and whatever the pattern looks at after its start, is
 * shorter than the window ({@value #WINDOW_CHARS} characters). A longer match may be missed, and
 * one longer than three windows always is; a lookbehind sees at most {@value #CONTEXT_CHARS}
 * characters before a start. Bytes that are not UTF-8 are read as U+FFFD. The answer is final once
 * the stream is closed.
 */
public final class TestOutputWatch extends OutputStream {
  /** How far past its start a match may reach and still surely be found. */
  public static final int WINDOW_CHARS = 64 * 1024;

  /** How much of the end of the output {@link #tail()} keeps. */
  public static final int TAIL_CHARS = 16 * 1024;

  /** Text kept before the first start still to try, for lookbehinds, {@code ^} and {@code \b}. */
  static final int CONTEXT_CHARS = 1024;

  /**
   * The bytes kept for {@link #tail()}: {@value #TAIL_CHARS} characters take at most three bytes
   * each (a pair of surrogates, four for two), and the first may be cut, three bytes more.
   */
  private static final int TAIL_BYTES = 3 * TAIL_CHARS + 3;

  /** How many bytes the search decodes at a time. */
  private static final int DECODE_BYTES = 8 * 1024;

  private final Object lock = new Object();
  private final OutputStream out;
  private final Pattern pattern;
  private final int window;

  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);

  /** Bytes given to the search and not decoded yet: a character the last write cut, at most. */
  private final ByteBuffer undecoded = ByteBuffer.allocate(DECODE_BYTES);

  private final CharBuffer decoded = CharBuffer.allocate(DECODE_BYTES);

  /** The text from {@link #bufferStart} on; always at least the undecided starts. */
  private final StringBuilder buffer = new StringBuilder();

  /** Where {@link #buffer} begins in the whole output. */
  private long bufferStart;

  /** The first start in the whole output that is neither ruled out nor a match yet. */
  private long undecided;

  private boolean found;
  private String status;

  private final byte[] tail = new byte[TAIL_BYTES];
  private long written;
  private boolean closed;

  /** Watches what is written to {@code out} for the first match of {@code pattern}. */
  public TestOutputWatch(OutputStream out, Pattern pattern) {
    this(out, pattern, WINDOW_CHARS);
  }

  /** With a window of another size, so that tests can reach its edges with small texts. */
  TestOutputWatch(OutputStream out, Pattern pattern, int window) {
    this.out = Objects.requireNonNull(out, "out");
    this.pattern = Objects.requireNonNull(pattern, "pattern");
    if (window < 1) {
      throw new IllegalArgumentException("window < 1 character");
    }
    this.window = window;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, bytes.length);
    synchronized (lock) {
      if (closed) {
        throw new IOException("the test output was already closed");
      }
      out.write(bytes, off, len);
      keepTail(bytes, off, len);
      for (int done = 0; done < len && !found; ) {
        int n = Math.min(len - done, undecoded.remaining());
        undecoded.put(bytes, off + done, n);
        done += n;
        decode(/* last= */ false);
      }
    }
  }

  @Override
  public void flush() throws IOException {
    synchronized (lock) {
      out.flush();
    }
  }

  /** Settles the search on the whole output, then closes the stream underneath. */
  @Override
  public void close() throws IOException {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (!found) {
        decode(/* last= */ true);
      }
      if (!found) {
        search(/* last= */ true);
      }
      buffer.setLength(0);
      buffer.trimToSize();
      out.close();
    }
  }

  /**
   * The first group of the first match, or empty when there is none, or when the match has no first
   * group; before {@link #close()}, empty also while the first match is not known yet.
   */
  public Optional<String> hwStatus() {
    synchronized (lock) {
      return Optional.ofNullable(status);
    }
  }

  /** The last {@value #TAIL_CHARS} characters written, or all of them when fewer. */
  public String tail() {
    synchronized (lock) {
      int size = (int) Math.min(written, TAIL_BYTES);
      int from = (int) ((written - size) % TAIL_BYTES);
      int first = Math.min(size, TAIL_BYTES - from);
      byte[] bytes = new byte[size];
      System.arraycopy(tail, from, bytes, 0, first);
      System.arraycopy(tail, 0, bytes, first, size - first);
      int start = 0;
      if (written > TAIL_BYTES) {
        while (start < Math.min(size, 3) && (bytes[start] & 0xC0) == 0x80) {
          start++; // the rest of a character whose beginning was cut off
        }
      }
      String text = new String(bytes, start, size - start, StandardCharsets.UTF_8);
      if (text.length() <= TAIL_CHARS) {
        return text;
      }
      text = text.substring(text.length() - TAIL_CHARS);
      // A pair cut in two: its other half is gone.
      return Character.isLowSurrogate(text.charAt(0)) ? text.substring(1) : text;
    }
  }

  /** How much text the search holds now: at most three windows and the context. */
  int bufferedChars() {
    synchronized (lock) {
      return buffer.length();
    }
  }

  private void keepTail(byte[] bytes, int off, int len) {
    int skip = Math.max(0, len - TAIL_BYTES);
    written += skip;
    for (int i = off + skip; i < off + len; ) {
      int at = (int) (written % TAIL_BYTES);
      int n = Math.min(off + len - i, TAIL_BYTES - at);
      System.arraycopy(bytes, i, tail, at, n);
      i += n;
      written += n;
    }
  }

  /**
   * Decodes what bytes the search was given and hands the characters to it; at the {@code last}, a
   * character cut short is a U+FFFD.
   */
  private void decode(boolean last) {
    undecoded.flip();
    while (!found) {
      decoded.clear();
      boolean more = utf8.decode(undecoded, decoded, last).isOverflow();
      if (!more && last) {
        utf8.flush(decoded);
      }
      decoded.flip();
      append(decoded.array(), 0, decoded.limit());
      if (!more) {
        break;
      }
    }
    undecoded.compact();
  }

  /**
   * Gives the search more text, a window at a time, so that one huge write does not make it huge.
   */
  private void append(char[] chars, int off, int len) {
    for (int done = 0; done < len && !found; ) {
      int piece = Math.min(len - done, window);
      buffer.append(chars, off + done, piece);
      done += piece;
      if (end() - undecided >= 2L * window) {
        search(/* last= */ false);
      }
    }
  }

  private long end() {
    return bufferStart + buffer.length();
  }

  /**
   * Tries every start still undecided. A start at least a window before the end of the text is
   * decided by what is there, as are all starts when the engine never reached the end of the text;
   * a match elsewhere may still change with more text, so it waits.
   */
  private void search(boolean last) {
    Matcher m = pattern.matcher(buffer);
    m.useTransparentBounds(true);
    m.useAnchoringBounds(false);
    m.region((int) (undecided - bufferStart), buffer.length());
    long settled = end() - window; // starts up to here are decided
    if (m.find()) {
      long start = bufferStart + m.start();
      if (last || start <= settled || !m.hitEnd()) {
        found = true;
        status = m.groupCount() >= 1 ? m.group(1) : null;
        buffer.setLength(0);
        return;
      }
      undecided = Math.max(undecided, settled + 1);
    } else if (last || !m.hitEnd()) {
      undecided = end();
    } else {
      undecided = Math.max(undecided, settled + 1);
    }
    long keepFrom = undecided - CONTEXT_CHARS;
    if (keepFrom > bufferStart) {
      buffer.delete(0, (int) (keepFrom - bufferStart));
      bufferStart = keepFrom;
    }
  }
}
