package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tfleet.lab.Lab;
import io.tfleet.lab.LabCertificates;
import io.tfleet.lab.LabConfig;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.TestCertificates;
import io.tfleet.testing.TfleetProcess;
import io.tfleet.testing.Tinyproxy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole runs over TLS through a real proxy (tinyproxy) in front of the lab, and what a person sees
 * when the certificate, the proxy or the address is wrong. Proxy credentials are in {@code
 * NetworksIT}: the JDK reads the switch that allows them once per process.
 */
class NetworksTest {
  private static final String JAVA_NAMES =
      "[A-Za-z]+(Exception|Error)\\b|\\bjava\\.|\\bjavax\\.|\\bsun\\.|\\tat ";

  @TempDir Path dir;
  private static LabCertificates ca;
  private static Lab lab;

  @BeforeAll
  static void start() throws IOException {
    ca = TestCertificates.ca();
    lab =
        Lab.start(
            LabConfig.defaults().withPhaseTime(Duration.ofMillis(10)), TestCertificates.loopback());
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  private TfleetProcess.Result run(URI server, Map<String, String> env, String... more)
      throws IOException {
    FleetFiles.machines(dir, List.of("pass-01", "pass-02"));
    FleetFiles.template(dir, FleetFiles.MIXED_TEMPLATE);
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--server",
                server.toString(),
                "--machines-file",
                dir.resolve("machines.txt").toString(),
                "--template-file",
                dir.resolve("tf-job.yaml").toString(),
                "--output-dir",
                dir.resolve("out").toString(),
                "--poll-interval",
                "0.1"));
    args.addAll(List.of(more));
    TfleetProcess.Result result = InProcess.run(env, args.toArray(String[]::new));
    assertThat(result.err()).as("no Java names").doesNotContainPattern(JAVA_NAMES);
    return result;
  }

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private static String caFile() {
    return ca.caFile().toString();
  }

  private static String hostPort() {
    return "127.0.0.1:" + lab.url().getPort();
  }

  @Test
  void aWholeRunGoesThroughHttpsProxyTrustingTheCaOfRequestsCaBundle() throws Exception {
    try (Tinyproxy proxy = Tinyproxy.start(dir.resolve("proxy"))) {
      TfleetProcess.Result run =
          run(lab.url(), env("HTTPS_PROXY", proxy.url(), "REQUESTS_CA_BUNDLE", caFile()));

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(FleetFiles.summaryRow(run.out(), "pass-01")).contains("passed");
      assertThat(proxy.connects()).as(proxy.log()).isNotEmpty().containsOnly(hostPort());
    }
  }

  @Test
  void noProxySendsTheServerDirect() throws Exception {
    try (Tinyproxy proxy = Tinyproxy.start(dir.resolve("proxy"))) {
      TfleetProcess.Result run =
          run(
              lab.url(),
              env(
                  "https_proxy", proxy.url(),
                  "NO_PROXY", "example.com, 127.0.0.1",
                  "REQUESTS_CA_BUNDLE", caFile()));

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(proxy.requests()).as(proxy.log()).isEmpty();
    }
  }

  @Test
  void theProxyOptionOverridesTheEnvironmentAndNoneGoesDirect() throws Exception {
    String deadProxy = "http://127.0.0.1:" + Tinyproxy.freePort();
    try (Tinyproxy proxy = Tinyproxy.start(dir.resolve("proxy"))) {
      TfleetProcess.Result through =
          run(
              lab.url(),
              env("HTTPS_PROXY", deadProxy),
              "--proxy",
              proxy.url(),
              "--ca-cert",
              caFile());
      assertThat(through.exitCode()).as(through.toString()).isZero();
      assertThat(proxy.connects()).as(proxy.log()).containsOnly(hostPort());
    }
    TfleetProcess.Result direct =
        run(lab.url(), env("HTTPS_PROXY", deadProxy), "--proxy", "none", "--ca-cert", caFile());
    assertThat(direct.exitCode()).as(direct.toString()).isZero();
  }

  @Test
  void verboseOutputNamesTheRouteOnce() throws Exception {
    try (Tinyproxy proxy = Tinyproxy.start(dir.resolve("proxy"))) {
      TfleetProcess.Result run =
          run(lab.url(), env("HTTPS_PROXY", proxy.url(), "SSL_CERT_FILE", caFile()), "-v");
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.err())
          .containsOnlyOnce(
              "http: " + lab.url() + " through the proxy " + proxy.url() + " (from HTTPS_PROXY)");
    }
  }

  @Test
  void withoutTheLabsCaTheRunStopsAtOnceNamingTheOptionThatFixesIt() throws Exception {
    long created = lab.stats().jobsCreated();
    long started = System.nanoTime();
    // A budget of ten minutes: a failure tried again would show.
    TfleetProcess.Result run = run(lab.url(), env(), "--retry-for", "10m");
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SERVER);
    assertThat(run.err())
        .contains("cannot reach " + lab.url() + ": its certificate is not trusted")
        .contains("issued by CN=" + ca.caName())
        .contains("--ca-cert FILE or REQUESTS_CA_BUNDLE=FILE")
        .doesNotContain("trying again");
    assertThat(took).as("no retries").isLessThan(Duration.ofMinutes(1));
    assertThat(lab.stats().jobsCreated()).isEqualTo(created);
  }

  @Test
  void aCertificateForAnotherNameStopsTheRunNamingTheMismatch() throws Exception {
    try (Lab other =
        Lab.start(LabConfig.defaults(), ca.issue(List.of("testflinger.example.com")))) {
      TfleetProcess.Result run = run(other.url(), env("REQUESTS_CA_BUNDLE", caFile()));

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SERVER);
      assertThat(run.err())
          .contains(
              "its certificate is for testflinger.example.com, not for 127.0.0.1 (a host name"
                  + " mismatch)");
    }
  }

  @Test
  void aProxyThatIsDownIsNamedAsTheTrouble() throws Exception {
    String dead = "http://127.0.0.1:" + Tinyproxy.freePort();
    TfleetProcess.Result run =
        run(lab.url(), env("HTTPS_PROXY", dead, "REQUESTS_CA_BUNDLE", caFile()));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SERVER);
    assertThat(run.err())
        .contains(
            "cannot reach "
                + lab.url()
                + ": the proxy "
                + dead
                + " (from HTTPS_PROXY) cannot be reached: it refuses connections")
        .doesNotContain("trying again");
  }

  @Test
  void aProxyThatCannotReachTheServerSaysSo() throws Exception {
    URI nowhere = URI.create("https://127.0.0.1:" + Tinyproxy.freePort());
    try (Tinyproxy proxy = Tinyproxy.start(dir.resolve("proxy"))) {
      TfleetProcess.Result run =
          run(nowhere, env("HTTPS_PROXY", proxy.url(), "REQUESTS_CA_BUNDLE", caFile()));

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SERVER);
      assertThat(run.err())
          .contains(
              "the proxy "
                  + proxy.url()
                  + " (from HTTPS_PROXY) could not reach 127.0.0.1:"
                  + nowhere.getPort()
                  + " (it answered 500)");
      assertThat(proxy.connects()).contains("127.0.0.1:" + nowhere.getPort());
    }
  }

  @Test
  void aServerOnIpv6LoopbackIsReachedByItsBracketedAddress() throws Exception {
    Lab v6;
    try {
      v6 = Lab.start(LabConfig.defaults().withBind("::1").withPhaseTime(Duration.ofMillis(10)));
    } catch (java.net.SocketException e) {
      assumeTrue(false, "this machine has no IPv6 loopback (::1): " + e.getMessage());
      return;
    }
    try (Lab lab6 = v6) {
      assertThat(lab6.url().toString()).startsWith("http://[::1]:");
      TfleetProcess.Result run = run(URI.create("http://[::1]:" + lab6.url().getPort()), env());
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(lab6.stats().jobsCreated()).isEqualTo(2);
    }
  }

  @Test
  void aProxyVariableThatCannotBeUsedIsBadInput() throws Exception {
    TfleetProcess.Result run = run(lab.url(), env("HTTPS_PROXY", "socks5://127.0.0.1:1080"));
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("HTTPS_PROXY: SOCKS proxies are not supported");
  }

  @Test
  void aCaBundleThatIsNotThereIsBadInput() throws Exception {
    Path missing = dir.resolve("no-such-ca.pem");
    TfleetProcess.Result run = run(lab.url(), env("REQUESTS_CA_BUNDLE", missing.toString()));
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("REQUESTS_CA_BUNDLE " + missing + ": no such file");
  }

  @Test
  void theCaOptionComesBeforeTheVariables() throws Exception {
    Path missing = dir.resolve("no-such-ca.pem");
    TfleetProcess.Result run =
        run(
            lab.url(),
            env("REQUESTS_CA_BUNDLE", missing.toString(), "SSL_CERT_FILE", missing.toString()),
            "--ca-cert",
            caFile());
    assertThat(run.exitCode()).as(run.toString()).isZero();
  }

  @Test
  void theLabsTlsOptionsThatDoNotGoTogetherAreBadInput() throws Exception {
    Path pem = ca.caFile();
    TfleetProcess.Result alone = InProcess.run("lab", "--port", "0", "--tls-cert", pem.toString());
    assertThat(alone.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(alone.err()).contains("--tls-cert and --tls-key go together");

    TfleetProcess.Result both =
        InProcess.run(
            "lab", "--port", "0", "--tls", "--tls-cert", pem.toString(), "--tls-key", "" + pem);
    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("choose one of them");

    TfleetProcess.Result noKey =
        InProcess.run("lab", "--port", "0", "--tls-cert", pem.toString(), "--tls-key", "" + pem);
    assertThat(noKey.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noKey.err()).contains(pem + ": no private key in it");
  }
}
