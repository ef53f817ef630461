package io.tfleet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tfleet.lab.Lab;
import io.tfleet.lab.LabCertificates;
import io.tfleet.lab.LabConfig;
import io.tfleet.lab.LabTls;
import io.tfleet.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against labs speaking TLS with certificates that are right, untrusted, for another
 * name or expired: each refusal is one line naming what is wrong and what fixes it.
 */
class TlsTest {
  /** What a message must never show: the names of Java's classes. */
  static final String JAVA_NAMES = "[A-Za-z]+(Exception|Error)\\b|\\bjava\\.|\\bjavax\\.|\\bsun\\.";

  @TempDir static Path dir;
  private static LabCertificates ca;
  private static Lab good;
  private static Lab otherName;
  private static Lab expired;

  @BeforeAll
  static void labs() throws IOException {
    ca = TestCertificates.ca();
    good = Lab.start(LabConfig.defaults(), TestCertificates.loopback());
    otherName = Lab.start(LabConfig.defaults(), ca.issue(List.of("elsewhere.test", "10.9.8.7")));
    expired =
        Lab.start(
            LabConfig.defaults(),
            ca.issue(LabCertificates.LOOPBACK_NAMES, Duration.ofDays(-10), Duration.ofDays(1)));
  }

  @AfterAll
  static void stop() {
    for (Lab lab : new Lab[] {good, otherName, expired}) {
      if (lab != null) {
        lab.close();
      }
    }
  }

  private static TestflingerClient client(URI server, NetworkSettings network) {
    return new TestflingerClient(
        server, Duration.ofSeconds(20), TokenSource.NONE, line -> {}, network, line -> {});
  }

  private static NetworkSettings trusting(Path bundle) {
    return new NetworkSettings(bundle, "--ca-cert", Proxies.DIRECT);
  }

  @Test
  void aServerWhoseCaIsGivenIsTrusted() throws Exception {
    assertThat(good.url().getScheme()).isEqualTo("https");
    assertThat(client(good.url(), trusting(ca.caFile())).allAgents()).isEmpty();
  }

  @Test
  void theCaFileTheLabMadeIsTrustedToo() throws Exception {
    try (Lab lab = Lab.start(LabConfig.defaults(), LabTls.madeAtStart())) {
      Path made = lab.caFile().orElseThrow();
      assertThat(Files.readString(made)).startsWith("-----BEGIN CERTIFICATE-----\n");
      assertThat(client(lab.url(), trusting(made)).allAgents()).isEmpty();
      // Its name is one of the certificate's: localhost answers as well as 127.0.0.1.
      URI byName = URI.create("https://localhost:" + lab.url().getPort());
      assertThat(client(byName, trusting(made)).allAgents()).isEmpty();
    }
  }

  @Test
  void anUntrustedCertificateNamesItsIssuerAndTheOptionThatFixesIt() {
    assertThatThrownBy(() -> client(good.url(), NetworkSettings.DIRECT).allAgents())
        .isInstanceOf(ServerUnreachableException.class)
        .hasMessageStartingWith("cannot reach " + good.url() + ": its certificate is not trusted")
        .hasMessageContaining("issued by CN=" + ca.caName())
        .hasMessageContaining("--ca-cert")
        .hasMessageContaining("REQUESTS_CA_BUNDLE")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContainPattern(JAVA_NAMES));
  }

  @Test
  void anUntrustedCertificateSaysWhichBundleWasLookedInAsWell() throws Exception {
    LabCertificates another = LabCertificates.create(dir.resolve("another"));
    assertThatThrownBy(() -> client(good.url(), trusting(another.caFile())).allAgents())
        .isInstanceOf(ServerUnreachableException.class)
        .hasMessageContaining("nor in --ca-cert " + another.caFile());
  }

  @Test
  void aCertificateForAnotherNameSaysWhichNamesItHas() {
    assertThatThrownBy(() -> client(otherName.url(), trusting(ca.caFile())).allAgents())
        .isInstanceOf(ServerUnreachableException.class)
        .hasMessage(
            "cannot reach "
                + otherName.url()
                + ": its certificate is for elsewhere.test, 10.9.8.7, not for 127.0.0.1 (a host"
                + " name mismatch): use a name the certificate has in the server URL");
  }

  @Test
  void anExpiredCertificateSaysWhen() {
    assertThatThrownBy(() -> client(expired.url(), trusting(ca.caFile())).allAgents())
        .isInstanceOf(ServerUnreachableException.class)
        .hasMessageMatching(
            "cannot reach "
                + expired.url()
                + ": its certificate expired on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC");
  }

  @Test
  void httpsToAServerOfPlainHttpSaysItDoesNotSpeakTls() throws Exception {
    // As a web server answers a TLS greeting on its plain port: 400, in plain HTTP.
    try (Answering server =
        new Answering("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")) {
      URI https = URI.create("https://127.0.0.1:" + server.port());
      assertThatThrownBy(() -> client(https, NetworkSettings.DIRECT).allAgents())
          .isInstanceOf(ServerUnreachableException.class)
          .hasMessage(
              "cannot reach "
                  + https
                  + ": it does not speak TLS on port "
                  + server.port()
                  + " (an http:// server? then use http://127.0.0.1:"
                  + server.port()
                  + ")");
    }
  }

  @Test
  void aBundleThatCannotBeReadStopsTheFirstCallAtOnce() throws Exception {
    Path broken =
        Files.writeString(
            dir.resolve("broken.pem"),
            "-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> client(good.url(), trusting(broken)).allAgents())
        .isInstanceOf(ServerUnreachableException.class)
        .hasMessage(
            "cannot set up TLS: --ca-cert " + broken + ": line 1: the certificate is not base64");
  }

  @Test
  void aConnectionTheServerClosesIsSaidSoNotInJavasWords() throws Exception {
    // The JDK sends a GET again once on a new connection: every connection is closed unanswered.
    try (Answering server = new Answering("")) {
      URI url = URI.create("http://127.0.0.1:" + server.port());
      assertThatThrownBy(() -> client(url, NetworkSettings.DIRECT).allAgents())
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(ServerUnreachableException.class)
          .hasMessage(
              "cannot list the agents: the server closed the connection before it answered");
      assertThat(server.accepted()).isGreaterThanOrEqualTo(1);
    }
  }

  /** A server on loopback that reads what each connection sends, answers {@code answer}, closes. */
  static final class Answering implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread thread;
    private final java.util.concurrent.atomic.AtomicInteger accepted =
        new java.util.concurrent.atomic.AtomicInteger();

    Answering(String answer) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      thread =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try (Socket s = socket.accept()) {
                    accepted.incrementAndGet();
                    InputStream in = s.getInputStream();
                    in.read(new byte[16384]);
                    s.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                  } catch (IOException e) {
                    // closed by close(), or the client went first: either way, the next one
                  }
                }
              },
              "answering-server");
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    int accepted() {
      return accepted.get();
    }

    @Override
    public void close() throws Exception {
      socket.close();
      thread.join(10_000);
    }
  }
}
