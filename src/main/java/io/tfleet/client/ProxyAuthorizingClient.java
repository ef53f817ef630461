package io.tfleet.client;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A JDK HTTP client that sends the Basic credentials of the proxy a request goes through with the
 * request itself, as {@code requests} and curl send the {@code user:password@} of a proxy URL.
 *
 * <p>Not an {@link Authenticator}: a client with one turns every 401 of the server that lacks a
 * {@code WWW-Authenticate} header (the Testflinger server's answer to an expired token) into an
 * exception, and tfleet reads those 401s to renew its token. The JDK copies the header to the
 * proxy's CONNECT request and never sends {@code Proxy-*} headers to the server itself.
 */
final class ProxyAuthorizingClient extends HttpClient {
  private static final String HEADER = "Proxy-Authorization";

  private final HttpClient delegate;
  private final Proxies proxies;

  ProxyAuthorizingClient(HttpClient delegate, Proxies proxies) {
    this.delegate = delegate;
    this.proxies = proxies;
  }

  /** {@code request} with the credentials of the proxy it goes through, if that proxy has any. */
  HttpRequest authorized(HttpRequest request) {
    Optional<ProxyUrl> proxy = proxies.route(request.uri());
    if (proxy.isEmpty() || !proxy.get().hasCredentials()) {
      return request;
    }
    String pair = proxy.get().user() + ":" + proxy.get().password();
    return HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase(HEADER))
        .header(
            HEADER,
            "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    return delegate.send(authorized(request), handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return delegate.sendAsync(authorized(request), handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> pushes) {
    return delegate.sendAsync(authorized(request), handler, pushes);
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }
}
