package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EtaTest {
  private static long seconds(long s) {
    return Duration.ofSeconds(s).toNanos();
  }

  @Test
  void noEtaUntilFivePercentOfTheFleetHasFinished() {
    Eta eta = new Eta(200);
    assertThat(eta.sample()).isEqualTo(10);
    assertThat(eta.left(seconds(60), 9)).isEmpty();
    assertThat(eta.left(seconds(60), 10)).contains(Duration.ofMinutes(19));
    assertThat(new Eta(3).sample()).isEqualTo(1);
    assertThat(eta.left(seconds(600), 200)).isEmpty();
  }

  @Test
  void betweenFinishesTheEtaCountsDown() {
    Eta eta = new Eta(100);
    assertThat(eta.left(seconds(100), 10)).contains(Duration.ofMinutes(15));
    assertThat(eta.left(seconds(400), 10)).contains(Duration.ofMinutes(10));
  }

  @Test
  void aBurstOfFinishesMovesTheEtaOnlyPartOfTheWay() {
    Eta eta = new Eta(100);
    assertThat(eta.left(seconds(100), 10)).contains(Duration.ofMinutes(15)); // finish at 1000 s
    // 40 more at once: the pace says 250 s in all; the finish moves a quarter of the way, to 850 s.
    Optional<Duration> left = eta.left(seconds(200), 50);
    assertThat(left).contains(Duration.ofMinutes(11));
  }

  @Test
  void roundedToSecondsUnderAMinuteThenMinutes() {
    assertThat(Eta.round(Duration.ofMillis(400))).isEqualTo(Duration.ofSeconds(1));
    assertThat(Eta.round(Duration.ofSeconds(59))).isEqualTo(Duration.ofSeconds(59));
    assertThat(Eta.round(Duration.ofSeconds(89))).isEqualTo(Duration.ofMinutes(1));
    assertThat(Eta.round(Duration.ofSeconds(91))).isEqualTo(Duration.ofMinutes(2));
  }
}
