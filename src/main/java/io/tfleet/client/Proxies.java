package io.tfleet.client;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Which proxy each request goes through, as {@code requests} and curl decide it: {@code https} URLs
 * through {@code https}, {@code http} URLs through {@code http}, either null for none; and the
 * hosts that {@link NoProxy} sends direct.
 */
public record Proxies(ProxyUrl https, ProxyUrl http, NoProxy noProxy) {
  /** Every request direct. */
  public static final Proxies DIRECT = new Proxies(null, null, NoProxy.NONE);

  public Proxies {
    noProxy = noProxy == null ? NoProxy.NONE : noProxy;
  }

  /**
   * The proxies the environment names, as {@code requests} reads it: {@code https_proxy} for https
   * URLs, {@code http_proxy} for http ones, {@code all_proxy} for both where those are not set, and
   * {@code no_proxy}; each in lower case or upper case, lower case first when both are set.
   *
   * @throws IllegalArgumentException for a proxy URL that cannot be used, naming its variable
   */
  public static Proxies fromEnvironment(Map<String, String> env) {
    ProxyUrl all = proxy(env, "all_proxy");
    ProxyUrl https = proxy(env, "https_proxy");
    ProxyUrl http = proxy(env, "http_proxy");
    return new Proxies(https != null ? https : all, http != null ? http : all, noProxy(env));
  }

  /**
   * {@code proxy} for every request, or none when it is null, whatever the environment's proxies;
   * its {@code no_proxy} still sends the hosts it names direct, as curl's {@code --proxy} does.
   */
  public static Proxies given(ProxyUrl proxy, Map<String, String> env) {
    return new Proxies(proxy, proxy, noProxy(env));
  }

  private static NoProxy noProxy(Map<String, String> env) {
    return NoProxy.parse(value(env, "no_proxy").map(Map.Entry::getValue).orElse(null));
  }

  /** The proxy a request to {@code uri} goes through; empty to go direct. */
  public Optional<ProxyUrl> route(URI uri) {
    ProxyUrl proxy = "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
    if (proxy == null || uri.getHost() == null) {
      return Optional.empty();
    }
    int port =
        uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    return noProxy.bypasses(uri.getHost(), port) ? Optional.empty() : Optional.of(proxy);
  }

  /** A line for {@code -v}: which way requests to {@code uri} go, the password masked. */
  public String describeRoute(URI uri) {
    Optional<ProxyUrl> proxy = route(uri);
    if (proxy.isPresent()) {
      return uri + " through the proxy " + proxy.get().describe();
    }
    ProxyUrl unused = "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
    return uri + " directly" + (unused == null ? "" : " (NO_PROXY names it)");
  }

  private static ProxyUrl proxy(Map<String, String> env, String lowerName) {
    return value(env, lowerName).map(e -> ProxyUrl.parse(e.getValue(), e.getKey())).orElse(null);
  }

  /** The variable by its lower-case name, else its upper-case one, if set and not blank. */
  private static Optional<Map.Entry<String, String>> value(Map<String, String> env, String lower) {
    for (String name : new String[] {lower, lower.toUpperCase(java.util.Locale.ROOT)}) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return Optional.of(Map.entry(name, value));
      }
    }
    return Optional.empty();
  }
}
