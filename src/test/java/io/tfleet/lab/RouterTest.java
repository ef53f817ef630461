package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The router alone, on requests that never leave the JVM; endpoints are covered by the lab's tests.
 */
class RouterTest {
  private static final String CREDENTIALS =
      "Basic " + Base64.getEncoder().encodeToString("ci:s3cret".getBytes(StandardCharsets.UTF_8));

  private final Tokens anonymousTokens = tokens(Map.of());
  private final Tokens credentialTokens = tokens(Map.of("ci", "s3cret"));

  private static Tokens tokens(Map<String, String> clients) {
    return new Tokens(clients, Duration.ofMinutes(10), Clock.systemUTC(), new ObjectMapper());
  }

  /** A router like the lab's, whose endpoints answer which route ran with which parameters. */
  private static Router router(Tokens tokens, boolean oidc) {
    Router router = new Router(new Guard(tokens, oidc));
    for (String[] route :
        new String[][] {
          {"GET", "/v1/", "OPEN"},
          {"POST", "/v1/job", "REQUIRED_WITH_CREDENTIALS"},
          {"GET", "/v1/job/search", "TOKEN_IF_PRESENTED"},
          {"GET", "/v1/job/{id}", "TOKEN_IF_PRESENTED"},
          {"GET", "/v1/result/{id}/log/{type}", "TOKEN_IF_PRESENTED"},
          {"POST", "/v1/oauth2/token", "NONE"},
          {"POST", "/poll/{request_id...}", "NONE"},
        }) {
      String name = route[0] + " " + route[1];
      router.add(
          route[0],
          route[1],
          Auth.valueOf(route[2]),
          r -> Response.text(200, name + " " + r.params()));
    }
    return router;
  }

  private static Router.Match match(
      Router router, String method, String path, String authorization) {
    return router.match(new FakeExchange(method, path, authorization));
  }

  private static String body(Router.Match match) {
    return new String(Router.answer(match).body(), StandardCharsets.UTF_8);
  }

  @Test
  void firstMatchingRouteRunsWithDecodedParameters() {
    Router router = router(anonymousTokens, /* oidc= */ false);

    Router.Match search = match(router, "GET", "/v1/job/search", null);
    Router.Match job = match(router, "GET", "/v1/job/a%20b+c", null);
    Router.Match log = match(router, "GET", "/v1/result/42/log/output?start_fragment=3", null);

    assertThat(search.key()).isEqualTo("GET /v1/job/search");
    assertThat(body(search)).isEqualTo("GET /v1/job/search []");
    assertThat(job.key()).isEqualTo("GET /v1/job/{id}");
    assertThat(body(job)).isEqualTo("GET /v1/job/{id} [a b+c]");
    assertThat(body(log)).isEqualTo("GET /v1/result/{id}/log/{type} [42, output]");
    assertThat(log.request().first("start_fragment")).isEqualTo("3");
  }

  @Test
  void aParameterTakesOneSegmentAndATailParameterTheRest() {
    Router router = router(anonymousTokens, /* oidc= */ false);

    assertThat(body(match(router, "POST", "/poll/a/b", null)))
        .isEqualTo("POST /poll/{request_id...} [a/b]");
    assertThat(Router.answer(match(router, "GET", "/v1/job/a/b", null)).status()).isEqualTo(404);
    assertThat(Router.answer(match(router, "POST", "/poll/", null)).status()).isEqualTo(404);
  }

  @Test
  void unknownPathAnswersWerkzeugsTextAndCountsAsUnknown() {
    Router.Match match = match(router(anonymousTokens, false), "DELETE", "/v2/nothing", null);
    Response answer = Router.answer(match);

    assertThat(match.key()).isEqualTo("DELETE (unknown)");
    assertThat(match.counted()).isTrue();
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(new String(answer.body(), StandardCharsets.UTF_8))
        .startsWith("Not found: 404 Not Found:");
  }

