package io.tfleet.lab;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Matches a request to its route, asks the {@link Guard} about the route's {@link Auth}, and
 * answers a path or method no route has as upstream does.
 */
final class Router {
  private static final System.Logger LOG = System.getLogger(Router.class.getName());

  /** A route's method that takes any method: for paths that answer other methods themselves. */
  static final String ANY = "*";

  /** What a route runs. */
  @FunctionalInterface
  interface Endpoint {
    Response handle(Request request) throws IOException;
  }

  /**
   * A route.
   *
   * @param template a path whose {@code {name}} segments are parameters, and a last {@code
   *     {name...}} the rest of the path
   * @param counted false for the lab's own pages (device logins): neither counted in {@link
   *     LabStats#requests()} nor failed by a fault plan
   */
  record Route(
      String method,
      String template,
      Auth auth,
      boolean counted,
      Endpoint endpoint,
      Pattern pattern) {
    Route {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(auth, "auth");
      Objects.requireNonNull(endpoint, "endpoint");
    }

    Route(String method, String template, Auth auth, boolean counted, Endpoint endpoint) {
      this(method, template, auth, counted, endpoint, compile(template));
    }

    /** The key of this route's requests, e.g. {@code "POST /v1/job"}. */
    String key() {
      return method + " " + template;
    }

    private static Pattern compile(String template) {
      return Pattern.compile(
          Pattern.quote(template)
              .replaceAll("\\{[a-z_]+\\.\\.\\.}", "\\\\E(.+)\\\\Q")
              .replaceAll("\\{[a-z_]+}", "\\\\E([^/]+)\\\\Q"));
    }
  }

  /**
   * A request and what answers it.
   *
   * @param key the route key requests are counted and faults planned by, e.g. {@code "GET
   *     /v1/result/{id}"} or {@code "GET (unknown)"}
   * @param counted whether the request is an API call to count and maybe fail
   * @param answer the answer when no endpoint runs (404, 405, a refusal); else null
   */
  record Match(String key, boolean counted, Route route, Request request, Response answer) {}

  private final List<Route> routes = new ArrayList<>();
  private final Guard guard;

  Router(Guard guard) {
    this.guard = guard;
  }

  /** Adds a route; the first route that matches a request takes it. */
  Router add(String method, String template, Auth auth, Endpoint endpoint) {
    return add(new Route(method, template, auth, /* counted= */ true, endpoint));
  }

  Router add(Route route) {
    routes.add(route);
    return this;
  }

  List<Route> routes() {
    return List.copyOf(routes);
  }

  /** Finds what answers the request, its token checked; runs no endpoint. */
  Match match(HttpExchange exchange) {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    Set<String> allowed = new LinkedHashSet<>();
    boolean open = false;
    for (Route route : routes) {
      Matcher m = route.pattern().matcher(path);
      if (!m.matches()) {
        continue;
      }
      open |= route.auth() == Auth.NONE || route.auth() == Auth.OPEN;
      if (!route.method().equals(method) && !route.method().equals(ANY)) {
        allowed.add(route.method());
        continue;
      }
      Guard.Refusal refusal = guard.check(route.auth(), authorization);
      if (refusal != null) {
        return new Match(route.key(), !refusal.atFrontDoor(), route, null, refusal.answer());
      }
      List<String> params = new ArrayList<>();
      for (int i = 1; i <= m.groupCount(); i++) {
        params.add(decodePath(m.group(i)));
      }
      Request request =
          new Request(exchange, params, Request.query(exchange.getRequestURI().getRawQuery()));
      return new Match(route.key(), route.counted(), route, request, /* answer= */ null);
    }
    String key = method + " (unknown)";
    Guard.Refusal refusal = guard.check(open ? Auth.NONE : Auth.LOGIN_WITH_OIDC, authorization);
    if (refusal != null) {
      return new Match(key, !refusal.atFrontDoor(), null, null, refusal.answer());
    }
    Response none;
    if (!allowed.isEmpty()) {
      none =
          Response.message(405, "Method Not Allowed")
              .withHeader("Allow", String.join(", ", allowed));
    } else {
      // Upstream's handler for unknown paths answers Werkzeug's text, not JSON.
      none =
          Response.text(
              404,
              "Not found: 404 Not Found: The requested URL was not found on the server. If you"
                  + " entered the URL manually please check your spelling and try again.\n");
    }
    return new Match(key, /* counted= */ true, null, null, none);
  }

  /** The answer to a match: its endpoint's, or 500 when the endpoint failed. */
  static Response answer(Match match) {
    if (match.answer() != null) {
      return match.answer();
    }
    try {
      return match.route().endpoint().handle(match.request());
    } catch (RuntimeException | IOException e) {
      LOG.log(System.Logger.Level.ERROR, "tfleet-lab: request failed", e);
      return Response.message(500, "Internal Server Error");
    }
  }

  private static String decodePath(String segment) {
    // In a path '+' is a plus sign, not a space.
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
