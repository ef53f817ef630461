package io.tfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void readsTheWaysPeopleWriteDurations() {
    assertThat(Durations.parse("90m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThat(Durations.parse("120")).isEqualTo(Duration.ofSeconds(120));
    assertThat(Durations.parse(" 2H ")).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void rejectsWhatIsNotADuration() {
    assertThatThrownBy(() -> Durations.parse("soon")).hasMessageContaining("not a duration");
    assertThatThrownBy(() -> Durations.parse("-5m")).hasMessageContaining("not a duration");
    assertThatThrownBy(() -> Durations.parse("5 m")).hasMessageContaining("not a duration");
  }

  @Test
  void formatsAsItReads() {
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(Durations.format(Duration.ofSeconds(61))).isEqualTo("1m1s");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(Durations.parse(Durations.format(Duration.ofSeconds(3725))))
        .isEqualTo(Duration.ofSeconds(3725));
  }
}
