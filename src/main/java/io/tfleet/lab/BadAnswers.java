package io.tfleet.lab;

import java.util.Set;

/**
 * The answers of the faults that answer 200 with the wrong thing: a captive portal's page, JSON of
 * the wrong shape.
 */
final class BadAnswers {
  /** The routes whose answer is a JSON array; every other JSON answer is an object. */
  static final Set<String> ARRAY_ROUTES =
      Set.of(
          "GET /v1/job/search",
          "GET /v1/agents/data",
          "GET /v1/queues/{queue}/agents",
          "GET /v1/queues/{queue}/jobs");

  /** A sign-in page, as a captive portal or a VPN's login sends in place of the API's answer. */
  static final String SIGN_IN_PAGE =
      "<!DOCTYPE html>\n"
          + "<html lang=\"en\">\n"
          + "<head><meta charset=\"utf-8\"><title>Sign in to the network</title></head>\n"
          + "<body>\n"
          + "<h1>Sign in to continue</h1>\n"
          + "<p>This network requires you to sign in before you can reach other sites.</p>\n"
          + "<form method=\"post\" action=\"/login\">\n"
          + "<input name=\"user\"> <input name=\"password\" type=\"password\">\n"
          + "<button>Sign in</button>\n"
          + "</form>\n"
          + "<!-- fault injected by tfleet lab: html -->\n"
          + "</body>\n"
          + "</html>\n";

  /** The body of a {@code badjson} answer where an array is promised. */
  static final String UNEXPECTED_OBJECT =
      "{\"unexpected\": \"fault injected by tfleet lab: badjson\"}";

  private BadAnswers() {}

  static Response signInPage() {
    return Response.text(200, Response.TEXT, SIGN_IN_PAGE);
  }

  /** JSON that is well formed but not the shape the route promises. */
  static Response wrongShape(String route) {
    return Response.text(
        200, Response.JSON, ARRAY_ROUTES.contains(route) ? UNEXPECTED_OBJECT : "[]");
  }
}
