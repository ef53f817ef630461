package io.tfleet.cli;

import io.tfleet.job.InputException;
import io.tfleet.lab.Fault;
import io.tfleet.lab.FaultPlan;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.lab.LabTls;
import io.tfleet.lab.OidcSettings;
import io.tfleet.lab.QueuesFile;
import io.tfleet.lab.Trouble;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Serves a local Testflinger-compatible lab until interrupted. */
@Command(
    name = "lab",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Runs a local Testflinger-compatible server with simulated machines, until Ctrl-C.",
      "Each queue has one machine that runs test_data.test_cmds with /bin/sh."
    })
public final class LabCommand implements Callable<Integer> {
  private final Context context;

  LabCommand(Context context) {
    this.context = context;
  }

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "8000",
      description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(
      names = "--tls",
      description =
          "Speak https with a certificate for localhost, 127.0.0.1 and ::1 made at start, signed by a CA of its own whose file the lab names (trust it with --ca-cert or REQUESTS_CA_BUNDLE).")
  boolean tls;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "Speak https with this certificate chain (PEM, the server's certificate first); needs --tls-key.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "The private key of --tls-cert (PEM, unencrypted PKCS#8: BEGIN PRIVATE KEY).")
  Path tlsKey;

  @Option(
      names = "--simulate",
      description = "Run no commands; answer an hwctl-like status line instead.")
  boolean simulate;

  @Option(
      names = "--phase-seconds",
      paramLabel = "S",
      defaultValue = "0.5",
      description =
          "How long each job phase lasts, in seconds; 0 allowed (default: ${DEFAULT-VALUE}).")
  double phaseSeconds;

  @Option(
      names = "--latency",
      paramLabel = "MS",
      defaultValue = "0",
      description =
          "Answer every request this many milliseconds late, as a server across a network (default: ${DEFAULT-VALUE}).")
  double latencyMillis;

  @Option(
      names = "--latency-jitter",
      paramLabel = "MS",
      defaultValue = "0",
      description =
          "Spread each delay by up to this many milliseconds either way; at most --latency (default: ${DEFAULT-VALUE}).")
  double jitterMillis;

  @Option(
      names = "--queues-file",
      paramLabel = "FILE",
      description =
          "Only these queues have a machine: one name a line, optionally followed by offline or maintenance (that machine takes no jobs); without it every queue gets one on first use.")
  Path queuesFile;

  @Option(
      names = "--max-commands",
      paramLabel = "N",
      description =
          "Test commands that run at once on all machines together; a machine waiting for a turn stays in its test phase; 0 means no limit (default: 16 per CPU).")
  Integer maxCommands;

  @Option(
      names = "--final-state",
      paramLabel = "STATE",
      defaultValue = "complete",
      description =
          "State a finished job ends in: complete (what agents post) or completed (default: ${DEFAULT-VALUE}).")
  String finalState;

  @Option(
      names = "--client",
      paramLabel = "ID:SECRET",
      description =
          "Require credentials: a client id and secret key that may get tokens (repeatable).")
  List<String> clients = List.of();

  @Option(
      names = "--fault-rate",
      paramLabel = "P",
      defaultValue = "0",
      description =
          "Fail this share of requests, 0 to 1; token calls never fail (default: ${DEFAULT-VALUE}).")
  double faultRate;

  @Option(
      names = "--fault-kinds",
      paramLabel = "LIST",
      defaultValue = "500,503,reset,slow",
      description =
          "Comma-separated faults to pick from: status codes, reset (drop the connection), slow or slow:S (answer S seconds late, default 2), html (a 200 sign-in page), truncate (the answer's first half), badjson (200 JSON of the wrong shape) (default: ${DEFAULT-VALUE}).")
  String faultKinds;

  @Option(
      names = "--fault-routes",
      paramLabel = "LIST",
      description =
          "Comma-separated route keys that faults are injected on, e.g. 'GET /v1/result/{id}/artifact'; other routes never fail (default: every route but the token calls).")
  String faultRoutes;

  @Option(
      names = "--fault-seed",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Seed for choosing faults; the same seed fails the same requests (default: ${DEFAULT-VALUE}).")
  long faultSeed;

  @Option(
      names = "--restart-after",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "After the N-th request drop every connection once and serve on; 0 means never (default: ${DEFAULT-VALUE}).")
  long restartAfter;

  @Mixin LabTroubleOptions trouble;

  @Option(
      names = "--oidc",
      description =
          "Require a login as a server with OIDC on: every call but the login ones needs a valid token; device logins are approved at /device.")
  boolean oidc;

  @Option(
      names = "--token-lifetime",
      paramLabel = "S",
      defaultValue = "600",
      description = "How long an access token lasts, in seconds (default: ${DEFAULT-VALUE}).")
  double tokenSeconds;

  @Option(
      names = "--refresh-lifetime",
      paramLabel = "S",
      defaultValue = "518400",
      description =
          "How long a refresh token lasts, in seconds (default: ${DEFAULT-VALUE}, 6 days).")
  double refreshSeconds;

  @Option(
      names = "--oidc-interval",
      paramLabel = "S",
      defaultValue = "1",
      description =
          "Whole seconds a device login asks its client to wait between polls (default: ${DEFAULT-VALUE}).")
  int oidcInterval;

  @Option(
      names = "--oidc-code-lifetime",
      paramLabel = "S",
      defaultValue = "300",
      description =
          "Whole seconds a device login's code waits for approval (default: ${DEFAULT-VALUE}).")
  int oidcCodeSeconds;

  @Override
  public Integer call() throws InputException, IOException, InterruptedException {
    LabConfig config = config();
    CountDownLatch stopped = new CountDownLatch(1);
    LabTls identity = identity();
    Lab lab = identity == null ? Lab.start(config) : Lab.start(config, identity);
    Thread hook =
        new Thread(
            () -> {
              lab.close();
              stopped.countDown();
            },
            "tfleet-lab-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    context.out().println("tfleet lab listening on " + lab.url() + " (Ctrl-C to stop)");
    context.out().println(faultsLine());
    if (lab.caFile().isPresent()) {
      String ca = lab.caFile().get().toString();
      context
          .out()
          .println(
              "TLS: trust the lab's CA in "
                  + ca
                  + " (--ca-cert "
                  + ca
                  + ", or REQUESTS_CA_BUNDLE="
                  + ca
                  + "); it is deleted when the lab stops");
    }
    context.out().println(trouble.line());
    if (oidc) {
      context
          .out()
          .println("login required (OIDC): approve device logins at " + lab.url() + "/device");
    }
    context.out().flush();
    stopped.await();
    return ExitCodes.OK;
  }

  LabConfig config() throws InputException {
    if (!(latencyMillis >= 0)
        || !(jitterMillis >= 0)
        || jitterMillis > latencyMillis
        || Double.isInfinite(latencyMillis)) {
      throw new InputException(
          "--latency and --latency-jitter must be numbers >= 0, the jitter at most the latency");
    }
    if (!(phaseSeconds >= 0) || Double.isInfinite(phaseSeconds)) {
      throw new InputException("--phase-seconds must be a number >= 0, not " + phaseSeconds);
    }
    if (port < 0 || port > 65535) {
      throw new InputException("--port must be between 0 and 65535, not " + port);
    }
    if (!finalState.equals("complete") && !finalState.equals("completed")) {
      throw new InputException("--final-state must be complete or completed, not " + finalState);
    }
    Map<String, String> credentials = new LinkedHashMap<>();
    for (String client : clients) {
      int colon = client.indexOf(':');
      if (colon <= 0 || colon == client.length() - 1) {
        throw new InputException("--client must be ID:SECRET");
      }
      credentials.put(client.substring(0, colon), client.substring(colon + 1));
    }
    if (!(faultRate >= 0 && faultRate <= 1)) {
      throw new InputException("--fault-rate must be a number from 0 to 1, not " + faultRate);
    }
    if (restartAfter < 0) {
      throw new InputException("--restart-after must be >= 0, not " + restartAfter);
    }
    if (maxCommands != null && maxCommands < 0) {
      throw new InputException("--max-commands must be >= 0, not " + maxCommands);
    }
    List<Fault> kinds = faultKinds();
    if (!(tokenSeconds > 0)
        || !(refreshSeconds > 0)
        || Double.isInfinite(tokenSeconds)
        || Double.isInfinite(refreshSeconds)) {
      throw new InputException("--token-lifetime and --refresh-lifetime must be numbers > 0");
    }
    if (oidcInterval < 1 || oidcCodeSeconds < 1) {
      throw new InputException("--oidc-interval and --oidc-code-lifetime must be >= 1");
    }
    Trouble labTrouble = trouble.trouble();
    LabConfig config =
        LabConfig.defaults()
            .withBind(bind)
            .withPort(port)
            .withSimulate(simulate)
            .withPhaseTime(Duration.ofMillis(Math.round(phaseSeconds * 1000)))
            .withLatency(micros(latencyMillis), micros(jitterMillis))
            .withFinalState(finalState)
            .withClients(credentials)
            .withFaults(faultPlan(kinds))
            .withRestartAfter(restartAfter)
            .withMaxCommands(maxCommands != null ? maxCommands : LabConfig.DEFAULT_MAX_COMMANDS)
            .withTrouble(labTrouble)
            .withTokenLifetime(Duration.ofMillis(Math.round(tokenSeconds * 1000)))
            .withOidc(
                OidcSettings.off()
                    .withRequired(oidc)
                    .withInterval(Duration.ofSeconds(oidcInterval))
                    .withCodeLifetime(Duration.ofSeconds(oidcCodeSeconds))
                    .withRefreshLifetime(Duration.ofMillis(Math.round(refreshSeconds * 1000))));
    if (queuesFile != null) {
      try {
        QueuesFile.Queues queues = QueuesFile.parse(queuesFile);
        config =
            config
                .withQueues(queues.names())
                .withMachineStates(queues.machineStates())
                .withTrouble(labTrouble.withMachines(queues.setups()));
      } catch (IOException e) {
        throw new InputException(e.getMessage());
      }
    }
    return config;
  }

  /** How the lab speaks TLS: null for plain http. */
  LabTls identity() throws InputException {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new InputException("--tls-cert and --tls-key go together: give both, or --tls");
    }
    if (tls && tlsCert != null) {
      throw new InputException(
          "--tls makes a certificate, --tls-cert/--tls-key give one: choose one of them");
    }
    if (tlsCert != null) {
      try {
        return LabTls.fromPem(tlsCert, tlsKey);
      } catch (IOException e) {
        throw new InputException(e.getMessage());
      }
    }
    return tls ? LabTls.madeAtStart() : null;
  }

  private FaultPlan faultPlan(List<Fault> kinds) throws InputException {
    List<String> routes = faultRoutes();
    if (faultRate == 0) {
      return FaultPlan.none();
    }
    FaultPlan plan = FaultPlan.random(faultRate, kinds, faultSeed);
    return routes.isEmpty() ? plan : plan.onRoutes(routes);
  }

  /** The routes of --fault-routes, checked against the lab's table; empty without the flag. */
  private List<String> faultRoutes() throws InputException {
    if (faultRoutes == null) {
      return List.of();
    }
    List<String> routes = new ArrayList<>();
    for (String item : faultRoutes.split(",", -1)) {
      if (item.isBlank()) {
        throw new InputException("--fault-routes has an empty item: '" + faultRoutes + "'");
      }
      routes.add(item.strip());
    }
    try {
      FaultPlan.none().onRoutes(routes);
    } catch (IllegalArgumentException e) {
      throw new InputException("--fault-routes: " + e.getMessage());
    }
    return routes;
  }

  private List<Fault> faultKinds() throws InputException {
    List<Fault> kinds = new ArrayList<>();
    for (String item : faultKinds.split(",", -1)) {
      if (item.isBlank()) {
        throw new InputException("--fault-kinds has an empty item: '" + faultKinds + "'");
      }
      try {
        kinds.add(Fault.parse(item));
      } catch (IllegalArgumentException e) {
        throw new InputException("--fault-kinds: " + e.getMessage());
      }
    }
    return kinds;
  }

  /** One line saying which faults are on, so a run's log tells why its client saw errors. */
  String faultsLine() throws InputException {
    String restart = restartAfter == 0 ? "" : "restart after request " + restartAfter;
    if (faultRate == 0) {
      return "faults: none" + (restart.isEmpty() ? "" : "; " + restart);
    }
    List<String> names = new ArrayList<>();
    for (Fault kind : faultKinds()) {
      names.add(
          kind instanceof Fault.Slow slow
              ? "slow " + slow.delay().toMillis() / 1000.0 + " s"
              : kind.baseKind());
    }
    return "faults: "
        + faultRate
        + " of requests get one of "
        + String.join(", ", names)
        + " (seed "
        + faultSeed
        + "), before or after handling when they change state"
        + (faultRoutes == null ? "" : ", on " + String.join(", ", faultRoutes()) + " only")
        + (restart.isEmpty() ? "" : "; " + restart);
  }

  private static Duration micros(double millis) {
    return Duration.ofNanos(Math.round(millis * 1000) * 1000);
  }
}
