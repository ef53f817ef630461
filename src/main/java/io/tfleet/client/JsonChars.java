package io.tfleet.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The characters of a UTF-8 body and its strings, through one fixed buffer that {@link
 * StreamingJson} reads in place, or, for a string that goes on as UTF-8, its bytes where they are
 * well-formed; every byte read is also copied to a raw copy, and the body's first characters are
 * kept for messages.
 */
final class JsonChars {
  /** The one character buffer: its size is the whole of what a read keeps of a streamed value. */
  static final int BUFFER_CHARS = 64 * 1024;

  /** How much of the body's beginning a message may quote. */
  private static final int START_CHARS = 80;

  /** May come first in a UTF-8 body, and is not part of the JSON. */
  static final char BYTE_ORDER_MARK = '\uFEFF';

  /** How many bytes a read asks for. */
  private static final int BUFFER_BYTES = 64 * 1024;

  /**
   * How many characters {@link #readStringAsUtf8} decodes when it meets bytes it does not take
   * itself, before it goes back to the bytes.
   */
  private static final int UTF8_DETOUR_CHARS = 64;

  private final InputStream body;
  private final CharsetDecoder utf8;

  /** Bytes read and not decoded yet: {@code [bytePos, byteLimit)}. */
  private final byte[] bytes = new byte[BUFFER_BYTES];

  private int bytePos;
  private int byteLimit;

  /** Whether the body has ended: what bytes are left are all there will be. */
  private boolean ended;

  /** Whether the decoder was flushed at the end: nothing more comes. */
  private boolean flushed;

  private final char[] buf = new char[BUFFER_CHARS];
  private int pos;
  private int limit;

  /** Characters that were in the buffer before its current contents. */
  private long before;

  private final StringBuilder start = new StringBuilder();

  JsonChars(InputStream body, OutputStream rawCopy) {
    // A byte that is not UTF-8 becomes U+FFFD: one bad byte is no reason to lose a whole output.
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    this.utf8 = utf8;
    this.body = new Tee(body, rawCopy);
  }

  /** The next character, or -1 at the end of the body. */
  int read() throws IOException {
    if (pos == limit && !fill()) {
      return -1;
    }
    return buf[pos++];
  }

  /** The next character without taking it, or -1 at the end of the body. */
  int peek() throws IOException {
    if (pos == limit && !fill()) {
      return -1;
    }
    return buf[pos];
  }

  /**
   * Refills the buffer once it is used up; false at the end of the body. Whatever was in the buffer
   * is gone afterwards.
   */
  boolean fill() throws IOException {
    return fill(BUFFER_CHARS);
  }

