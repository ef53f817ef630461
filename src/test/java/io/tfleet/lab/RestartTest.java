package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** After the n-th request the lab drops every connection once and serves on with its jobs. */
class RestartTest {
  private static Lab start(long restartAfter) throws IOException {
    // No machine serves "nobody", so submitted jobs stay put for the test to find.
    return Lab.start(
        LabConfig.defaults()
            .withSimulate(true)
            .withQueues(Set.of("q"))
            .withRestartAfter(restartAfter));
  }

  private static void awaitRestart(Lab lab) {
    Await.until("the lab restarted", Duration.ofSeconds(10), () -> lab.stats().restarts() == 1);
  }

  @Test
  void keepAliveClientReconnectsAfterTheRestartAndFindsItsJob() throws Exception {
    try (Lab lab = start(3)) {
      URI before = lab.url();
      LabHttp http = new LabHttp(lab);
      String id = UUID.randomUUID().toString();
      http.submit(LabHttp.job("nobody", null).put("job_id", id));
      assertThat(http.get("/v1/job/" + id).statusCode()).isEqualTo(200);
      assertThat(http.get("/v1/result/" + id).statusCode()).isEqualTo(200);

      awaitRestart(lab);

      assertThat(http.get("/v1/job/" + id).statusCode()).isEqualTo(200);
      assertThat(http.state(id)).isEqualTo("waiting");
      String second = http.submit(LabHttp.job("nobody", null));
      assertThat(http.get("/v1/job/" + second).statusCode()).isEqualTo(200);
      assertThat(lab.url()).isEqualTo(before);
      assertThat(lab.stats().jobsCreated()).isEqualTo(2);
      assertThat(lab.stats().requestCount("GET /v1/job/{id}")).isEqualTo(3);
      assertThat(lab.stats().restarts()).isEqualTo(1);
    }
  }

  @Test
  void restartClosesEveryOpenConnectionOnceAndServesOnTheSamePort() throws Exception {
    try (Lab lab = start(3);
        Socket idle = connect(lab);
        Socket busy = connect(lab)) {
      assertThat(exchange(idle)).startsWith("HTTP/1.1 200");
      assertThat(exchange(busy)).startsWith("HTTP/1.1 200");
      // The third request is answered in full; the restart comes after it.
      assertThat(exchange(busy)).startsWith("HTTP/1.1 200");

      assertClosedByServer(idle);
      assertClosedByServer(busy);
      awaitRestart(lab);

      try (Socket fresh = connect(lab)) {
        for (int i = 0; i < 5; i++) {
          assertThat(exchange(fresh)).startsWith("HTTP/1.1 200");
        }
      }
      assertThat(lab.stats().restarts()).isEqualTo(1);
      assertThat(lab.stats().requestCount("GET /v1/")).isEqualTo(8);
    }
  }

  @Test
  void withoutRestartAfterConnectionsStayOpen() throws Exception {
    try (Lab lab = start(0);
        Socket socket = connect(lab)) {
      for (int i = 0; i < 20; i++) {
        assertThat(exchange(socket)).startsWith("HTTP/1.1 200");
      }
      assertThat(lab.stats().restarts()).isZero();
    }
  }

  private static Socket connect(Lab lab) throws IOException {
    Socket socket = new Socket(lab.url().getHost(), lab.url().getPort());
    // Only a guard against a hang: every read here expects an answer or a close at once.
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** Sends GET /v1/ on a keep-alive connection and returns the status line and headers. */
  private static String exchange(Socket socket) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write("GET /v1/ HTTP/1.1\r\nHost: lab\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after " + head);
      }
      head.write(b);
    }
    String headers = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(length);
    return headers;
  }

  private static void assertClosedByServer(Socket socket) throws IOException {
    try {
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    } catch (SocketException reset) {
      // A reset is a close too.
    }
  }
}
