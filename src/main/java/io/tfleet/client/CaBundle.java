package io.tfleet.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads a CA bundle: PEM certificates one after another ({@code -----BEGIN CERTIFICATE-----}), as
 * {@code REQUESTS_CA_BUNDLE} and {@code SSL_CERT_FILE} name them. Text between the blocks (the
 * comments of certifi's bundle) and blocks of other kinds are skipped.
 */
public final class CaBundle {
  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
  private static final String END = "-----END CERTIFICATE-----";

  private CaBundle() {}

  /**
   * The certificates in {@code file}; {@code source} names where the file was given ({@code
   * --ca-cert}, {@code REQUESTS_CA_BUNDLE}) in the message of a file that cannot be used, which
   * also names the line.
   */
  public static List<X509Certificate> read(Path file, String source) throws IOException {
    String where = source + " " + file;
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new IOException(where + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new IOException(where + ": not allowed to read it", e);
    } catch (IOException e) {
      throw new IOException(where + ": cannot read it (" + e.getMessage() + ")", e);
    }
    CertificateFactory x509;
    try {
      x509 = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("every Java has X.509", e);
    }
    List<X509Certificate> certificates = new ArrayList<>();
    StringBuilder body = null;
    int begun = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (body == null) {
        if (line.equals(BEGIN)) {
          body = new StringBuilder();
          begun = i + 1;
        }
        continue;
      }
      if (line.equals(END)) {
        certificates.add(certificate(x509, body.toString(), where, begun));
        body = null;
      } else if (line.startsWith("-----")) {
        throw new IOException(where + ": line " + (i + 1) + ": " + line + " inside a certificate");
      } else {
        body.append(line);
      }
    }
    if (body != null) {
      throw new IOException(where + ": line " + begun + ": the certificate has no " + END);
    }
    if (certificates.isEmpty()) {
      throw new IOException(where + ": no certificate in it (no " + BEGIN + " line)");
    }
    return certificates;
  }

  private static X509Certificate certificate(
      CertificateFactory x509, String base64, String where, int line) throws IOException {
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IOException(where + ": line " + line + ": the certificate is not base64", e);
    }
    try {
      return (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IOException(where + ": line " + line + ": not a readable X.509 certificate", e);
    }
  }
}
