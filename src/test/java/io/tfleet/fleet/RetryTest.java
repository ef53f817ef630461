package io.tfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tfleet.client.ApiException;
import io.tfleet.client.BadAnswerException;
import io.tfleet.client.ServerUnreachableException;
import io.tfleet.client.TestflingerClient;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which failures are tried again, how often, and for how long: the failures are made up, no clock
 * assertions. Whether the server was ever seen is the client's to know: one client has answered
 * once (from a lab), the other never reached anything.
 */
class RetryTest {
  private static Lab lab;
  private static TestflingerClient seenClient;
  private static final TestflingerClient UNSEEN =
      new TestflingerClient(URI.create("http://127.0.0.1:1"), Duration.ofSeconds(1));

  @BeforeAll
  static void seeTheServerOnce() throws Exception {
    lab = Lab.start(LabConfig.defaults());
    seenClient = new TestflingerClient(lab.url(), Duration.ofSeconds(5));
    seenClient.job("0f0e0d0c-0000-4000-8000-000000000001");
    assertThat(seenClient.serverSeen()).isTrue();
    assertThat(UNSEEN.serverSeen()).isFalse();
  }

  @AfterAll
  static void stopLab() {
    lab.close();
  }

  /** Pauses of a millisecond, so the tests wait for nothing. */
  private static final Backoff QUICK =
      new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(30));

  private final List<String> notices = new ArrayList<>();
  private final FleetEvents events =
      new FleetEvents() {
        @Override
        public void notice(String message) {
          notices.add(message);
        }
      };

  @Test
  void passingTroubleIsTriedAgainUntilItWorks() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Retry retry = new Retry(seenClient, QUICK, events); // an outage after an answer is waited out
    String answer =
        retry.run(
            "m-1",
            () -> {
              switch (calls.incrementAndGet()) {
                case 1 -> throw new ApiException(503, "busy");
                case 2 -> throw new IOException("connection reset");
                case 3 -> throw new ApiException(429, "slow down", Duration.ofMillis(1));
                default -> {
                  return "ok";
                }
              }
            });
    assertThat(answer).isEqualTo("ok");
    assertThat(calls).hasValue(4);
    assertThat(notices)
        .hasSize(3)
        .allMatch(n -> n.startsWith("m-1: ") && n.contains("trying again in"));
  }

  @Test
  void aRefusalIsNotTriedAgain() {
    AtomicInteger calls = new AtomicInteger();
    Retry retry = new Retry(seenClient, QUICK, events);
    assertThatThrownBy(
            () ->
                retry.run(
                    "m-1",
                    () -> {
                      calls.incrementAndGet();
                      throw new ApiException(422, "bad job");
                    }))
        .isInstanceOf(ApiException.class)
        .hasMessage("bad job");
    assertThat(calls).hasValue(1);
  }

  @Test
  void aServerNeverReachedFailsAtOnceButAnOutageLaterIsWaitedOut() throws Exception {
    Retry fresh = new Retry(UNSEEN, QUICK, events);
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                fresh.run(
                    "m-1",
                    () -> {
                      calls.incrementAndGet();
                      throw new ServerUnreachableException(
                          "cannot reach x: connection refused", new ConnectException());
                    }))
        .isInstanceOf(ServerUnreachableException.class);
    assertThat(calls).as("a wrong URL is said at once").hasValue(1);

    Retry seen = new Retry(seenClient, QUICK, events);
    AtomicInteger later = new AtomicInteger();
    assertThat(
            seen.run(
                "m-1",
                () -> {
                  if (later.incrementAndGet() < 3) {
                    throw new ServerUnreachableException(
                        "cannot reach x: connection refused", new ConnectException());
                  }
                  return "back";
                }))
        .isEqualTo("back");
  }

  @Test
  void triesStopWhenTheBudgetIsSpent() {
    Retry retry = new Retry(seenClient, QUICK.withBudget(Duration.ZERO), events);
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry.run(
                    "m-1",
                    () -> {
                      calls.incrementAndGet();
                      throw new ApiException(503, "busy");
                    }))
        .isInstanceOf(ApiException.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void whatMayPass() throws Exception {
    assertThat(mayPass(new ApiException(500, "x"))).isTrue();
    assertThat(mayPass(new ApiException(502, "x"))).isTrue();
    assertThat(mayPass(new ApiException(408, "x"))).isTrue();
    assertThat(mayPass(new ApiException(429, "x"))).isTrue();
    assertThat(mayPass(new ApiException(501, "x"))).as("the server lacks the feature").isFalse();
    assertThat(mayPass(new ApiException(404, "x"))).isFalse();
    assertThat(mayPass(new IOException("reset"))).isTrue();
    assertThatThrownBy(() -> seenClient.judge(new InterruptedIOException()))
        .as("an interrupt stays an interrupt")
        .isInstanceOf(InterruptedException.class);
    assertThat(mayPass(new BadAnswerException(BadAnswerException.Kind.NOT_JSON, "a page")))
        .as("a page in place of JSON")
        .isTrue();
  }

  private static boolean mayPass(Exception e) throws InterruptedException {
    return seenClient.judge(e).mayPass();
  }

  @Test
  void backoffDoublesIsCappedAndJittersInTheUpperHalf() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(800), Duration.ofMinutes(1));
    for (int i = 0; i < 50; i++) {
      assertThat(b.delayAfter(1).toMillis()).isBetween(50L, 100L);
      assertThat(b.delayAfter(3).toMillis()).isBetween(200L, 400L);
      assertThat(b.delayAfter(30).toMillis()).isBetween(400L, 800L);
    }
    assertThatThrownBy(
            () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
