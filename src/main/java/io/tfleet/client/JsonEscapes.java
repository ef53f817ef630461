package io.tfleet.client;

/** JSON's escapes in a string, read from characters or straight from bytes. */
final class JsonEscapes {
  private JsonEscapes() {}

  /**
   * The length of the well-formed ASCII escape at {@code b[p]} (a backslash), 0 when it is not one,
   * or -1 when the bytes up to {@code end} stop before it could end.
   */
  static int lengthAt(byte[] b, int p, int end) {
    if (p + 1 >= end) {
      return -1;
    }
    byte e = b[p + 1];
    if (isOneLetter(e)) {
      return 2;
    }
    if (e != 'u') {
      return 0;
    }
    if (p + 6 > end) {
      return -1;
    }
    for (int i = p + 2; i < p + 6; i++) {
      if (hexValue(b[i]) < 0) {
        return 0;
      }
    }
    return 6;
  }

  /** Whether {@code e} after a backslash is a whole escape: {@code n}, {@code "}, {@code /}, ... */
  static boolean isOneLetter(int e) {
    switch (e) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        return true;
      default:
        return false;
    }
  }

  /** The character of the escape at {@code b[p]}, which {@link #lengthAt} found well-formed. */
  static char valueAt(byte[] b, int p) {
    byte e = b[p + 1];
    if (e != 'u') {
      return simple(e);
    }
    int value = 0;
    for (int i = p + 2; i < p + 6; i++) {
      value = value << 4 | hexValue(b[i]);
    }
    return (char) value;
  }

  /** The character of a one-letter escape: {@code n} for a newline, {@code /} for itself. */
  static char simple(int e) {
    switch (e) {
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      default:
        return (char) e; // '"', '\\' and '/'
    }
  }

  /** The value of a hex digit, or -1 when {@code c} is none. */
  static int hexValue(int c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
