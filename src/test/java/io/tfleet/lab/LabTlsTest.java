package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lab serving a certificate and key of the user's own ({@code --tls-cert/--tls-key}), made by
 * openssl as a user makes them, and the PEM files it refuses, each with the line and the fix.
 */
class LabTlsTest {
  @TempDir static Path dir;
  private static Path cert;
  private static Path key;

  @BeforeAll
  static void makePair() throws Exception {
    cert = dir.resolve("cert.pem");
    key = dir.resolve("key.pem");
    openssl(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        key.toString(),
        "-out",
        cert.toString(),
        "-days",
        "2",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1");
  }

  private static void openssl(String... args) throws Exception {
    Path binary = Path.of("/usr/bin/openssl");
    assumeTrue(Files.isExecutable(binary), "openssl is not installed to make the test's key");
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("openssl finished").isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  @Test
  void aLabServesTheCertificateAndKeyGivenAsPem() throws Exception {
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    try (Lab lab = Lab.start(LabConfig.defaults(), LabTls.fromPem(cert, key))) {
      assertThat(lab.url().toString()).startsWith("https://127.0.0.1:");
      assertThat(lab.caFile()).as("the user's own certificate: no CA made").isEmpty();

      HttpResponse<String> agents =
          trusting(cert)
              .send(
                  HttpRequest.newBuilder(URI.create(lab.url() + "/v1/agents/data")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(agents.statusCode()).isEqualTo(200);
      assertThat(agents.body()).startsWith("[");
    }
  }

  @Test
  void aTraditionalKeyIsRefusedWithTheCommandThatConvertsIt() throws Exception {
    Path traditional = dir.resolve("ec-key.pem");
    openssl("ec", "-in", key.toString(), "-out", traditional.toString());
    assertThat(Files.readString(traditional)).startsWith("-----BEGIN EC PRIVATE KEY-----");

    assertThatThrownBy(() -> LabTls.fromPem(cert, traditional))
        .isInstanceOf(IOException.class)
        .hasMessage(
            traditional
                + ": line 1: a 'EC PRIVATE KEY' is not read; write it as an unencrypted PKCS#8"
                + " key (BEGIN PRIVATE KEY), as 'openssl pkcs8 -topk8 -nocrypt -in KEY -out"
                + " KEY.pkcs8' does");
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() throws Exception {
    Path other = dir.resolve("other-key.pem");
    openssl(
        "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "" + other);

    assertThatThrownBy(() -> LabTls.fromPem(cert, other))
        .isInstanceOf(IOException.class)
        .hasMessage(other + ": this key does not belong to the certificate in " + cert);
  }

  @Test
  void filesWithoutTheirBlocksAreNamed() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
    assertThatThrownBy(() -> LabTls.fromPem(empty, key))
        .hasMessage(empty + ": no certificate in it (no -----BEGIN CERTIFICATE----- block)");
    assertThatThrownBy(() -> LabTls.fromPem(cert, cert))
        .hasMessage(cert + ": no private key in it (no -----BEGIN PRIVATE KEY----- block)");
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> LabTls.fromPem(missing, key)).hasMessage(missing + ": no such file");
  }

  private static HttpClient trusting(Path pem) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      store.setCertificateEntry(
          "given", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(context).build();
  }
}
