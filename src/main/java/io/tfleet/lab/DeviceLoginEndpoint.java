package io.tfleet.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The device login of a lab with OIDC on: {@code /oidc/auth-init}, {@code /oidc/auth-poll/<id>},
 * and the stand-in identity provider's page at {@code /device}.
 */
final class DeviceLoginEndpoint {
  private final DeviceLogins logins;

  DeviceLoginEndpoint(DeviceLogins logins) {
    this.logins = logins;
  }

  Response init(Request r) {
    return answer(logins.init("http://" + r.header("Host")));
  }

  Response poll(Request r) {
    return answer(logins.poll(r.param(0)));
  }

  /** Any other method on the login calls: upstream's JSON, without an Allow header. */
  Response loginMethodNotAllowed(Request r) {
    return Response.message(405, "Method Not Allowed");
  }

  /** GET shows the form, POST approves or denies. */
  Response page(Request r) throws IOException {
    switch (r.exchange().getRequestMethod()) {
      case "GET":
        return Response.text(200, DeviceLogins.page(last(r.query(), "user_code"), null));
      case "POST":
        break;
      default:
        return Response.text(405, "text/plain; charset=utf-8", "Method Not Allowed");
    }
    Map<String, List<String>> fields =
        Request.query(new String(r.body().readNBytes(64 * 1024), StandardCharsets.UTF_8));
    String code = last(fields, "user_code");
    code = code == null ? "" : code;
    boolean deny = "deny".equals(last(fields, "action"));
    boolean done = deny ? logins.deny(code) : logins.approve(code, last(fields, "email"));
    String said =
        !done
            ? "No login waits for the code " + code + "."
            : deny ? "Denied." : "Approved: go back to the terminal.";
    return Response.text(done ? 200 : 404, DeviceLogins.page(code, said));
  }

  /** A form field's value; the last one wins, as a browser's form sends each once anyway. */
  private static String last(Map<String, List<String>> fields, String name) {
    List<String> values = fields.get(name);
    return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
  }

  private static Response answer(DeviceLogins.Answer answer) {
    Response r = Response.json(answer.status(), answer.body());
    for (Map.Entry<String, String> header : answer.headers().entrySet()) {
      r = r.withHeader(header.getKey(), header.getValue());
    }
    return r;
  }
}
