package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tfleet.lab.Lab;
import io.tfleet.lab.LabCertificates;
import io.tfleet.lab.LabConfig;
import io.tfleet.lab.OidcSettings;
import io.tfleet.testing.Await;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.TestCertificates;
import io.tfleet.testing.TfleetProcess;
import io.tfleet.testing.Tinyproxy;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tfleet as a process behind a real proxy that wants credentials (tinyproxy, Basic), in front of a
 * lab speaking TLS: runs, a wrong password, a device login; and {@code tfleet lab --tls} on IPv6
 * loopback. Processes, because the JDK reads whether it may send Basic credentials to a proxy's
 * CONNECT tunnel once, when its HTTP classes load: the test JVM's own HTTP clients load them first.
 */
@Order(1) // among the longest: started first (docs/development.md)
class NetworksIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final String USER = "tester";
  private static final String PASSWORD = "s3cret-Pa55";
  private static final String JAVA_NAMES =
      "[A-Za-z]+(Exception|Error)\\b|\\bjava\\.|\\bjavax\\.|\\bsun\\.|\\tat ";
  private static final Pattern CODE = Pattern.compile("enter the code ([A-Z]{4}-[A-Z]{4})");

  @TempDir Path dir;
  private static LabCertificates ca;
  private static Lab lab;

  @BeforeAll
  static void start() throws IOException {
    ca = TestCertificates.ca();
    lab =
        Lab.start(
            LabConfig.defaults()
                .withPhaseTime(Duration.ofMillis(20))
                .withOidc(OidcSettings.on())
                .withClients(Map.of("ci-bot", "bot-key")),
            TestCertificates.loopback());
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  private String hostPort() {
    return "127.0.0.1:" + lab.url().getPort();
  }

  /** A run of two machines against {@code server} as a robot, with {@code env}. */
  private TfleetProcess.Result run(URI server, Map<String, String> env, String... more)
      throws Exception {
    FleetFiles.machines(dir, List.of("pass-01", "pass-02"));
    FleetFiles.template(dir, FleetFiles.MIXED_TEMPLATE);
    Map<String, String> all = new HashMap<>(env);
    all.put("TESTFLINGER_CLIENT_ID", "ci-bot");
    all.put("TESTFLINGER_SECRET_KEY", "bot-key");
    List<String> args =
        new ArrayList<>(List.of("run", "--server", server.toString(), "--poll-interval", "0.1"));
    args.addAll(List.of(more));
    TfleetProcess.Result result =
        TfleetProcess.start(dir, all, args.toArray(String[]::new)).await(LIMIT);
    assertThat(result.err()).as("no Java names").doesNotContainPattern(JAVA_NAMES);
    return result;
  }

  @Test
  void aRunGoesThroughAProxyThatWantsCredentialsGivenInHttpsProxy() throws Exception {
    try (Tinyproxy proxy = Tinyproxy.start(dir.resolve("proxy"), USER, PASSWORD)) {
      TfleetProcess.Result run =
          run(
              lab.url(),
              Map.of(
                  "HTTPS_PROXY",
                  proxy.urlWithCredentials(),
                  "REQUESTS_CA_BUNDLE",
                  ca.caFile().toString()),
              "-v");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).contains("2 machines: 2 passed");
      assertThat(proxy.connects()).as(proxy.log()).isNotEmpty().containsOnly(hostPort());
      assertThat(run.err())
          .contains("through the proxy http://" + USER + ":****@127.0.0.1:" + proxy.port())
          .doesNotContain(PASSWORD);
      assertThat(run.out()).doesNotContain(PASSWORD);
    }
  }

  @Test
  void plainHttpGoesThroughHttpProxyWithItsCredentialsToo() throws Exception {
    try (Lab plain = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ofMillis(20)));
        Tinyproxy proxy = Tinyproxy.start(dir.resolve("proxy"), USER, PASSWORD)) {
      TfleetProcess.Result run = run(plain.url(), Map.of("http_proxy", proxy.urlWithCredentials()));

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(proxy.requests())
          .as(proxy.log())
          .contains("POST " + plain.url() + "/v1/job")
          .allMatch(line -> line.contains(" " + plain.url() + "/"));
      assertThat(plain.stats().jobsCreated()).isEqualTo(2);
    }
  }

  @Test
  void aWrongProxyPasswordIsAClear407AndNothingIsSent() throws Exception {
    try (Tinyproxy proxy = Tinyproxy.start(dir.resolve("proxy"), USER, PASSWORD)) {
      String wrong = "http://" + USER + ":not-it@127.0.0.1:" + proxy.port();
      long created = lab.stats().jobsCreated();
      TfleetProcess.Result run =
          run(
              lab.url(),
              Map.of("HTTPS_PROXY", wrong, "REQUESTS_CA_BUNDLE", ca.caFile().toString()),
              "--retry-for",
              "10m");

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
      // tinyproxy answers a wrong password with 401, squid with 407: the message says which.
      assertThat(run.err())
          .containsPattern(
              Pattern.quote(
                      "cannot reach "
                          + lab.url()
                          + ": the proxy http://"
                          + USER
                          + ":****@127.0.0.1:"
                          + proxy.port()
                          + " (from HTTPS_PROXY) refused the user name and password given for "
                          + USER
                          + " (proxy authentication, it answered ")
                  + "40[17]"
                  + Pattern.quote("); check them in HTTPS_PROXY"))
          .doesNotContain("not-it")
          .doesNotContain("trying again");
      assertThat(lab.stats().jobsCreated()).isEqualTo(created);
    }
  }

  @Test
  void aProxyThatWantsCredentialsAndGetsNoneSaysWhereToGiveThem() throws Exception {
    try (Tinyproxy proxy = Tinyproxy.start(dir.resolve("proxy"), USER, PASSWORD)) {
      TfleetProcess.Result run =
          run(lab.url(), Map.of("https_proxy", proxy.url()), "--ca-cert", ca.caFile().toString());

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
      assertThat(run.err())
          .contains(
              "the proxy "
                  + proxy.url()
                  + " (from https_proxy) wants credentials (407, proxy authentication required):"
                  + " give them in https_proxy as http://USER:PASSWORD@127.0.0.1:"
                  + proxy.port());
    }
  }

  @Test
  void aDeviceLoginWorksOverTlsThroughTheProxy() throws Exception {
    Path browser = dir.resolve("browser.sh");
    Files.writeString(browser, "#!/bin/sh\necho \"$1\" >> '" + dir.resolve("browser.txt") + "'\n");
    assertThat(browser.toFile().setExecutable(true)).isTrue();
    try (Tinyproxy proxy = Tinyproxy.start(dir.resolve("proxy"), USER, PASSWORD)) {
      TfleetProcess login =
          TfleetProcess.start(
              dir,
              Map.of(
                  "TFLEET_INTERACTIVE",
                  "1",
                  "BROWSER",
                  browser.toString(),
                  "HTTPS_PROXY",
                  proxy.urlWithCredentials(),
                  "REQUESTS_CA_BUNDLE",
                  ca.caFile().toString()),
              "login",
              "--server",
              lab.url().toString());
      String code = codeShownBy(login);
      assertThat(lab.deviceLogins().approve(code, "proxied@example.com")).isTrue();
      TfleetProcess.Result result = login.await(LIMIT);

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).contains("Logged in to " + lab.url() + " as proxied@example.com");
      assertThat(dir.resolve(".config/testflinger-cli/127_0_0_1/auth.conf"))
          .content()
          .contains("client_id = proxied@example.com");
      assertThat(proxy.connects()).as(proxy.log()).isNotEmpty().containsOnly(hostPort());
      assertThat(result.err()).doesNotContain(PASSWORD);
    }
  }

  @Test
  void aLabWithTlsOnIpv6LoopbackServesARunThatTrustsTheCaItNames() throws Exception {
    assumeTrue(hasIpv6Loopback(), "this machine has no IPv6 loopback address (::1)");
    TfleetProcess labProcess =
        TfleetProcess.start(
            dir,
            Map.of(),
            "lab",
            "--tls",
            "--bind",
            "::1",
            "--port",
            "0",
            "--phase-seconds",
            "0.02");
    try {
      Pattern listening = Pattern.compile("listening on (https://\\[::1]:\\d+)");
      Pattern trust = Pattern.compile("TLS: trust the lab's CA in (\\S+) \\(--ca-cert");
      Await.until(
          "the lab's URL and CA file",
          LIMIT,
          () -> {
            String out = outOf(labProcess);
            return !labProcess.process().isAlive()
                || (listening.matcher(out).find() && trust.matcher(out).find());
          });
      String out = labProcess.outSoFar();
      Matcher url = listening.matcher(out);
      Matcher caFile = trust.matcher(out);
      assertThat(url.find() && caFile.find()).as(out + labProcess.errSoFar()).isTrue();
      Path labCa = Path.of(caFile.group(1));
      assertThat(labCa).content().startsWith("-----BEGIN CERTIFICATE-----");

      TfleetProcess.Result run =
          run(URI.create(url.group(1)), Map.of("REQUESTS_CA_BUNDLE", labCa.toString()));
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).contains("2 machines: 2 passed");

      new ProcessBuilder("kill", "-INT", Long.toString(labProcess.process().pid()))
          .start()
          .waitFor();
      TfleetProcess.Result stopped = labProcess.await(LIMIT);
      assertThat(stopped.exitCode()).as(stopped.toString()).isIn(0, 130);
      assertThat(labCa).as("deleted when the lab stops").doesNotExist();
    } finally {
      labProcess.process().destroyForcibly();
    }
  }

  private static String outOf(TfleetProcess process) {
    try {
      return process.outSoFar();
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean hasIpv6Loopback() throws IOException {
    NetworkInterface loopback = NetworkInterface.getByInetAddress(InetAddress.getByName("::1"));
    return loopback != null
        && loopback
            .inetAddresses()
            .anyMatch(a -> a instanceof Inet6Address && a.isLoopbackAddress());
  }

  private static String codeShownBy(TfleetProcess tfleet) throws Exception {
    String[] code = new String[1];
    Await.until(
        "a login code on tfleet's stderr",
        LIMIT,
        () -> {
          try {
            Matcher m = CODE.matcher(tfleet.errSoFar());
            if (m.find()) {
              code[0] = m.group(1);
            }
            return code[0] != null || !tfleet.process().isAlive();
          } catch (IOException e) {
            return false;
          }
        });
    assertThat(code[0]).as("tfleet showed a login code: " + tfleet.errSoFar()).isNotNull();
    return code[0];
  }
}
