package io.tfleet.client;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns the transport's failures (TLS, proxies, connections) into one line a person understands:
 * what failed, on which host or proxy, and what fixes it; never the name of a Java class. A failure
 * before anything was sent is a {@link ServerUnreachableException}.
 */
final class TransportErrors {
  private static final Pattern TUNNEL = Pattern.compile("Tunnel failed, got: (\\d{3})");

  /** A qualified Java class name, such as {@code java.security.cert.CertPathValidatorException}. */
  private static final Pattern CLASS_NAME =
      Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?::\\s*)?");

  private static final Pattern SIMPLE_CLASS_NAME =
      Pattern.compile("\\b[A-Z][A-Za-z0-9]*(?:Exception|Error)\\b(?::\\s*)?");

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private TransportErrors() {}

  /**
   * The failure {@code e} of a request to {@code target} (to {@code what}) of the API at {@code
   * server}, sent through {@code proxy} if present, explained.
   *
   * @param timeout the request's timeout, for a request that got no answer in time
   * @param trustSource where the extra trusted authorities came from, or null
   */
  static IOException explain(
      IOException e,
      URI server,
      URI target,
      Optional<ProxyUrl> proxy,
      String what,
      Duration timeout,
      String trustSource) {
    CertificateProblem certificate = find(e, CertificateProblem.class);
    if (certificate != null) {
      return unreachable(server, certificate(certificate, target, trustSource), e);
    }
    Matcher tunnel = TUNNEL.matcher(String.valueOf(e.getMessage()));
    if (proxy.isPresent() && tunnel.find()) {
      return unreachable(server, tunnelRefused(proxy.get(), target, tunnel.group(1)), e);
    }
    Throwable root = Messages.rootCause(e);
    boolean unresolved =
        root instanceof UnresolvedAddressException || root instanceof UnknownHostException;
    if (proxy.isPresent()
        && (unresolved
            || e instanceof HttpConnectTimeoutException
            || e instanceof ConnectException)) {
      String why =
          unresolved
              ? "its host name " + proxy.get().host() + " does not resolve"
              : e instanceof HttpConnectTimeoutException
                  ? "it did not accept a connection within "
                      + HttpClients.CONNECT_TIMEOUT.toSeconds()
                      + " s"
                  : "it refuses connections (is it running?)";
      return unreachable(
          server,
          "the proxy "
              + proxy.get().describe()
              + " cannot be reached: "
              + why
              + "; NO_PROXY lists the hosts to reach without it",
          e);
    }
    if (unresolved) {
      return unreachable(server, "cannot resolve host " + target.getHost(), e);
    }
    if (e instanceof HttpConnectTimeoutException) {
      return unreachable(
          server,
          "connection timed out after " + HttpClients.CONNECT_TIMEOUT.toSeconds() + " s",
          e);
    }
    if (e instanceof ConnectException) {
      return unreachable(server, Messages.reason(e), e);
    }
    if (e instanceof HttpTimeoutException) {
      return new IOException(
          "cannot " + what + ": no answer, timed out after " + timeout.toSeconds() + " s", e);
    }
    // The JDK's client passes this one on as a plain IOException: only its words tell.
    if (mentions(e, "unrecognized SSL message")) {
      return unreachable(
          server,
          "it does not speak TLS on port "
              + port(target)
              + " (an http:// server? then use http://"
              + target.getRawAuthority()
              + ")",
          e);
    }
    SSLException tls = find(e, SSLException.class);
    if (tls instanceof SSLHandshakeException) {
      return unreachable(server, "the TLS handshake failed: " + words(tls.getMessage()), e);
    }
    if (closed(e)) {
      return new IOException(
          "cannot "
              + what
              + ": "
              + (proxy.isPresent()
                  ? "the connection through the proxy " + proxy.get() + " closed before an answer"
                  : "the server closed the connection before it answered"),
          e);
    }
    return new IOException("cannot " + what + ": " + words(Messages.reason(e)), e);
  }

  /** The proxy answered {@code status}, without a tunnel, to a request for {@code target}. */
  static ServerUnreachableException proxyAnswered(
      URI server, Optional<ProxyUrl> proxy, URI target, int status) {
    if (proxy.isEmpty()) {
      return unreachable(
          server,
          "a proxy between here and the server wants credentials (407): name it, with them, in"
              + " HTTPS_PROXY=http://USER:PASSWORD@HOST:PORT or --proxy",
          null);
    }
    return unreachable(server, tunnelRefused(proxy.get(), target, "" + status), null);
  }

  private static String tunnelRefused(ProxyUrl proxy, URI target, String status) {
    if (status.equals("407") || status.equals("401")) {
      return proxy.hasCredentials()
          ? credentialsRefused(proxy, status)
          : "the proxy "
              + proxy.describe()
              + " wants credentials ("
              + status
              + ", proxy authentication required): give them in "
              + proxy.source()
              + " as http://USER:PASSWORD@"
              + proxy.toString().substring("http://".length());
    }
    String where = target.getHost() + ":" + port(target);
    if (status.equals("403")) {
      return "the proxy " + proxy.describe() + " refuses to connect to " + where + " (403)";
    }
    return "the proxy "
        + proxy.describe()
        + " could not reach "
        + where
        + " (it answered "
        + status
        + "); is the server's address right, and does the proxy reach it?";
  }

  private static String credentialsRefused(ProxyUrl proxy, String status) {
    return "the proxy "
        + proxy.describe()
        + " refused the user name and password given for "
        + proxy.user()
        + " (proxy authentication, it answered "
        + status
        + "); check them in "
        + proxy.source();
  }

  private static String certificate(CertificateProblem problem, URI target, String trustSource) {
    List<X509Certificate> chain = problem.chain();
    X509Certificate own = chain.get(0);
    switch (problem.kind()) {
      case NAME_MISMATCH:
        return "its certificate is for "
            + String.join(", ", names(own))
            + ", not for "
            + target.getHost()
            + " (a host name mismatch): use a name the certificate has in the server URL";
      case EXPIRED:
      case NOT_YET_VALID:
        for (X509Certificate c : chain) {
          boolean expired = c.getNotAfter().getTime() < System.currentTimeMillis();
          boolean early = c.getNotBefore().getTime() > System.currentTimeMillis();
          if (expired || early) {
            String whose =
                c == own ? "its certificate" : "the certificate of its issuer " + subject(c);
            return expired
                ? whose + " expired on " + WHEN.format(c.getNotAfter().toInstant())
                : whose
                    + " is not valid before "
                    + WHEN.format(c.getNotBefore().toInstant())
                    + " (is this computer's clock right?)";
          }
        }
        return "its certificate is outside its dates";
      case UNTRUSTED:
        X509Certificate top = chain.get(chain.size() - 1);
        String issuer =
            chain.size() == 1 && top.getSubjectX500Principal().equals(top.getIssuerX500Principal())
                ? "it is self-signed (" + subject(top) + ")"
                : "it was issued by " + top.getIssuerX500Principal();
        return "its certificate is not trusted: "
            + issuer
            + ", which is not among Java's trusted authorities"
            + (trustSource == null ? "" : " nor in " + trustSource)
            + ". If that authority is your organisation's, give its certificate (PEM) with"
            + " --ca-cert FILE or REQUESTS_CA_BUNDLE=FILE";
      default:
        return "its certificate was refused: " + words(problem.getCause().getMessage());
    }
  }

  /** The names a certificate is for: its DNS names and IP addresses, else its common name. */
  private static List<String> names(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> alternative : alternatives) {
          Object type = alternative.get(0);
          if (Integer.valueOf(2).equals(type) || Integer.valueOf(7).equals(type)) {
            names.add(String.valueOf(alternative.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // Then the common name is all there is to tell.
    }
    if (names.isEmpty()) {
      names.add(subject(certificate));
    }
    return names;
  }

  private static String subject(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().toString();
  }

  /** Whether {@code e} or a cause says {@code words}, case aside. */
  private static boolean mentions(Throwable e, String words) {
    String wanted = words.toLowerCase(java.util.Locale.ROOT);
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT).contains(wanted)) {
        return true;
      }
    }
    return false;
  }

  private static boolean closed(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (t instanceof EOFException
          || t instanceof ClosedChannelException
          || (t instanceof SocketException
              && (message.contains("reset") || message.contains("Broken pipe")))
          || message.contains("header parser received no bytes")
          || message.contains("EOF reached")
          || message.contains("connection closed")) {
        return true;
      }
    }
    return false;
  }

  /** A Java message with the names of classes taken out. */
  static String words(String message) {
    if (message == null || message.isBlank()) {
      return "the connection failed";
    }
    String text = CLASS_NAME.matcher(message).replaceAll("");
    text = SIMPLE_CLASS_NAME.matcher(text).replaceAll("").strip();
    return text.isEmpty() ? "the connection failed" : text;
  }

  private static ServerUnreachableException unreachable(
      URI server, String reason, Throwable cause) {
    return new ServerUnreachableException("cannot reach " + server + ": " + reason, cause);
  }

  private static int port(URI target) {
    return target.getPort() != -1
        ? target.getPort()
        : "https".equals(target.getScheme()) ? 443 : 80;
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> kind) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (kind.isInstance(t)) {
        return kind.cast(t);
      }
    }
    return null;
  }
}
