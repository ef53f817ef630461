package io.tfleet.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The serial log call against a server that answers as told, and what the client asked. */
class SerialLogTest {
  private static final String JOB = "00000000-0000-4000-8000-000000000001";

  private final List<String> asked = new ArrayList<>();
  private HttpServer server;

  private TestflingerClient serving(int status, String body) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    return new TestflingerClient(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort()), Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void phasesThatLoggedSomethingComeBackByName() throws Exception {
    TestflingerClient client =
        serving(
            200,
            "{\"serial\": {"
                + "\"provision\": {\"last_fragment_number\": 1, \"log_data\": \"U-Boot 2024.01\\nStarting kernel\\n\"},"
                + "\"test\": {\"last_fragment_number\": -1, \"log_data\": \"\"}}}");

    assertThat(client.serialLog(JOB))
        .isEqualTo(Map.of("provision", "U-Boot 2024.01\nStarting kernel\n"));
    assertThat(asked).containsExactly("GET /v1/result/" + JOB + "/log/serial");
  }

  @Test
  void aServerWithoutSerialLogsMeansNone() throws Exception {
    assertThat(serving(404, "{\"message\": \"Not Found\"}").serialLog(JOB)).isEmpty();
  }

  @Test
  void anUnknownJobHasNone() throws Exception {
    assertThat(serving(204, "").serialLog(JOB)).isEmpty();
  }
}
