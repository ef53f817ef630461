package io.tfleet.cli;

import io.tfleet.client.NetworkSettings;
import io.tfleet.client.Proxies;
import io.tfleet.client.ProxyUrl;
import io.tfleet.job.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The network settings from {@code --ca-cert}, {@code --proxy} and the variables that users of the
 * testflinger CLI already set for its {@code requests}.
 */
final class NetworkSetup {
  /**
   * Where a CA bundle may be named, in the order asked: {@code requests}' own variables, then
   * OpenSSL's, which Python's TLS reads.
   */
  static final List<String> CA_VARIABLES =
      List.of("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE");

  /** What {@code --proxy} takes to go direct whatever the environment says. */
  static final String NO_PROXY = "none";

  private NetworkSetup() {}

  static NetworkSettings settings(Environment env, Path caCert, String proxy)
      throws InputException {
    String source = null;
    Path bundle = caCert;
    if (bundle != null) {
      source = "--ca-cert";
    } else {
      for (String name : CA_VARIABLES) {
        Optional<String> value = env.get(name);
        if (value.isPresent()) {
          source = name;
          bundle = env.path(value.get().strip());
          break;
        }
      }
    }
    // Read with the HTTP client, off this thread; a file that is not there is told at once.
    if (bundle != null && !Files.isRegularFile(bundle)) {
      throw new InputException(
          source + " " + bundle + ": " + (Files.exists(bundle) ? "not a file" : "no such file"));
    }
    if (bundle != null && !Files.isReadable(bundle)) {
      throw new InputException(source + " " + bundle + ": not allowed to read it");
    }
    Proxies proxies;
    try {
      if (proxy == null) {
        proxies = Proxies.fromEnvironment(env.variables());
      } else if (proxy.strip().toLowerCase(Locale.ROOT).equals(NO_PROXY)) {
        proxies = Proxies.given(null, env.variables());
      } else {
        proxies = Proxies.given(ProxyUrl.parse(proxy, "--proxy"), env.variables());
      }
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    return new NetworkSettings(bundle, bundle == null ? null : source, proxies);
  }
}
