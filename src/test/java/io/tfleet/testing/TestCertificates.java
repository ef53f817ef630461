package io.tfleet.testing;

import io.tfleet.lab.LabCertificates;
import io.tfleet.lab.LabTls;
import io.tfleet.store.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One certificate authority for the test JVM, and one certificate for loopback that it signed, made
 * on first use: each is a run of keytool (a JVM of its own), once per JVM instead of once per
 * class. A test that needs a CA nobody else trusts, or a certificate of another kind, makes its
 * own.
 */
public final class TestCertificates {
  private static LabCertificates ca;
  private static LabTls loopback;

  private TestCertificates() {}

  /** This JVM's CA, in a temporary folder removed when the JVM ends. */
  public static synchronized LabCertificates ca() throws IOException {
    if (ca == null) {
      Path folder = Files.createTempDirectory("tfleet-test-ca-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(folder), "test-ca-cleanup"));
      ca = LabCertificates.create(folder);
    }
    return ca;
  }

  /** A certificate of {@link #ca()} for every loopback name, valid for 30 days. */
  public static synchronized LabTls loopback() throws IOException {
    if (loopback == null) {
      loopback = ca().issue(LabCertificates.LOOPBACK_NAMES);
    }
    return loopback;
  }

  private static void delete(Path folder) {
    try {
      Folders.deleteTree(folder);
    } catch (IOException e) {
      // A temporary folder left behind; the JVM is going anyway.
    }
  }
}
