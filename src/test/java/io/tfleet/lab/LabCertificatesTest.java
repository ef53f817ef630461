package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabCertificatesTest {
  @TempDir Path dir;

  @Test
  void certificatesAskedForAtOnceFromSeveralThreadsAreEachMadeAndSignedByTheCa() throws Exception {
    LabCertificates ca = LabCertificates.create(dir);
    // Eight at once: each keytool rewrites the keystore, and with eight the lost write showed on
    // every run of the unguarded code (with four, on few).
    int threads = 8;
    CountDownLatch ready = new CountDownLatch(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<LabTls>> issued = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String name = "machine-" + i + ".lab.test";
        Callable<LabTls> issue =
            () -> {
              ready.countDown();
              ready.await();
              return ca.issue(List.of(name));
            };
        issued.add(pool.submit(issue));
      }
      X509Certificate root = null;
      for (int i = 0; i < threads; i++) {
        List<X509Certificate> chain = issued.get(i).get().chain();
        X509Certificate leaf = chain.get(0);
        root = chain.get(chain.size() - 1);
        assertThat(leaf.getSubjectX500Principal().getName())
            .isEqualTo("CN=machine-" + i + ".lab.test");
        leaf.verify(root.getPublicKey());
      }
      assertThat(root.getSubjectX500Principal().getName()).contains(ca.caName());
    } finally {
      pool.shutdownNow();
    }
  }
}
