package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.lab.OidcSettings;
import io.tfleet.testing.Await;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.InProcess;
import io.tfleet.testing.TfleetProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logging in against a lab with OIDC on (in this JVM, a person answering while tfleet runs): device
 * logins approved, denied, expired and slowed down; the login kept in the testflinger CLI's file;
 * renewals mid-run; no person, no wait. Every test keeps its configuration under its own temporary
 * XDG_CONFIG_HOME. A person at the terminal is {@code TFLEET_INTERACTIVE=1}, except where a real
 * pseudo-terminal is the point, which takes a process.
 */
@Order(1) // among the longest: started first (docs/development.md)
class LoginIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final Pattern CODE = Pattern.compile("enter the code ([A-Z]{4}-[A-Z]{4})");
  private static final String TEMPLATE =
      "job_queue: $CANONICAL_ID\ntest_data:\n  test_cmds: |\n    echo '{\"status\": \"Certified\"}'\n";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Path config;
  private Path browserLog;

  @BeforeEach
  void files() throws Exception {
    config = dir.resolve(".config");
    FleetFiles.machines(dir, List.of("m-01", "m-02", "m-03"));
    FleetFiles.template(dir, TEMPLATE);
    browserLog = dir.resolve("browser.txt");
    Path browser = dir.resolve("browser.sh");
    Files.writeString(browser, "#!/bin/sh\necho \"$1\" >> '" + browserLog + "'\n");
    browser.toFile().setExecutable(true);
  }

  private static LabConfig oidcLab() {
    return LabConfig.defaults().withPhaseTime(Duration.ofMillis(20)).withOidc(OidcSettings.on());
  }

  private Map<String, String> person() {
    return Map.of("TFLEET_INTERACTIVE", "1", "BROWSER", dir.resolve("browser.sh").toString());
  }

  private Path authFile() {
    return config.resolve("testflinger-cli/127_0_0_1/auth.conf");
  }

  /** Waits until tfleet shows a login code, and returns it. */
  private static String codeShownBy(InProcess.Started tfleet) {
    String[] code = new String[1];
    Await.until(
        "a login code on tfleet's stderr",
        LIMIT,
        () -> {
          Matcher m = CODE.matcher(tfleet.errSoFar());
          if (m.find()) {
            code[0] = m.group(1);
          }
          return code[0] != null || !tfleet.isRunning();
        });
    assertThat(code[0]).as("tfleet showed a login code").isNotNull();
    return code[0];
  }

  /** A login the lab knows, made over HTTP as another tool would, in the CLI's file format. */
  private String keepLabLogin(Lab lab, String user) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    JsonNode init =
        JSON.readTree(
            http.send(
                    HttpRequest.newBuilder(URI.create(lab.url() + "/oidc/auth-init"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    assertThat(lab.deviceLogins().approve(init.get("user_code").asText(), user)).isTrue();
    JsonNode tokens =
        JSON.readTree(
            http.send(
                    HttpRequest.newBuilder(
                            URI.create(
                                lab.url() + "/oidc/auth-poll/" + init.get("request_id").asText()))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    String refresh = tokens.get("refresh_token").asText();
    writeCliLogin(user, refresh);
    return refresh;
  }

  private void writeCliLogin(String user, String refresh) throws Exception {
    Files.createDirectories(authFile().getParent());
    Files.writeString(
        authFile(), "[AUTH]\nclient_id = " + user + "\nrefresh_token = " + refresh + "\n\n");
  }

  private String[] run(Lab lab, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("--server", lab.url().toString(), "--poll-interval", "0.2"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private void assertNowhere(String secret, TfleetProcess.Result run) throws Exception {
    assertThat(run.out()).doesNotContain(secret);
    assertThat(run.err()).doesNotContain(secret);
    try (Stream<Path> files = Files.walk(dir.resolve("job_outputs"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f, StandardCharsets.ISO_8859_1))
            .as(f.toString())
            .doesNotContain(secret);
      }
    }
  }

  @Test
  void aDeviceLoginApprovedWhileARunStartsLetsTheRunGoOnAndIsKeptForTheCli() throws Exception {
    try (Lab lab = Lab.start(oidcLab())) {
      InProcess.Started tfleet = InProcess.start(dir, person(), run(lab, "-v"));
      String code = codeShownBy(tfleet);
      // Approved through the lab's page, as a person would.
      HttpResponse<String> page =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(lab.url() + "/device"))
                      .header("Content-Type", "application/x-www-form-urlencoded")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "user_code=" + code + "&email=tester%40example.com&action=approve"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      TfleetProcess.Result result = tfleet.await(LIMIT);

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.err())
          .contains("open " + lab.url() + "/device and enter the code " + code)
          .contains(lab.url() + "/device?user_code=" + code);
      assertThat(Files.readString(browserLog).strip())
          .isEqualTo(lab.url() + "/device?user_code=" + code);
      String kept = Files.readString(authFile());
      assertThat(kept)
          .matches("\\[AUTH]\nclient_id = tester@example.com\nrefresh_token = [A-Za-z0-9_-]+\n\n");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(authFile())))
          .isEqualTo("rw-------");
      assertNowhere(kept.replaceAll("(?s).*refresh_token = ", "").strip(), result);
      assertThat(result.err())
          .contains("Bearer ****")
          .doesNotContainPattern("Bearer [A-Za-z0-9_-]{8,}")
          .doesNotContainPattern("auth-poll/[A-Za-z0-9_-]{8,}");
      assertThat(lab.stats().jobsCreated()).isEqualTo(3);
    }
  }

  @Test
  void aDeniedLoginExitsThreeSayingSoAndKeepsNothing() throws Exception {
    try (Lab lab = Lab.start(oidcLab())) {
      InProcess.Started tfleet = InProcess.start(dir, person(), run(lab));
      assertThat(lab.deviceLogins().deny(codeShownBy(tfleet))).isTrue();
      TfleetProcess.Result result = tfleet.await(LIMIT);

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
      assertThat(result.err()).contains("the login was denied").doesNotContain("\tat ");
      assertThat(authFile()).doesNotExist();
      assertThat(lab.stats().jobsCreated()).isZero();
    }
  }

  @Test
  void anExpiredLoginCodeExitsThreeSayingSo() throws Exception {
    try (Lab lab = Lab.start(oidcLab())) {
      InProcess.Started tfleet = InProcess.start(dir, person(), run(lab));
      assertThat(lab.deviceLogins().expire(codeShownBy(tfleet))).isTrue();
      TfleetProcess.Result result = tfleet.await(LIMIT);

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
      assertThat(result.err()).contains("expired before it was approved");
      assertThat(authFile()).doesNotExist();
    }
  }

  @Test
  void aLoginSlowedDownByTheServerStillSucceeds() throws Exception {
    LabConfig config =
        oidcLab().withOidc(OidcSettings.on().withSlowDownWait(Duration.ofSeconds(2)));
    try (Lab lab = Lab.start(config)) {
      InProcess.Started tfleet = InProcess.start(dir, person(), run(lab));
      String code = codeShownBy(tfleet);
      assertThat(lab.deviceLogins().slowDown(code)).isTrue();
      long before = lab.deviceLogins().polls();
      Await.until(
          "the slow_down answer to be polled", LIMIT, () -> lab.deviceLogins().polls() > before);
      assertThat(lab.deviceLogins().approve(code, "slow@example.com")).isTrue();
      TfleetProcess.Result result = tfleet.await(LIMIT);

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(Files.readString(authFile())).contains("client_id = slow@example.com");
    }
  }

  @Test
  void aLoginKeptInTheCliFileIsUsedWithoutAnyPrompt() throws Exception {
    try (Lab lab = Lab.start(oidcLab())) {
      String refresh = keepLabLogin(lab, "cli-user@example.com");
      TfleetProcess.Result result =
          InProcess.run(dir, Map.of("TFLEET_INTERACTIVE", "0"), LIMIT, run(lab));

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.err()).doesNotContain("enter the code");
      assertThat(lab.stats().requestCount("POST /v1/oauth2/refresh")).isPositive();
      assertThat(lab.deviceLogins().polls()).isEqualTo(1); // only the one that made the kept login
      assertNowhere(refresh, result);
    }
  }

  @Test
  void aKeptLoginTheServerRefusesIsForgottenAndReported() throws Exception {
    try (Lab lab = Lab.start(oidcLab())) {
      writeCliLogin("gone@example.com", "revoked-or-expired");
      TfleetProcess.Result result =
          InProcess.run(dir, Map.of("TFLEET_INTERACTIVE", "0"), LIMIT, run(lab));

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
      assertThat(result.err())
          .contains("refused the stored login of gone@example.com")
          .contains("it is forgotten")
          .contains("tfleet login")
          .doesNotContain("revoked-or-expired");
      assertThat(authFile()).doesNotExist();
    }
  }

  @Test
  void anAccessTokenExpiringMidMonitorIsRenewedWithNoLostCall() throws Exception {
    // A token lives long enough for a renewal and the call it replays even on a busy machine; the
    // jobs' five phases outlive three of them.
    LabConfig config =
        oidcLab().withPhaseTime(Duration.ofMillis(1000)).withTokenLifetime(Duration.ofMillis(1500));
    try (Lab lab = Lab.start(config)) {
      keepLabLogin(lab, "long-run@example.com");
      TfleetProcess.Result result =
          InProcess.run(dir, Map.of("TFLEET_INTERACTIVE", "0"), LIMIT, run(lab));

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(lab.stats().requestCount("POST /v1/oauth2/refresh")).isGreaterThanOrEqualTo(2);
      for (String m : List.of("m-01", "m-02", "m-03")) {
        assertThat(dir.resolve("job_outputs/" + m + "/result.json")).exists();
      }
      assertThat(result.out()).contains("3 machines: 3 passed");
    }
  }

  @Test
  void withNoPersonToApproveALoginTfleetExitsThreeAtOnceAndSaysHowToAuthenticate()
      throws Exception {
    try (Lab lab = Lab.start(oidcLab())) {
      // No TFLEET_INTERACTIVE, and no terminal: stdin is /dev/null, output goes to files.
      TfleetProcess.Result result = InProcess.run(dir, LIMIT, run(lab));

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
      assertThat(result.err())
          .contains("401 Authentication is required")
          .contains("--client-id")
          .contains("tfleet login")
          .doesNotContain("enter the code");
      assertThat(lab.deviceLogins().waiting()).isEmpty();
      assertThat(lab.deviceLogins().polls()).isZero();
    }
  }

  @Test
  void loginAskedForWithoutATerminalPrintsTheCodeAndWaitsForTheApproval() throws Exception {
    try (Lab lab = Lab.start(oidcLab())) {
      // No TFLEET_INTERACTIVE, and no terminal: the person who asked approves on another machine.
      InProcess.Started tfleet =
          InProcess.start(
              dir,
              Map.of("BROWSER", dir.resolve("browser.sh").toString()),
              "login",
              "--server",
              lab.url().toString());
      String code = codeShownBy(tfleet);
      assertThat(tfleet.errSoFar()).contains("open " + lab.url() + "/device");
      assertThat(lab.deviceLogins().approve(code, "me@example.com")).isTrue();
      TfleetProcess.Result result = tfleet.await(LIMIT);

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(result.out()).contains("Logged in to " + lab.url() + " as me@example.com");
      assertThat(authFile()).exists();

      TfleetProcess.Result refused =
          InProcess.run(
              dir,
              Map.of("TFLEET_INTERACTIVE", "0"),
              LIMIT,
              "login",
              "--server",
              lab.url().toString());
      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
      assertThat(refused.err()).contains("TFLEET_INTERACTIVE says there is none");
      assertThat(lab.deviceLogins().waiting()).isEmpty();
    }
  }

  @Test
  void credentialsWinOverAKeptLoginAndAPerson() throws Exception {
    try (Lab lab = Lab.start(oidcLab().withClients(Map.of("ci-bot", "s3cret-key")))) {
      writeCliLogin("someone@example.com", "not-even-tried");
      Map<String, String> env = new HashMap<>(person());
      env.put("TESTFLINGER_CLIENT_ID", "ci-bot");
      env.put("TESTFLINGER_SECRET_KEY", "s3cret-key");
      TfleetProcess.Result result = InProcess.run(dir, env, LIMIT, run(lab, "-v"));

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(lab.stats().requestCount("POST /v1/oauth2/token")).isPositive();
      assertThat(lab.stats().requestCount("POST /v1/oauth2/refresh")).isZero();
      assertThat(Files.readString(authFile())).contains("not-even-tried"); // untouched
      assertNowhere("s3cret-key", result);
    }
  }

  @Test
  void loginWhoamiAndLogoutOnARealTerminal() throws Exception {
    try (Lab lab = Lab.start(oidcLab())) {
      // script(1) gives tfleet a pseudo-terminal: System.console() finds a person there.
      String command =
          String.join(" ", TfleetProcess.shellCommand(), "login", "--server", lab.url().toString());
      Path screen = dir.resolve("tty.txt");
      ProcessBuilder builder =
          new ProcessBuilder("script", "-qfec", command, "/dev/null")
              .directory(dir.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .redirectOutput(screen.toFile())
              .redirectErrorStream(true);
      builder.environment().put("XDG_CONFIG_HOME", config.toString());
      builder.environment().put("BROWSER", dir.resolve("browser.sh").toString());
      builder.environment().remove("TFLEET_INTERACTIVE");
      Process login = builder.start();
      try {
        Await.until(
            "waiting logins on the lab", LIMIT, () -> !lab.deviceLogins().waiting().isEmpty());
        assertThat(
                lab.deviceLogins().approve(lab.deviceLogins().waiting().get(0), "me@example.com"))
            .isTrue();
        assertThat(login.waitFor(LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
            .isTrue();
      } finally {
        login.destroyForcibly();
      }
      String shown = Files.readString(screen);
      assertThat(login.exitValue()).as(shown).isZero();
      assertThat(shown)
          .contains("Logged in to " + lab.url() + " as me@example.com (role contributor)");

      TfleetProcess.Result whoami =
          TfleetProcess.start(dir, Map.of(), "whoami", "--server", lab.url().toString())
              .await(LIMIT);
      assertThat(whoami.exitCode()).as(whoami.toString()).isZero();
      assertThat(whoami.out())
          .contains("Identity:  me@example.com")
          .contains("Role:      contributor")
          .contains("kept login in " + authFile());

      TfleetProcess.Result logout =
          TfleetProcess.start(dir, Map.of(), "logout", "--server", lab.url().toString())
              .await(LIMIT);
      assertThat(logout.exitCode()).isZero();
      assertThat(logout.out()).contains("removed " + authFile());
      assertThat(authFile()).doesNotExist();

      TfleetProcess.Result anonymous =
          TfleetProcess.start(dir, Map.of(), "whoami", "--server", lab.url().toString())
              .await(LIMIT);
      assertThat(anonymous.exitCode()).isEqualTo(1);
      assertThat(anonymous.out()).contains("Not logged in");
    }
  }
}
