package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which jobs meet which trouble, decided without a server; and the setups' checks. */
class TroublePlanTest {
  private static final Trouble MIXED =
      Trouble.none()
          .withProvisionFailureRate(0.3)
          .withLoseJobRate(0.05)
          .withAgentOffline(0.1, Duration.ofSeconds(1))
          .withSeed(11);

  @Test
  void eachKindComesAtItsRateAndAJobMeetsOneAtMost() {
    Map<Trouble.Kind, Integer> seen = new EnumMap<>(Trouble.Kind.class);
    for (int q = 0; q < 100; q++) {
      for (long n = 1; n <= 100; n++) {
        seen.merge(MIXED.forJob("m" + q, n), 1, Integer::sum);
      }
    }

    assertThat(seen.get(Trouble.Kind.PROVISION_FAILS)).isBetween(2800, 3200);
    assertThat(seen.get(Trouble.Kind.JOB_LOST)).isBetween(400, 600);
    assertThat(seen.get(Trouble.Kind.AGENT_OFFLINE)).isBetween(850, 1150);
    assertThat(seen.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(10_000);
  }

  @Test
  void theSameSeedQueueAndJobNumberAlwaysMeetTheSameTroubleAndOtherSeedsDiffer() {
    Trouble again =
        Trouble.none()
            .withSeed(11)
            .withAgentOffline(0.1, Duration.ZERO)
            .withLoseJobRate(0.05)
            .withProvisionFailureRate(0.3);
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    StringBuilder other = new StringBuilder();
    for (long n = 200; n >= 1; n--) {
      a.append(MIXED.forJob("rack-1", n));
      b.append(again.forJob("rack-1", n));
      other.append(MIXED.withSeed(12).forJob("rack-1", n));
    }

    assertThat(b.toString()).isEqualTo(a.toString());
    assertThat(other.toString()).isNotEqualTo(a.toString());
  }

  @Test
  void noTroubleMeansNoneForEveryJob() {
    assertThat(Trouble.none().isNone()).isTrue();
    assertThat(Trouble.none().forJob("q", 1)).isEqualTo(Trouble.Kind.NONE);
    assertThat(Trouble.none().withProvisionFailureRate(1).forJob("q", 99))
        .isEqualTo(Trouble.Kind.PROVISION_FAILS);
  }

  @Test
  void badTroubleAndSetupsFailFast() {
    assertThatThrownBy(() -> Trouble.none().withLoseJobRate(1.1))
        .hasMessage("lose job rate must be between 0 and 1, not 1.1");
    assertThatThrownBy(() -> Trouble.none().withProvisionFailureRate(0.6).withLoseJobRate(0.5))
        .hasMessage("the trouble rates add up to more than 1");
    assertThatThrownBy(() -> Trouble.none().withAgentOffline(0.1, Duration.ofSeconds(-1)))
        .hasMessage("offlineFor < 0");
    assertThatThrownBy(() -> MachineSetup.plain().withTestStatus(256))
        .hasMessageContaining("0..255");
    assertThatThrownBy(() -> MachineSetup.plain().withProvisionStreak("meh", 1))
        .hasMessageContaining("pass or fail");
    assertThatThrownBy(() -> MachineSetup.plain().withTestOutput(-1)).hasMessageContaining("< 0");
    assertThatThrownBy(
            () ->
                LabConfig.defaults()
                    .withQueues(Set.of("a"))
                    .withTrouble(
                        Trouble.none()
                            .withMachines(Map.of("b", MachineSetup.plain().withTestStatus(1)))))
        .hasMessage("a setup for queue b, which has no machine");
    assertThat(Trouble.none().machine("anything")).isEqualTo(MachineSetup.plain());
  }
}