  /** As {@link #fill()}, decoding at most {@code max} characters. */
  private boolean fill(int max) throws IOException {
    before += limit;
    pos = 0;
    limit = 0;
    int n;
    do {
      n = decode(max);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    limit = n;
    if (start.length() < START_CHARS) {
      start.append(buf, 0, Math.min(n, START_CHARS - start.length()));
    }
    return true;
  }

  /**
   * Decodes into the character buffer from its start; returns how many characters, 0 when it must
   * be asked again, -1 at the end of the body. A run of ASCII bytes (most of an output) is copied
   * in one pass; from the first other byte on, Java's decoder takes the bytes, with U+FFFD for what
   * is not UTF-8, as a reader would. Both stop only where a character ends, so neither ever starts
   * inside the other's sequence; and so may {@link #readStringAsUtf8}, which takes bytes from the
   * same buffer.
   */
  private int decode(int maxChars) throws IOException {
    if (flushed) {
      return -1;
    }
    if (bytePos == byteLimit && !ended) {
      readBytes();
    }
    byte[] b = bytes;
    char[] c = buf;
    int p = bytePos;
    int max = Math.min(byteLimit - p, maxChars);
    int n = 0;
    while (n < max && b[p] >= 0) {
      c[n++] = (char) b[p++];
    }
    bytePos = p;
    if (n > 0) {
      return n;
    }
    ByteBuffer in = ByteBuffer.wrap(b, bytePos, byteLimit - bytePos);
    CharBuffer out = CharBuffer.wrap(c, 0, maxChars);
    CoderResult result = utf8.decode(in, out, ended);
    bytePos = in.position();
    if (ended && result.isUnderflow()) {
      // At the end every byte is decoded (an unfinished sequence is a U+FFFD): nothing is left.
      utf8.flush(out);
      flushed = true;
    }
    if (out.position() > 0) {
      return out.position();
    }
    if (flushed) {
      return -1;
    }
    // The bytes left begin a sequence that goes on in bytes not read yet.
    readBytes();
    return 0;
  }

  /** Keeps the bytes not decoded yet at the start of the byte buffer and reads more after them. */
  private void readBytes() throws IOException {
    int left = byteLimit - bytePos;
    System.arraycopy(bytes, bytePos, bytes, 0, left);
    bytePos = 0;
    byteLimit = left;
    int n;
    do {
      n = body.read(bytes, byteLimit, bytes.length - byteLimit);
    } while (n == 0);
    if (n < 0) {
      ended = true;
    } else {
      byteLimit += n;
    }
  }

  /** The character last taken and what the buffer holds after it, for a message to quote. */
  String fromLast() {
    int from = Math.max(pos - 1, 0);
    return new String(buf, from, Math.min(limit - from, 80));
  }

  /** How many characters were taken so far. */
  long offset() {
    return before + pos;
  }

  /** The next character that is not white space, or -1 at the end of the body. */
  int nextToken() throws IOException {
    return skipSpace(read());
  }

  /** {@code c}, or the first character after it that is not white space. */
  int skipSpace(int c) throws IOException {
    while (isSpace(c)) {
      c = read();
    }
    return c;
  }

  /** Where a string's characters go. */
  interface Text {
    void put(char[] b, int off, int len) throws IOException;

    void put(char c) throws IOException;
  }

  /** Where a string goes when it is read as UTF-8: characters, and its bytes where they can. */
  interface Utf8Text extends Text {
    /**
     * Bytes of the string that are well-formed UTF-8 and need no escape: no quote, backslash or
     * control character.
     */
    void putUtf8(byte[] b, int off, int len) throws IOException;
  }

  /**
   * Decodes a string whose opening quote was taken, up to and including its closing quote: the runs
   * between escapes are handed over straight from the read buffer.
   */
  void readString(Text out) throws IOException {
    do {
      if (pos == limit && !fill()) {
        throw BadAnswerException.cutShort();
      }
    } while (!charsOfString(out));
  }

  /**
   * As {@link #readString}, for a value that goes on as UTF-8: runs of well-formed UTF-8, and the
   * escapes among them, go from the byte buffer to {@code out} without becoming characters.
   * Anything else (bytes that are not UTF-8, a control character, an escape the body cuts short) is
   * decoded and taken by {@link #readString}'s own loop, so what comes out, and every error, is the
   * same.
   */
  void readStringAsUtf8(Utf8Text out) throws IOException {
    while (true) {
      if (pos < limit) {
        if (charsOfString(out)) {
          return;
        }
        continue;
      }
      // Nothing decoded waits: on from the bytes.
      before += limit;
      pos = 0;
      limit = 0;
      if (bytePos == byteLimit) {
        if (ended) {
          readString(out); // what the decoder makes of the end: a string cut short
          return;
        }
        readBytes();
        continue;
      }
      byte[] b = bytes;
      int p = bytePos;
      int end = byteLimit;
      int from = p;
      int fewerChars = 0; // than bytes, in the run: a sequence of n bytes is one or two characters
      int sequence = 1;
      while (p < end) {
        byte x = b[p];
        if (x < 0x20 || x == '"' || x == '\\') { // below 0x20: control characters and all not ASCII
          if (x >= 0 || (sequence = Utf8.sequenceAt(b, p, end)) <= 0) {
            break;
          }
          p += sequence;
          fewerChars += sequence - Utf8.chars(sequence);
          continue;
        }
        p++;
      }
      if (p > from) {
        out.putUtf8(b, from, p - from);
        before += p - from - fewerChars;
        bytePos = p;
      }
      if (p == end) {
        continue;
      }
      if (sequence == 0 && !ended) {
        readBytes(); // a sequence goes on in bytes not read yet
        continue;
      }
      if (b[p] == '"') {
        bytePos = p + 1;
        before++;
        return;
      }
      if (b[p] == '\\') {
        int n = JsonEscapes.lengthAt(b, p, end);
        if (n > 0) {
          out.put(JsonEscapes.valueAt(b, p));
          bytePos = p + n;
          before += n;
          continue;
        }
        if (n < 0 && !ended) {
          readBytes(); // the escape goes on in bytes not read yet
          continue;
        }
      }
      // A few characters through the decoder, then back to the bytes.
      if (!fill(UTF8_DETOUR_CHARS)) {
        throw BadAnswerException.cutShort();
      }
    }
  }

  /**
   * Takes the string's characters that the buffer holds, and what escapes need after them; true
   * once its closing quote was taken.
   */
  private boolean charsOfString(Text out) throws IOException {
    while (pos < limit) {
      char[] b = buf;
      int p = pos;
      int end = limit;
      int from = p;
      while (p < end) {
        char c = b[p];
        if (c == '"' || c == '\\' || c < 0x20) {
          break;
        }
        p++;
      }
      if (p > from) {
        out.put(b, from, p - from);
      }
      pos = p;
      if (p == end) {
        return false;
      }
      char c = b[p];
      pos = p + 1;
      if (c == '"') {
        return true;
      }
      if (c != '\\') {
        throw BadAnswerException.notValid(
            "has a control character inside a string at character " + offset());
      }
      out.put(escape());
    }
    return false;
  }

  /** The character of an escape whose backslash was taken. */
  private char escape() throws IOException {
    int e = read();
    if (JsonEscapes.isOneLetter(e)) {
      return JsonEscapes.simple(e);
    }
    if (e != 'u') {
      throw BadAnswerException.unexpected(e, "an escape", offset());
    }
    // A pair of escaped surrogates needs nothing special: each escape is one UTF-16 unit.
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int c = read();
      int digit = JsonEscapes.hexValue(c);
      if (digit < 0) {
        throw BadAnswerException.unexpected(c, "a hex digit", offset());
      }
      value = value << 4 | digit;
    }
    return (char) value;
  }

  /** The body's first characters, from its first one that is not white space. */
  String start() {
    int from = 0;
    while (from < start.length()
        && (isSpace(start.charAt(from)) || start.charAt(from) == BYTE_ORDER_MARK)) {
      from++;
    }
    return start.substring(from);
  }

  /** JSON's white space. */
  static boolean isSpace(int c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  /** Copies every byte read to a second stream, so the body can be kept exactly as it came. */
  private static final class Tee extends FilterInputStream {
    private final OutputStream copy;

    Tee(InputStream in, OutputStream copy) {
      super(in);
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        copy.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        copy.write(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes would be missing from the copy; read them instead.
      byte[] scratch = new byte[(int) Math.min(n, 8192)];
      int read = read(scratch, 0, scratch.length);
      return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
