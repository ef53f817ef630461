package io.tfleet.lab;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A streaming reader of {@code multipart/form-data} bodies: it copies one field to a file as the
 * bytes arrive, holding no more than a boundary's length in memory.
 */
final class Multipart {
  private static final Pattern BOUNDARY =
      Pattern.compile("(?i)boundary=(?:\"([^\"]+)\"|([^;\\s]+))");
  private static final Pattern NAME = Pattern.compile("(?i)[;\\s]name=(?:\"([^\"]*)\"|([^;\\s]+))");
  private static final int MAX_HEADER_BYTES = 16 * 1024;

  /** The body is not the multipart form we expect. */
  static final class MalformedException extends IOException {
    MalformedException(String message) {
      super(message);
    }
  }

  private Multipart() {}

  /** Returns the boundary of a {@code multipart/form-data} content type, or null. */
  static String boundary(String contentType) {
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return null;
    }
    Matcher m = BOUNDARY.matcher(contentType);
    if (!m.find()) {
      return null;
    }
    return m.group(1) != null ? m.group(1) : m.group(2);
  }

  /**
   * Copies the content of the first part named {@code field} to {@code target}.
   *
   * @return false when the body has no such part
   * @throws MalformedException when the body does not follow the multipart format
   */
  static boolean copyField(InputStream body, String boundary, String field, Path target)
      throws IOException {
    // Seen from a leading CRLF, every delimiter, the first included, is CRLF "--" boundary.
    InputStream in =
        new BufferedInputStream(
            new SequenceInputStream(new ByteArrayInputStream(new byte[] {'\r', '\n'}), body),
            64 * 1024);
    byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int[] fail = failureTable(delimiter);
    if (!copyUntil(in, delimiter, fail, OutputStream.nullOutputStream())) {
      throw new MalformedException("no multipart boundary in the body");
    }
    boolean found = false;
    while (true) {
      int a = in.read();
      int b = in.read();
      if (a == '-' && b == '-') {
        return found;
      }
      if (a != '\r' || b != '\n') {
        throw new MalformedException("bad multipart delimiter line");
      }
      String name = partName(readHeaders(in));
      boolean wanted = !found && field.equals(name);
      if (wanted) {
        try (OutputStream out =
            new BufferedOutputStream(Files.newOutputStream(target), 64 * 1024)) {
          if (!copyUntil(in, delimiter, fail, out)) {
            throw new MalformedException("multipart body ends inside a part");
          }
        }
        found = true;
      } else if (!copyUntil(in, delimiter, fail, OutputStream.nullOutputStream())) {
        throw new MalformedException("multipart body ends inside a part");
      }
    }
  }

  private static String readHeaders(InputStream in) throws IOException {
    ByteArrayOutputStream headers = new ByteArrayOutputStream();
    int matched = 0; // of the CRLF CRLF that ends the headers
    byte[] end = {'\r', '\n', '\r', '\n'};
    // A part with no headers starts directly with the blank line.
    headers.write('\r');
    headers.write('\n');
    matched = 2;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        throw new MalformedException("multipart body ends inside part headers");
      }
      headers.write(c);
      if (headers.size() > MAX_HEADER_BYTES) {
        throw new MalformedException("multipart part headers too long");
      }
      matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    return headers.toString(StandardCharsets.UTF_8);
  }

  private static String partName(String headers) {
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
        Matcher m = NAME.matcher(line);
        if (m.find()) {
          return m.group(1) != null ? m.group(1) : m.group(2);
        }
      }
    }
    return null;
  }

  /** Knuth-Morris-Pratt: copies bytes up to the delimiter; false when the stream ends first. */
  private static boolean copyUntil(InputStream in, byte[] delimiter, int[] fail, OutputStream out)
      throws IOException {
    int matched = 0;
    int c;
    while ((c = in.read()) >= 0) {
      while (matched > 0 && c != (delimiter[matched] & 0xff)) {
        // The bytes held back were a delimiter prefix; those that cannot start a match go out.
        int keep = fail[matched - 1];
        out.write(delimiter, 0, matched - keep);
        matched = keep;
      }
      if (c == (delimiter[matched] & 0xff)) {
        matched++;
        if (matched == delimiter.length) {
          return true;
        }
      } else {
        out.write(c);
      }
    }
    return false;
  }

  private static int[] failureTable(byte[] pattern) {
    int[] fail = new int[pattern.length];
    int k = 0;
    for (int i = 1; i < pattern.length; i++) {
      while (k > 0 && pattern[i] != pattern[k]) {
        k = fail[k - 1];
      }
      if (pattern[i] == pattern[k]) {
        k++;
      }
      fail[i] = k;
    }
    return fail;
  }
}
