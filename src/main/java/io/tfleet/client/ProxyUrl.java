package io.tfleet.client;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * An HTTP proxy as {@code HTTPS_PROXY} and its kin name it: host, port, and the user and password
 * of its Basic authentication if any; {@link #source} says where it was set, for messages. Its
 * {@link #toString} masks the password, so printing one never shows it.
 */
public record ProxyUrl(String host, int port, String user, String password, String source) {
  /** What {@code requests} (urllib3) assumes for an http proxy without a port. */
  private static final int DEFAULT_PORT = 80;

  public ProxyUrl {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(source, "source");
    if (host.isBlank()) {
      throw new IllegalArgumentException(source + ": the proxy has no host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(source + ": port " + port + " is out of range");
    }
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException("a proxy user needs a password, even an empty one");
    }
  }

  /**
   * Reads a proxy URL as {@code requests} does: {@code http://[user:password@]host[:port]}, the
   * scheme optional, user and password percent-decoded. A proxy spoken to over TLS ({@code
   * https://}) or SOCKS is refused with a message naming {@code source}.
   */
  public static ProxyUrl parse(String text, String source) {
    String rest = text.strip();
    int scheme = rest.indexOf("://");
    if (scheme >= 0) {
      String name = rest.substring(0, scheme).toLowerCase(Locale.ROOT);
      if (name.equals("https")) {
        throw new IllegalArgumentException(
            source
                + ": a proxy spoken to over TLS (https://) is not supported; give it as http://"
                + rest.substring(scheme + 3)
                + " (a proxy tunnels https through its plain port)");
      }
      if (name.startsWith("socks")) {
        throw new IllegalArgumentException(
            source + ": SOCKS proxies are not supported, only HTTP proxies (http://host:port)");
      }
      if (!name.equals("http")) {
        throw new IllegalArgumentException(
            source + ": '" + masked(text) + "' is not an http://host:port proxy URL");
      }
      rest = rest.substring(scheme + 3);
    }
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String user = null;
    String password = null;
    // The last @ ends the credentials: a password may hold an @ that was not percent-encoded.
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String credentials = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = credentials.indexOf(':');
      user = decode(colon < 0 ? credentials : credentials.substring(0, colon));
      password = colon < 0 ? "" : decode(credentials.substring(colon + 1));
    }
    String host;
    String port = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException(source + ": '" + masked(text) + "' has no closing ]");
      }
      host = authority.substring(1, close);
      String after = authority.substring(close + 1);
      if (after.startsWith(":")) {
        port = after.substring(1);
      } else if (!after.isEmpty()) {
        throw new IllegalArgumentException(source + ": '" + masked(text) + "' is not host:port");
      }
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      port = colon < 0 ? null : authority.substring(colon + 1);
    }
    int number = DEFAULT_PORT;
    if (port != null && !port.isEmpty()) {
      if (!port.matches("\\d{1,5}")) {
        throw new IllegalArgumentException(
            source + ": '" + masked(text) + "' has no port number after the ':'");
      }
      number = Integer.parseInt(port);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException(source + ": '" + masked(text) + "' names no host");
    }
    return new ProxyUrl(host.toLowerCase(Locale.ROOT), number, user, password, source);
  }

  /** Whether the proxy was given a user and password. */
  public boolean hasCredentials() {
    return user != null;
  }

  /** Where to connect: the host unresolved, for the proxy's own name lookups to stay as given. */
  InetSocketAddress address() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  /** The proxy's URL with the password masked, and where it was set. */
  public String describe() {
    return this + " (from " + source + ")";
  }

  @Override
  public String toString() {
    String where = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + (user == null ? "" : user + ":****@") + where + ":" + port;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The text with its password masked, for messages. */
  private static String masked(String text) {
    return text.strip().replaceFirst("^((?:[A-Za-z][A-Za-z0-9+.-]*://)?[^:/@]*:)[^/]*@", "$1****@");
  }
}
