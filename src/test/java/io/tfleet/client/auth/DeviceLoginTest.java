package io.tfleet.client.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tfleet.client.ApiException;
import io.tfleet.client.DeviceCode;
import io.tfleet.client.DevicePoll;
import io.tfleet.client.TokenAnswer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceLoginTest {
  private static final URI SERVER = URI.create("http://lab.example");
  private static final TokenAnswer TOKENS = new TokenAnswer("access", "refresh", 600);

  /** Records what a person would see and every wait, without waiting. */
  static final class FakePerson implements Person {
    final List<String> told = new ArrayList<>();
    final List<URI> opened = new ArrayList<>();
    final List<Duration> waits = new ArrayList<>();

    @Override
    public boolean present() {
      return true;
    }

    @Override
    public void tell(String line) {
      told.add(line);
    }

    @Override
    public void open(URI uri) {
      opened.add(uri);
    }

    @Override
    public void sleep(Duration duration) {
      waits.add(duration);
    }
  }

  private final FakePerson person = new FakePerson();
  private final Deque<Object> answers = new ArrayDeque<>();
  private final List<String> polled = new ArrayList<>();

  private DeviceLogin login() {
    return new DeviceLogin(
        id -> {
          polled.add(id);
          Object next = answers.removeFirst();
          if (next instanceof IOException e) {
            throw e;
          }
          return (DevicePoll) next;
        },
        person);
  }

  private static DeviceCode code(long intervalSeconds, long expiresSeconds) {
    return new DeviceCode(
        "req-1",
        "BCDF-GHJK",
        "http://idp/device",
        "http://idp/device?user_code=BCDF-GHJK",
        Duration.ofSeconds(intervalSeconds),
        Duration.ofSeconds(expiresSeconds));
  }

  private static DevicePoll state(DevicePoll.State state) {
    return new DevicePoll(state, null, null);
  }

  @Test
  void showsTheCodeOpensTheBrowserAndPollsAtTheServersIntervalUntilApproved() throws Exception {
    answers.add(state(DevicePoll.State.PENDING));
    answers.add(state(DevicePoll.State.PENDING));
    answers.add(new DevicePoll(DevicePoll.State.APPROVED, TOKENS, null));

    TokenAnswer got = login().await(code(2, 300), SERVER);

    assertThat(got).isSameAs(TOKENS);
    assertThat(polled).containsExactly("req-1", "req-1", "req-1");
    assertThat(person.waits)
        .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
    assertThat(String.join("\n", person.told))
        .contains("open http://idp/device and enter the code BCDF-GHJK")
        .contains("http://idp/device?user_code=BCDF-GHJK");
    assertThat(person.opened).containsExactly(URI.create("http://idp/device?user_code=BCDF-GHJK"));
  }

  @Test
  void slowDownWithRetryAfterWaitsThatLongFromThenOn() throws Exception {
    answers.add(new DevicePoll(DevicePoll.State.SLOW_DOWN, null, Duration.ofSeconds(5)));
    answers.add(state(DevicePoll.State.PENDING));
    answers.add(new DevicePoll(DevicePoll.State.APPROVED, TOKENS, null));

    login().await(code(1, 300), SERVER);

    assertThat(person.waits)
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  @Test
  void slowDownWithoutRetryAfterAddsFiveSecondsToTheInterval() throws Exception {
    answers.add(new DevicePoll(DevicePoll.State.SLOW_DOWN, null, null));
    answers.add(new DevicePoll(DevicePoll.State.SLOW_DOWN, null, null));
    answers.add(new DevicePoll(DevicePoll.State.APPROVED, TOKENS, null));

    login().await(code(1, 300), SERVER);

    assertThat(person.waits)
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(6), Duration.ofSeconds(11));
  }

  @Test
  void aDenialEndsTheLoginWithA401SayingSo() {
    answers.add(state(DevicePoll.State.PENDING));
    answers.add(state(DevicePoll.State.DENIED));

    assertThatThrownBy(() -> login().await(code(1, 300), SERVER))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("denied")
        .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(401));
  }

  @Test
  void anExpiredOrForgottenCodeEndsTheLogin() {
    answers.add(state(DevicePoll.State.EXPIRED));
    assertThatThrownBy(() -> login().await(code(1, 300), SERVER)).hasMessageContaining("expired");

    answers.clear();
    answers.add(state(DevicePoll.State.GONE));
    assertThatThrownBy(() -> login().await(code(1, 300), SERVER)).hasMessageContaining("expired");
  }

  @Test
  void pollingStopsOnceTheCodeHasRunOutEvenIfTheServerNeverSaysSo() {
    for (int i = 0; i < 10; i++) {
      answers.add(state(DevicePoll.State.PENDING));
    }

    assertThatThrownBy(() -> login().await(code(2, 5), SERVER)).hasMessageContaining("expired");
    assertThat(polled).hasSize(2); // at 2 s and 4 s; a third at 6 s would be past the code's 5 s
  }

  @Test
  void aNetworkHiccupWhilePollingIsNotTheEndOfTheLogin() throws Exception {
    answers.add(new IOException("connection reset"));
    answers.add(new DevicePoll(DevicePoll.State.APPROVED, TOKENS, null));

    assertThat(login().await(code(1, 300), SERVER)).isSameAs(TOKENS);
  }
}
