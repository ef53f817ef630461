package io.tfleet.lab;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/** Settings of a lab. */
public record LabConfig(
    String bind,
    int port,
    boolean simulate,
    Duration phaseTime,
    Set<String> queues,
    String finalState,
    Duration testTimeout,
    Map<String, String> clients,
    Duration tokenLifetime,
    FaultPlan faults,
    long restartAfter,
    Map<String, String> machineStates,
    int maxCommands,
    OidcSettings oidc,
    Duration latency,
    Duration latencyJitter,
    Trouble trouble) {

  /** The states a machine can be set to by hand; in either it takes no jobs. */
  public static final Set<String> UNAVAILABLE_STATES = Set.of("offline", "maintenance");

  /**
   * Test commands at once by default: 16 per CPU. Commands that wait (sleep, I/O) cost little, and
   * 1,000 sleeping at once leave the lab answering in ~20 ms; but 1,000 busy loops on a 2-CPU host
   * took the lab 111 s to accept 1,000 submissions, and 256 of them left it answering in 4 s, while
   * 32 kept it under a second. A lab that cannot answer does not look like a server.
   */
  public static final int DEFAULT_MAX_COMMANDS = 16 * Runtime.getRuntime().availableProcessors();

  /**
   * Checks and copies the settings.
   *
   * @param queues the queues that have a machine; null means any queue gets one on first use
   * @param finalState {@code complete} (what agents post) or {@code completed} (the server's enum)
   * @param clients client_id to secret; empty means anonymous use, as a server without OIDC
   * @param faults which requests fail and how; {@link FaultPlan#none()} for a well-behaved lab
   * @param restartAfter after this many requests the lab drops every connection once and goes on
   *     serving the same jobs on the same port; 0 means never
   * @param machineStates queue to {@code offline} or {@code maintenance}: that queue's machine
   *     shows the state and takes no jobs; other machines work
   * @param maxCommands test commands that run at once, on all machines together; a machine whose
   *     command waits for a turn stays in its test phase; 0 means no limit
   * @param oidc whether every call needs a token, device logins, refresh token lifetime
   * @param latency how late every answer comes, as from a server across a network; zero for none
   * @param latencyJitter each answer's delay is {@code latency} plus or minus up to this much
   * @param trouble the lab trouble to make (failed provisions, lost jobs, agents going offline) and
   *     how machines are set up; {@link Trouble#none()} for none
   */
  public LabConfig {
    Objects.requireNonNull(bind, "bind");
    if (bind.isBlank()) {
      throw new IllegalArgumentException("bind address is blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    Objects.requireNonNull(phaseTime, "phaseTime");
    if (phaseTime.isNegative()) {
      throw new IllegalArgumentException("phaseTime < 0");
    }
    if (queues != null) {
      queues = Set.copyOf(queues);
      for (String queue : queues) {
        checkQueueName(queue);
      }
    }
    if (!"complete".equals(finalState) && !"completed".equals(finalState)) {
      throw new IllegalArgumentException(
          "finalState must be complete or completed, not " + finalState);
    }
    Objects.requireNonNull(testTimeout, "testTimeout");
    if (testTimeout.isNegative() || testTimeout.isZero()) {
      throw new IllegalArgumentException("testTimeout <= 0");
    }
    clients = Map.copyOf(Objects.requireNonNull(clients, "clients"));
    Objects.requireNonNull(tokenLifetime, "tokenLifetime");
    if (tokenLifetime.isNegative() || tokenLifetime.isZero()) {
      throw new IllegalArgumentException("tokenLifetime <= 0");
    }
    Objects.requireNonNull(faults, "faults");
    if (restartAfter < 0) {
      throw new IllegalArgumentException("restartAfter < 0");
    }
    machineStates = Map.copyOf(Objects.requireNonNull(machineStates, "machineStates"));
    for (Map.Entry<String, String> state : machineStates.entrySet()) {
      if (!UNAVAILABLE_STATES.contains(state.getValue())) {
        throw new IllegalArgumentException(
            "machine state must be offline or maintenance, not " + state.getValue());
      }
      if (queues != null && !queues.contains(state.getKey())) {
        throw new IllegalArgumentException(
            "a state for queue " + state.getKey() + ", which has no machine");
      }
    }
    if (maxCommands < 0) {
      throw new IllegalArgumentException("maxCommands < 0");
    }
    Objects.requireNonNull(oidc, "oidc");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(latencyJitter, "latencyJitter");
    if (latency.isNegative()
        || latencyJitter.isNegative()
        || latencyJitter.compareTo(latency) > 0) {
      throw new IllegalArgumentException("need 0 <= latency jitter <= latency");
    }
    Objects.requireNonNull(trouble, "trouble");
    for (String queue : trouble.machines().keySet()) {
      if (queues != null && !queues.contains(queue)) {
        throw new IllegalArgumentException("a setup for queue " + queue + ", which has no machine");
      }
    }
  }

  /** The settings before machine states, the command limit and OIDC existed. */
  public LabConfig(
      String bind,
      int port,
      boolean simulate,
      Duration phaseTime,
      Set<String> queues,
      String finalState,
      Duration testTimeout,
      Map<String, String> clients,
      Duration tokenLifetime,
      FaultPlan faults,
      long restartAfter) {
    this(
        bind,
        port,
        simulate,
        phaseTime,
        queues,
        finalState,
        testTimeout,
        clients,
        tokenLifetime,
        faults,
        restartAfter,
        Map.of(),
        DEFAULT_MAX_COMMANDS,
        OidcSettings.off(),
        Duration.ZERO,
        Duration.ZERO,
        Trouble.none());
  }

  /** The settings before faults existed: no faults, no restart. */
  public LabConfig(
      String bind,
      int port,
      boolean simulate,
      Duration phaseTime,
      Set<String> queues,
      String finalState,
      Duration testTimeout,
      Map<String, String> clients,
      Duration tokenLifetime) {
    this(
        bind,
        port,
        simulate,
        phaseTime,
        queues,
        finalState,
        testTimeout,
        clients,
        tokenLifetime,
        FaultPlan.none(),
        /* restartAfter= */ 0,
        Map.of(),
        DEFAULT_MAX_COMMANDS,
        OidcSettings.off(),
        Duration.ZERO,
        Duration.ZERO,
        Trouble.none());
  }

  /** Loopback, any free port, real commands, 50 ms phases, a machine for any queue. */
  public static LabConfig defaults() {
    return new LabConfig(
        "127.0.0.1",
        0,
        /* simulate= */ false,
        Duration.ofMillis(50),
        /* queues= */ null,
        "complete",
        Duration.ofSeconds(60),
        Map.of(),
        Duration.ofMinutes(10),
        FaultPlan.none(),
        /* restartAfter= */ 0,
        Map.of(),
        DEFAULT_MAX_COMMANDS,
        OidcSettings.off(),
        Duration.ZERO,
        Duration.ZERO,
        Trouble.none());
  }

  public LabConfig withBind(String bind) {
    return edit(b -> b.bind = bind);
  }

  public LabConfig withPort(int port) {
    return edit(b -> b.port = port);
  }

  public LabConfig withSimulate(boolean simulate) {
    return edit(b -> b.simulate = simulate);
  }

  public LabConfig withPhaseTime(Duration phaseTime) {
    return edit(b -> b.phaseTime = phaseTime);
  }

  /** Null means any queue gets a machine on first use. */
  public LabConfig withQueues(Set<String> queues) {
    return edit(b -> b.queues = queues);
  }

  public LabConfig withFinalState(String finalState) {
    return edit(b -> b.finalState = finalState);
  }

  public LabConfig withTestTimeout(Duration testTimeout) {
    return edit(b -> b.testTimeout = testTimeout);
  }

  public LabConfig withClients(Map<String, String> clients) {
    return edit(b -> b.clients = clients);
  }

  public LabConfig withTokenLifetime(Duration tokenLifetime) {
    return edit(b -> b.tokenLifetime = tokenLifetime);
  }

  /** Which requests fail and how; {@link FaultPlan#none()} turns faults off. */
  public LabConfig withFaults(FaultPlan faults) {
    return edit(b -> b.faults = faults);
  }

  /** After the n-th request, drop every connection once and keep serving; 0 means never. */
  public LabConfig withRestartAfter(long restartAfter) {
    return edit(b -> b.restartAfter = restartAfter);
  }

  /** OIDC on or off, device logins, refresh token lifetime. */
  public LabConfig withOidc(OidcSettings oidc) {
    return edit(b -> b.oidc = oidc);
  }

  /** Every answer {@code latency} late, give or take {@code jitter}. */
  public LabConfig withLatency(Duration latency, Duration jitter) {
    return edit(
        b -> {
          b.latency = latency;
          b.latencyJitter = jitter;
        });
  }

  /** Queue to {@code offline} or {@code maintenance}; the other machines work. */
  public LabConfig withMachineStates(Map<String, String> machineStates) {
    return edit(b -> b.machineStates = machineStates);
  }

  /** Test commands that run at once on all machines together; 0 means no limit. */
  public LabConfig withMaxCommands(int maxCommands) {
    return edit(b -> b.maxCommands = maxCommands);
  }

  /** The lab trouble to make, and how machines are set up. */
  public LabConfig withTrouble(Trouble trouble) {
    return edit(b -> b.trouble = trouble);
  }

  /** A copy with {@code change} made, checked by the constructor like any other. */
  private LabConfig edit(Consumer<Draft> change) {
    Draft draft = new Draft(this);
    change.accept(draft);
    return draft.build();
  }

  /** The settings while one of them is being changed. */
  private static final class Draft {
    String bind;
    int port;
    boolean simulate;
    Duration phaseTime;
    Set<String> queues;
    String finalState;
    Duration testTimeout;
    Map<String, String> clients;
    Duration tokenLifetime;
    FaultPlan faults;
    long restartAfter;
    Map<String, String> machineStates;
    int maxCommands;
    OidcSettings oidc;
    Duration latency;
    Duration latencyJitter;
    Trouble trouble;

    Draft(LabConfig c) {
      bind = c.bind;
      port = c.port;
      simulate = c.simulate;
      phaseTime = c.phaseTime;
      queues = c.queues;
      finalState = c.finalState;
      testTimeout = c.testTimeout;
      clients = c.clients;
      tokenLifetime = c.tokenLifetime;
      faults = c.faults;
      restartAfter = c.restartAfter;
      machineStates = c.machineStates;
      maxCommands = c.maxCommands;
      oidc = c.oidc;
      latency = c.latency;
      latencyJitter = c.latencyJitter;
      trouble = c.trouble;
    }

    LabConfig build() {
      return new LabConfig(
          bind,
          port,
          simulate,
          phaseTime,
          queues,
          finalState,
          testTimeout,
          clients,
          tokenLifetime,
          faults,
          restartAfter,
          machineStates,
          maxCommands,
          oidc,
          latency,
          latencyJitter,
          trouble);
    }
  }

  /** Queue names travel in URL paths, so they must be one non-blank path segment. */
  static void checkQueueName(String queue) {
    if (queue.isBlank()) {
      throw new IllegalArgumentException("blank queue name");
    }
    for (int i = 0; i < queue.length(); i++) {
      char c = queue.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '/') {
        throw new IllegalArgumentException("queue name has a space, control or '/': " + queue);
      }
    }
  }
}
