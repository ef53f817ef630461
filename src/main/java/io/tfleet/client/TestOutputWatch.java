package io.tfleet.client;

import java.io.IOException;
import java.io.Writer;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Passes a test output through to another writer while finding the hw status in it and keeping its
 * last 16 K characters, so that neither needs the whole output in memory.
 *
 * <p>The status is the first group of the first match of a pattern, as a search of the whole text
 * would find it, provided that the match, and whatever the pattern looks at after its start, is
 * shorter than the window ({@value #WINDOW_CHARS} characters). A longer match may be missed, and
 * one longer than three windows always is; a lookbehind sees at most {@value #CONTEXT_CHARS}
 * characters before a start. The answer is final once the writer is closed.
 */
public final class TestOutputWatch extends Writer {
  /** How far past its start a match may reach and still surely be found. */
  public static final int WINDOW_CHARS = 64 * 1024;

  /** How much of the end of the output {@link #tail()} keeps. */
  public static final int TAIL_CHARS = 16 * 1024;

  /** Text kept before the first start still to try, for lookbehinds, {@code ^} and {@code \b}. */
  static final int CONTEXT_CHARS = 1024;

  private final Writer out;
  private final Pattern pattern;
  private final int window;

  /** The text from {@link #bufferStart} on; always at least the undecided starts. */
  private final StringBuilder buffer = new StringBuilder();

  /** Where {@link #buffer} begins in the whole output. */
  private long bufferStart;

  /** The first start in the whole output that is neither ruled out nor a match yet. */
  private long undecided;

  private boolean found;
  private String status;

  private final char[] tail = new char[TAIL_CHARS];
  private long written;
  private boolean closed;

  /** Watches what is written to {@code out} for the first match of {@code pattern}. */
  public TestOutputWatch(Writer out, Pattern pattern) {
    this(out, pattern, WINDOW_CHARS);
  }

  /** With a window of another size, so that tests can reach its edges with small texts. */
  TestOutputWatch(Writer out, Pattern pattern, int window) {
    this.out = Objects.requireNonNull(out, "out");
    this.pattern = Objects.requireNonNull(pattern, "pattern");
    if (window < 1) {
      throw new IllegalArgumentException("window < 1 character");
    }
    this.window = window;
  }

  @Override
  public void write(char[] chars, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, chars.length);
    synchronized (lock) {
      if (closed) {
        throw new IOException("the test output was already closed");
      }
      out.write(chars, off, len);
      keepTail(chars, off, len);
      // A window at a time, so that one huge write does not make the buffer huge.
      for (int done = 0; done < len && !found; ) {
        int piece = Math.min(len - done, window);
        buffer.append(chars, off + done, piece);
        done += piece;
        if (end() - undecided >= 2L * window) {
          search(/* last= */ false);
        }
      }
    }
  }

  @Override
  public void flush() throws IOException {
    synchronized (lock) {
      out.flush();
    }
  }

  /** Settles the search on the whole output, then closes the writer underneath. */
  @Override
  public void close() throws IOException {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
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
      int size = (int) Math.min(written, TAIL_CHARS);
      int from = (int) ((written - size) % TAIL_CHARS);
      int first = Math.min(size, TAIL_CHARS - from);
      StringBuilder text = new StringBuilder(size);
      text.append(tail, from, first).append(tail, 0, size - first);
      if (written > TAIL_CHARS && text.length() > 0 && Character.isLowSurrogate(text.charAt(0))) {
        text.deleteCharAt(0); // the other half of the pair was cut off
      }
      return text.toString();
    }
  }

  /** How much text the search holds now: at most three windows and the context. */
  int bufferedChars() {
    synchronized (lock) {
      return buffer.length();
    }
  }

  private void keepTail(char[] chars, int off, int len) {
    int skip = Math.max(0, len - TAIL_CHARS);
    written += skip;
    for (int i = off + skip; i < off + len; ) {
      int at = (int) (written % TAIL_CHARS);
      int n = Math.min(off + len - i, TAIL_CHARS - at);
      System.arraycopy(chars, i, tail, at, n);
      i += n;
      written += n;
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
