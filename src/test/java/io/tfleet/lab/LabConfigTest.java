package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabConfigTest {
  @Test
  void defaultsAreLoopbackAnyPortAndAnyQueue() {
    LabConfig config = LabConfig.defaults();

    assertThat(config.bind()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isZero();
    assertThat(config.simulate()).isFalse();
    assertThat(config.phaseTime()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.queues()).isNull();
    assertThat(config.finalState()).isEqualTo("complete");
    assertThat(config.testTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.clients()).isEmpty();
    assertThat(config.tokenLifetime()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.faults()).isEqualTo(FaultPlan.none());
    assertThat(config.restartAfter()).isZero();
  }

  @Test
  void withersChangeOneSettingEach() {
    LabConfig config =
        LabConfig.defaults()
            .withBind("0.0.0.0")
            .withPort(8080)
            .withSimulate(true)
            .withPhaseTime(Duration.ZERO)
            .withQueues(Set.of("a"))
            .withFinalState("completed")
            .withTestTimeout(Duration.ofSeconds(5))
            .withClients(Map.of("id", "secret"))
            .withTokenLifetime(Duration.ofSeconds(1))
            .withFaults(FaultPlan.always("POST /v1/job", Fault.reset()))
            .withRestartAfter(100);

    assertThat(config)
        .isEqualTo(
            new LabConfig(
                "0.0.0.0",
                8080,
                true,
                Duration.ZERO,
                Set.of("a"),
                "completed",
                Duration.ofSeconds(5),
                Map.of("id", "secret"),
                Duration.ofSeconds(1),
                FaultPlan.always("POST /v1/job", Fault.reset()),
                100));
  }

  @Test
  void theConstructorWithoutFaultsMeansNoFaultsAndNoRestart() {
    LabConfig d = LabConfig.defaults();

    assertThat(
            new LabConfig(
                d.bind(),
                d.port(),
                d.simulate(),
                d.phaseTime(),
                d.queues(),
                d.finalState(),
                d.testTimeout(),
                d.clients(),
                d.tokenLifetime()))
        .isEqualTo(d);
  }

  @Test
  void queuesAreCopied() {
    Set<String> queues = new HashSet<>(Set.of("a"));
    LabConfig config = LabConfig.defaults().withQueues(queues);
    queues.add("b");

    assertThat(config.queues()).containsExactly("a");
  }

  @Test
  void badSettingsFailFast() {
    LabConfig d = LabConfig.defaults();
    assertThatThrownBy(() -> d.withPort(70000)).hasMessageContaining("port");
    assertThatThrownBy(() -> d.withPhaseTime(Duration.ofMillis(-1)))
        .hasMessageContaining("phaseTime");
    assertThatThrownBy(() -> d.withFinalState("done")).hasMessageContaining("finalState");
    assertThatThrownBy(() -> d.withTestTimeout(Duration.ZERO)).hasMessageContaining("testTimeout");
    assertThatThrownBy(() -> d.withTokenLifetime(Duration.ZERO))
        .hasMessageContaining("tokenLifetime");
    assertThatThrownBy(() -> d.withQueues(Set.of("a b"))).hasMessageContaining("a b");
    assertThatThrownBy(() -> d.withBind(" ")).hasMessageContaining("bind");
    assertThatThrownBy(() -> d.withRestartAfter(-1)).hasMessageContaining("restartAfter");
    assertThatThrownBy(() -> d.withFaults(null)).hasMessageContaining("faults");
  }

  @Test
  void machineStatesMustBeOfflineOrMaintenanceOfAServedQueue() {
    LabConfig served = LabConfig.defaults().withQueues(Set.of("a", "b"));

    assertThat(served.withMachineStates(Map.of("a", "offline")).machineStates())
        .containsEntry("a", "offline");
    assertThatThrownBy(() -> served.withMachineStates(Map.of("a", "busy")))
        .hasMessage("machine state must be offline or maintenance, not busy");
    assertThatThrownBy(() -> served.withMachineStates(Map.of("c", "offline")))
        .hasMessage("a state for queue c, which has no machine");
    assertThatThrownBy(() -> LabConfig.defaults().withMaxCommands(-1))
        .hasMessage("maxCommands < 0");
  }
}
