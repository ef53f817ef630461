package io.tfleet.client;

/** Which bytes are well-formed UTF-8: those Java's decoder turns into characters, not U+FFFD. */
final class Utf8 {
  private Utf8() {}

  /**
   * The length of the well-formed sequence that begins at {@code b[i]}, a byte of 0x80 or more
   * (Unicode's table 3-7: no overlong forms, no surrogates, nothing past U+10FFFF); -1 when it is
   * not one; 0 when {@code end} comes before it would end.
   */
  static int sequenceAt(byte[] b, int i, int end) {
    int lead = b[i] & 0xFF;
    int length;
    if (lead < 0xC2) {
      return -1; // a continuation byte, or the lead of an overlong form
    } else if (lead < 0xE0) {
      length = 2;
    } else if (lead < 0xF0) {
      length = 3;
    } else if (lead < 0xF5) {
      length = 4;
    } else {
      return -1;
    }
    if (i + length > end) {
      return 0;
    }
    int second = b[i + 1] & 0xFF;
    int low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
    int high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
    if (second < low || second > high) {
      return -1;
    }
    for (int k = i + 2; k < i + length; k++) {
      if ((b[k] & 0xC0) != 0x80) {
        return -1;
      }
    }
    return length;
  }

  /** How many UTF-16 characters a well-formed sequence of {@code length} bytes decodes to. */
  static int chars(int length) {
    return length == 4 ? 2 : 1;
  }
}
