package io.tfleet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tfleet.lab.LabCertificates;
import io.tfleet.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaBundleTest {
  @TempDir static Path dir;
  private static String ca;
  private static String caName;

  @BeforeAll
  static void makeCa() throws Exception {
    LabCertificates made = TestCertificates.ca();
    ca = Files.readString(made.caFile());
    caName = made.caName();
  }

  @Test
  void readsEveryCertificateAndSkipsTheTextAroundThem() throws Exception {
    Path bundle =
        Files.writeString(
            dir.resolve("bundle.pem"),
            "# Issuer: the first\n" + ca + "\n# Label: \"again\"\nnot a block\n" + ca);
    List<X509Certificate> read = CaBundle.read(bundle, "REQUESTS_CA_BUNDLE");
    assertThat(read).hasSize(2);
    assertThat(read.get(0).getSubjectX500Principal().getName()).contains(caName);
  }

  @Test
  void aBrokenCertificateIsNamedByFileAndLine() throws Exception {
    Path bundle =
        Files.writeString(
            dir.resolve("broken.pem"),
            ca + "\n-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n");
    int line = (int) ca.lines().count() + 2;
    assertThatThrownBy(() -> CaBundle.read(bundle, "--ca-cert"))
        .hasMessage("--ca-cert " + bundle + ": line " + line + ": the certificate is not base64");
  }

  @Test
  void aCertificateWithoutItsEndIsNamedByTheLineItBegins() throws Exception {
    Path bundle =
        Files.writeString(dir.resolve("cut.pem"), "\n\n" + ca.substring(0, ca.length() / 2));
    assertThatThrownBy(() -> CaBundle.read(bundle, "SSL_CERT_FILE"))
        .hasMessage(
            "SSL_CERT_FILE "
                + bundle
                + ": line 3: the certificate has no -----END CERTIFICATE-----");
  }

  @Test
  void base64ThatIsNoCertificateIsRefused() throws Exception {
    Path bundle =
        Files.writeString(
            dir.resolve("junk.pem"),
            "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> CaBundle.read(bundle, "--ca-cert"))
        .hasMessage("--ca-cert " + bundle + ": line 1: not a readable X.509 certificate");
  }

  @Test
  void aFileWithoutCertificatesOrNoFileAtAllIsRefused() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "# nothing here\n");
    assertThatThrownBy(() -> CaBundle.read(empty, "--ca-cert"))
        .hasMessage(
            "--ca-cert " + empty + ": no certificate in it (no -----BEGIN CERTIFICATE----- line)");
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> CaBundle.read(missing, "REQUESTS_CA_BUNDLE"))
        .hasMessage("REQUESTS_CA_BUNDLE " + missing + ": no such file");
  }
}
