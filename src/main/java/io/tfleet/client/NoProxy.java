package io.tfleet.client;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts reached without a proxy, read from {@code NO_PROXY} as curl and {@code requests} read
 * it: entries split at commas (and blanks); {@code *} means every host; a name matches itself and
 * every name under it ({@code example.com} and {@code .example.com} both match {@code
 * a.example.com}, never {@code badexample.com}); an IP address matches itself, a CIDR range ({@code
 * 10.0.0.0/8}, {@code fd00::/8}) the addresses in it; {@code host:port} only that port. Names are
 * compared as written, case aside: no name is looked up.
 */
public record NoProxy(List<Rule> rules) {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** No host bypasses the proxy. */
  public static final NoProxy NONE = new NoProxy(List.of());

  public NoProxy {
    rules = List.copyOf(rules);
  }

  /** One entry of the list: a name suffix or an address range, and a port (0: any). */
  public record Rule(String name, BigInteger network, int prefix, boolean ipv6, int port) {}

  /** Reads a {@code NO_PROXY} value; null or blank is {@link #NONE}. */
  public static NoProxy parse(String value) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    List<Rule> rules = new ArrayList<>();
    for (String raw : value.split("[,\\s]+")) {
      String entry = raw.strip().toLowerCase(Locale.ROOT);
      if (!entry.isEmpty()) {
        rules.add(rule(entry));
      }
    }
    return new NoProxy(rules);
  }

  private static Rule rule(String entry) {
    if (entry.equals("*")) {
      return new Rule("", null, 0, false, 0);
    }
    int port = 0;
    String host = entry;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      String after = close < 0 ? "" : host.substring(close + 1);
      host = close < 0 ? host.substring(1) : host.substring(1, close);
      if (after.matches(":\\d{1,5}")) {
        port = Integer.parseInt(after.substring(1));
      }
    } else if (host.indexOf(':') == host.lastIndexOf(':') && host.matches(".*:\\d{1,5}")) {
      // One colon: host:port. More than one without brackets: an IPv6 address, no port.
      int colon = host.lastIndexOf(':');
      port = Integer.parseInt(host.substring(colon + 1));
      host = host.substring(0, colon);
    }
    int slash = host.indexOf('/');
    String address = slash < 0 ? host : host.substring(0, slash);
    byte[] bytes = literal(address);
    if (bytes != null) {
      int bits = bytes.length * 8;
      int prefix = bits;
      if (slash >= 0 && host.substring(slash + 1).matches("\\d{1,3}")) {
        prefix = Math.min(bits, Integer.parseInt(host.substring(slash + 1)));
      }
      return new Rule(
          null, masked(new BigInteger(1, bytes), bits, prefix), prefix, bits == 128, port);
    }
    String name = host;
    while (name.startsWith("*") || name.startsWith(".")) {
      name = name.substring(1);
    }
    return new Rule(name, null, 0, false, port);
  }

  /** Whether a request to {@code host} on {@code port} goes without the proxy. */
  public boolean bypasses(String host, int port) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    while (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    byte[] address = literal(h);
    for (Rule rule : rules) {
      if (rule.port() != 0 && rule.port() != port) {
        continue;
      }
      if (rule.name() != null) {
        if (rule.name().isEmpty()
            || h.equals(rule.name())
            || (address == null && h.endsWith("." + rule.name()))) {
          return true;
        }
      } else if (address != null && (address.length == 16) == rule.ipv6()) {
        int bits = address.length * 8;
        if (masked(new BigInteger(1, address), bits, rule.prefix()).equals(rule.network())) {
          return true;
        }
      }
    }
    return false;
  }

  /** An IP address literal's bytes, or null for a name; never a name lookup. */
  private static byte[] literal(String text) {
    if (!IPV4.matcher(text).matches() && !(text.contains(":") && text.matches("[0-9a-f:.]+"))) {
      return null;
    }
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static BigInteger masked(BigInteger address, int bits, int prefix) {
    if (prefix == 0) {
      return BigInteger.ZERO;
    }
    BigInteger mask =
        BigInteger.ONE
            .shiftLeft(bits)
            .subtract(BigInteger.ONE)
            .shiftRight(bits - prefix)
            .shiftLeft(bits - prefix);
    return address.and(mask);
  }
}
