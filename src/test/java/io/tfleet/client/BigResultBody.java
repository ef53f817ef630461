package io.tfleet.client;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * A result object whose test output is as long as asked, made as it is read: never held whole. It
 * knows what the output decodes to (its length and SHA-256), so a reader can be checked against it.
 */
final class BigResultBody extends InputStream {
  static final String STATUS_LINE_JSON = "result: {\\\"status\\\": \\\"Certified\\\"}\\n";
  static final String STATUS_LINE = "result: {\"status\": \"Certified\"}\n";
  static final String LAST_LINE = "the end of the output\n";

  private static final String PREFIX = "{\"job_state\": \"complete\", \"test_output\": \"";
  private static final String SUFFIX = "\", \"test_status\": 0, \"setup_output\": \"set up\"}\n";

  private final String[] jsonLines = new String[64];
  private final String[] textLines = new String[64];
  private final Random random;
  private final long outputChars;
  private final MessageDigest sha;

  private byte[] current;
  private int pos;
  private long charsMade;
  private long bytesMade;
  private int stage; // 0 prefix, 1 lines, 2 status, 3 last line, 4 suffix, 5 end

  /** A body whose test output is {@code outputChars} characters, at least the last two lines. */
  BigResultBody(long outputChars, long seed) {
    this.random = new Random(seed);
    this.outputChars = outputChars;
    try {
      this.sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    String[][] pieces = {
      {"word ", "word "},
      {"\\t", "\t"},
      {"\\\"quoted\\\" ", "\"quoted\" "},
      {"back\\\\slash ", "back\\slash "},
      {"é", "é"},
      {"\\u00e9", "é"},
      {"中文 ", "中文 "},
      {"😀", "😀"},
      {"\\ud83d\\ude00", "😀"},
      {"\\/", "/"},
      {"PASS: test_", "PASS: test_"},
      {"0123456789", "0123456789"}
    };
    for (int i = 0; i < jsonLines.length; i++) {
      StringBuilder json = new StringBuilder();
      StringBuilder text = new StringBuilder();
      int n = 1 + random.nextInt(40);
      for (int j = 0; j < n; j++) {
        String[] piece = pieces[random.nextInt(pieces.length)];
        json.append(piece[0]);
        text.append(piece[1]);
      }
      jsonLines[i] = json.append("\\n").toString();
      textLines[i] = text.append('\n').toString();
    }
    current = PREFIX.getBytes(StandardCharsets.UTF_8);
  }

  /** How many characters the test output decodes to; known once the body was read to its end. */
  long outputChars() {
    return charsMade;
  }

  /** How many bytes the body had; known once it was read to its end. */
  long bytes() {
    return bytesMade;
  }

  /** The SHA-256 of the decoded test output in UTF-8; once the body was read to its end. */
  String outputSha256() {
    return HexFormat.of().formatHex(sha.digest());
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    while (pos == current.length) {
      if (!next()) {
        return -1;
      }
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    bytesMade += n;
    return n;
  }

  private boolean next() {
    pos = 0;
    switch (stage) {
      case 0, 1 -> {
        long room = outputChars - STATUS_LINE.length() - LAST_LINE.length();
        int line = random.nextInt(jsonLines.length);
        if (charsMade + textLines[line].length() <= room) {
          stage = 1;
          output(jsonLines[line], textLines[line]);
        } else {
          stage = 2;
          String pad = "x".repeat((int) (room - charsMade)); // to the exact length asked
          output(pad + STATUS_LINE_JSON, pad + STATUS_LINE);
        }
      }
      case 2 -> {
        stage = 3;
        output(LAST_LINE.replace("\n", "\\n"), LAST_LINE);
      }
      case 3 -> {
        stage = 4;
        current = SUFFIX.getBytes(StandardCharsets.UTF_8);
      }
      default -> {
        stage = 5;
        current = new byte[0];
        return false;
      }
    }
    return true;
  }

  private void output(String json, String text) {
    current = json.getBytes(StandardCharsets.UTF_8);
    charsMade += text.length();
    sha.update(text.getBytes(StandardCharsets.UTF_8));
  }
}
