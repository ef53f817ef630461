package io.tfleet.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the JDK HTTP clients tfleet talks through, one per {@link NetworkSettings}: Java's trusted
 * authorities plus the settings' own, the settings' proxies with their Basic credentials ({@link
 * ProxyAuthorizingClient}), and no redirect followed on its own ({@link Redirects} decides).
 */
final class HttpClients {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * The JDK leaves Basic credentials out of a proxy's CONNECT request unless this property says
   * otherwise, and reads it once, when its HTTP classes load. A user who put {@code user:password@}
   * in {@code HTTPS_PROXY} wants them sent, as curl and {@code requests} send them; a value set for
   * the JVM is kept.
   */
  private static final String TUNNELING_DISABLED_SCHEMES =
      "jdk.http.auth.tunneling.disabledSchemes";

  /** Tests make a few settings; a process uses one. */
  private static final int KEPT = 4;

  static {
    if (System.getProperty(TUNNELING_DISABLED_SCHEMES) == null) {
      System.setProperty(TUNNELING_DISABLED_SCHEMES, "");
    }
  }

  private static final Map<NetworkSettings, CompletableFuture<HttpClient>> CLIENTS =
      new LinkedHashMap<>(8, 0.75f, /* accessOrder= */ true) {
        @Override
        protected boolean removeEldestEntry(
            Map.Entry<NetworkSettings, CompletableFuture<HttpClient>> eldest) {
          return size() > KEPT;
        }
      };

  private HttpClients() {}

  /**
   * The client for {@code settings}, built on a thread of its own the first time: about a quarter
   * of a second on a cold JVM (most of it setting up TLS), which the caller spends reading its
   * files instead. Clients with equal settings share it, and its connections.
   */
  static synchronized CompletableFuture<HttpClient> prepare(NetworkSettings settings) {
    return CLIENTS.computeIfAbsent(
        settings,
        s ->
            CompletableFuture.supplyAsync(
                () -> build(s),
                task -> {
                  Thread setup = new Thread(task, "tfleet-http-setup");
                  setup.setDaemon(true);
                  setup.start();
                }));
  }

  private static HttpClient build(NetworkSettings settings) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            // HTTP/1.1 keep-alive: the lab and proxies in front of lab servers speak it; h2c
            // upgrade attempts only add a round of negotiation per connection.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(sslContext(settings))
            .proxy(new Selector(settings.proxies()));
    HttpClient client = builder.build();
    return hasCredentials(settings.proxies().https()) || hasCredentials(settings.proxies().http())
        ? new ProxyAuthorizingClient(client, settings.proxies())
        : client;
  }

  private static boolean hasCredentials(ProxyUrl proxy) {
    return proxy != null && proxy.hasCredentials();
  }

  /** TLS trusting Java's authorities and the settings' bundle, its refusals explained. */
  private static SSLContext sslContext(NetworkSettings settings) {
    List<X509Certificate> extra;
    try {
      extra =
          settings.caBundle() == null
              ? List.of()
              : CaBundle.read(settings.caBundle(), settings.caSource());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      TrustManagerFactory java =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      java.init((KeyStore) null);
      TrustManagerFactory chosen = java;
      if (!extra.isEmpty()) {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int n = 0;
        for (X509Certificate anchor : trustManager(java).getAcceptedIssuers()) {
          store.setCertificateEntry("java-" + n++, anchor);
        }
        for (X509Certificate anchor : extra) {
          store.setCertificateEntry("given-" + n++, anchor);
        }
        chosen = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        chosen.init(store);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          null, new TrustManager[] {new ExplainingTrustManager(trustManager(chosen))}, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static X509ExtendedTrustManager trustManager(TrustManagerFactory factory) {
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager x509) {
        return x509;
      }
    }
    throw new IllegalStateException("Java's TLS has no X.509 trust manager");
  }

  /** Routes each request as {@link Proxies#route} says. */
  private static final class Selector extends ProxySelector {
    private final Proxies proxies;

    Selector(Proxies proxies) {
      this.proxies = proxies;
    }

    @Override
    public List<Proxy> select(URI uri) {
      return proxies
          .route(uri)
          .map(p -> List.of(new Proxy(Proxy.Type.HTTP, p.address())))
          .orElse(List.of(Proxy.NO_PROXY));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException e) {
      // One proxy per scheme, nothing to fall back to: the request's own failure says it.
    }
  }
}
