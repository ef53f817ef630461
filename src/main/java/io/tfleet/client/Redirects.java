package io.tfleet.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Which of the server's redirects are followed. A GET is: it changes nothing, so sending it again
 * to the new address is safe; the person is told once to use the new address directly. Any other
 * request is not sent again to another address (the JDK's own policy would re-send a POST), nor is
 * an https request sent on over plain http.
 */
final class Redirects {
  /** A redirect loop ends here; a moved server redirects once, twice through a load balancer. */
  static final int MAX_FOLLOWED = 5;

  private final Consumer<String> notices;
  private final AtomicBoolean told = new AtomicBoolean();

  Redirects(Consumer<String> notices) {
    this.notices = notices;
  }

  /** Sends a request on, the way the client sends the first. */
  @FunctionalInterface
  interface Sender<T> {
    HttpResponse<T> send(HttpRequest request) throws IOException, InterruptedException;
  }

  /**
   * The answer to {@code request} (to {@code what}, of the API at {@code server}) once the
   * redirects that may be followed are; a redirect that may not is an {@link ApiException} saying
   * what to use instead.
   */
  <T> HttpResponse<T> follow(
      URI server, HttpRequest request, HttpResponse<T> response, String what, Sender<T> send)
      throws IOException, ApiException, InterruptedException {
    HttpRequest current = request;
    for (int followed = 0; isRedirect(response.statusCode()); followed++) {
      Optional<String> location = response.headers().firstValue("Location");
      if (location.isEmpty()) {
        return response;
      }
      URI target;
      try {
        target = current.uri().resolve(location.get().strip());
      } catch (IllegalArgumentException e) {
        throw new ApiException(
            response.statusCode(),
            "cannot " + what + ": the server redirects to '" + location.get() + "', not a URL");
      }
      int status = response.statusCode();
      String instead = suggestedServer(request.uri(), server, target);
      if (!current.method().equals("GET")) {
        throw new ApiException(
            status,
            "cannot "
                + what
                + ": the server redirects this "
                + current.method()
                + " to "
                + target
                + ", and tfleet does not send it again to another address: use --server "
                + instead
                + " directly");
      }
      if ("https".equalsIgnoreCase(current.uri().getScheme())
          && !"https".equalsIgnoreCase(target.getScheme())) {
        throw new ApiException(
            status,
            "cannot " + what + ": the server redirects from https to " + target + ", not followed");
      }
      if (followed == MAX_FOLLOWED) {
        throw new ApiException(
            status,
            "cannot " + what + ": more than " + MAX_FOLLOWED + " redirects, the last to " + target);
      }
      if (told.compareAndSet(false, true)) {
        notices.accept(
            "the server "
                + server
                + " redirects to "
                + instead
                + ": use --server "
                + instead
                + " directly");
      }
      // A token goes on to the same host only, as browsers and curl do.
      boolean sameHost = sameHost(current.uri(), target);
      HttpRequest next =
          HttpRequest.newBuilder(
                  current, (name, value) -> sameHost || !name.equalsIgnoreCase("Authorization"))
              .uri(target)
              .build();
      response = send.send(next);
      current = next;
    }
    return response;
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static boolean sameHost(URI a, URI b) {
    return a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost());
  }

  /**
   * The server URL the redirect points to: the target without the request's own path, when the
   * whole API moved (the common case: http to https), else the target itself.
   */
  static String suggestedServer(URI requested, URI server, URI target) {
    String base = server.getRawPath() == null ? "" : server.getRawPath();
    String own = requested.getRawPath() == null ? "" : requested.getRawPath();
    String call = own.startsWith(base) ? own.substring(base.length()) : own;
    String path = target.getRawPath() == null ? "" : target.getRawPath();
    String authority =
        target.getScheme().toLowerCase(Locale.ROOT) + "://" + target.getRawAuthority();
    if (!call.isEmpty() && path.endsWith(call)) {
      return authority + path.substring(0, path.length() - call.length());
    }
    return authority + path;
  }
}