  @Test
  void knownPathWithAnotherMethodAnswers405NamingTheAllowedOne() {
    Response answer = Router.answer(match(router(anonymousTokens, false), "GET", "/v1/job", null));

    assertThat(answer.status()).isEqualTo(405);
    assertThat(answer.contentType()).isEqualTo("application/json");
    assertThat(answer.headers()).containsEntry("Allow", "POST");
    assertThat(new String(answer.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"detail\":{},\"message\":\"Method Not Allowed\"}");
  }

  @Test
  void anonymousLabChecksOnlyATokenPresentedToACallThatChangesJobs() {
    Router router = router(anonymousTokens, /* oidc= */ false);

    assertThat(Router.answer(match(router, "POST", "/v1/job", null)).status()).isEqualTo(200);
    assertThat(Router.answer(match(router, "GET", "/v1/job/x", "Bearer junk")).status())
        .isEqualTo(200);
    Router.Match refused = match(router, "POST", "/v1/job", "Bearer junk");
    assertThat(refused.counted()).isTrue();
    assertThat(body(refused)).contains("Unable to decode token");
    assertThat(refused.answer().status()).isEqualTo(403);
  }

  @Test
  void labWithCredentialsWantsATokenToChangeJobsAndChecksAnyPresented() {
    Router router = router(credentialTokens, /* oidc= */ false);
    String valid = "Bearer " + credentialTokens.issue(CREDENTIALS).accessToken();

    Router.Match missing = match(router, "POST", "/v1/job", null);
    assertThat(missing.answer().status()).isEqualTo(401);
    assertThat(body(missing)).contains("\"Authentication required\"");
    assertThat(Router.answer(match(router, "POST", "/v1/job", valid)).status()).isEqualTo(200);
    assertThat(Router.answer(match(router, "GET", "/v1/job/x", null)).status()).isEqualTo(200);
    assertThat(Router.answer(match(router, "GET", "/v1/job/x", "Bearer junk")).status())
        .isEqualTo(403);
    assertThat(Router.answer(match(router, "GET", "/v1/", "Bearer junk")).status()).isEqualTo(403);
    // Token calls carry Basic credentials; a 404 or 405 is answered whatever the token.
    assertThat(Router.answer(match(router, "POST", "/v1/oauth2/token", "Bearer junk")).status())
        .isEqualTo(200);
    assertThat(Router.answer(match(router, "GET", "/nothing", "Bearer junk")).status())
        .isEqualTo(404);
    assertThat(Router.answer(match(router, "GET", "/v1/job", "Bearer junk")).status())
        .isEqualTo(405);
  }

  @Test
  void labWithOidcRefusesAtTheFrontDoorBeforeRoutingOrCounting() {
    Router router = router(anonymousTokens, /* oidc= */ true);
    String valid = "Bearer " + anonymousTokens.issueForUser("someone@example.com").accessToken();

    for (String[] call :
        new String[][] {{"GET", "/v1/job/x"}, {"GET", "/nothing"}, {"GET", "/v1/job"}}) {
      Router.Match refused = match(router, call[0], call[1], null);
      assertThat(refused.counted()).as(call[1]).isFalse();
      assertThat(refused.answer().status()).as(call[1]).isEqualTo(401);
      assertThat(body(refused)).contains("Authentication is required for specified endpoint");
    }
    assertThat(match(router, "GET", "/v1/job/x", "Bearer junk").answer().status()).isEqualTo(403);
    assertThat(Router.answer(match(router, "GET", "/v1/job/x", valid)).status()).isEqualTo(200);
    assertThat(Router.answer(match(router, "GET", "/nothing", valid)).status()).isEqualTo(404);
    // The home page and the token calls stay open, a wrong method on them included.
    assertThat(Router.answer(match(router, "GET", "/v1/", null)).status()).isEqualTo(200);
    assertThat(Router.answer(match(router, "POST", "/v1/oauth2/token", null)).status())
        .isEqualTo(200);
    assertThat(Router.answer(match(router, "GET", "/v1/oauth2/token", null)).status())
        .isEqualTo(405);
  }

  /** Just enough of an exchange for the router: a method, a URI and an Authorization header. */
  private static final class FakeExchange extends HttpExchange {
    private final String method;
    private final URI uri;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();

    FakeExchange(String method, String pathAndQuery, String authorization) {
      this.method = method;
      this.uri = URI.create("http://127.0.0.1" + pathAndQuery);
      if (authorization != null) {
        requestHeaders.add("Authorization", authorization);
      }
    }

    @Override
    public Headers getRequestHeaders() {
      return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
      return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
      return uri;
    }

    @Override
    public String getRequestMethod() {
      return method;
    }

    @Override
    public HttpContext getHttpContext() {
      return null;
    }

    @Override
    public void close() {}

    @Override
    public InputStream getRequestBody() {
      return new ByteArrayInputStream(new byte[0]);
    }

    @Override
    public OutputStream getResponseBody() {
      return new ByteArrayOutputStream();
    }

    @Override
    public void sendResponseHeaders(int code, long length) {
      throw new UnsupportedOperationException("the router only matches; it sends nothing");
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
      return null;
    }

    @Override
    public int getResponseCode() {
      return -1;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
      return null;
    }

    @Override
    public String getProtocol() {
      return "HTTP/1.1";
    }

    @Override
    public Object getAttribute(String name) {
      return null;
    }

    @Override
    public void setAttribute(String name, Object value) {}

    @Override
    public void setStreams(InputStream in, OutputStream out) {}

    @Override
    public HttpPrincipal getPrincipal() {
      return null;
    }
  }
}
