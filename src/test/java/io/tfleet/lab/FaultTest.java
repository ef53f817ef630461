package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each fault kind, seen by a real client over loopback. Every test starts its own lab. */
class FaultTest {
  private static final String SUBMIT = "POST /v1/job";
  private static final String SEARCH = "GET /v1/job/search";
  private static final String RESULT = "GET /v1/result/{id}";

  private static Lab start(FaultPlan plan) throws IOException {
    return Lab.start(LabConfig.defaults().withSimulate(true).withFaults(plan));
  }

  /** A job that stays waiting: no machine serves its queue, so tests need not wait for it. */
  private static ObjectNode held(String id) {
    return LabHttp.job("nobody", null).put("job_id", id);
  }

  private static Lab startHolding(FaultPlan plan) throws IOException {
    return Lab.start(
        LabConfig.defaults().withSimulate(true).withQueues(Set.of("q")).withFaults(plan));
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 504, 404, 403})
  void statusFaultAnswersThatStatusWithoutRetryAfter(int code) throws Exception {
    try (Lab lab = start(FaultPlan.always(SEARCH, Fault.status(code)))) {
      HttpResponse<String> response = new LabHttp(lab).get("/v1/job/search");

      assertThat(response.statusCode()).isEqualTo(code);
      assertThat(LabHttp.json(response).get("message").asText()).contains(String.valueOf(code));
      assertThat(response.headers().firstValue("Retry-After")).isEmpty();
      assertThat(lab.stats().faultsInjected()).isEqualTo(Map.of(String.valueOf(code), 1L));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {503, 429})
  void unavailableAndTooManyRequestsSayRetryAfterOneSecond(int code) throws Exception {
    try (Lab lab = start(FaultPlan.always(SEARCH, Fault.status(code)))) {
      HttpResponse<String> response = new LabHttp(lab).get("/v1/job/search");

      assertThat(response.statusCode()).isEqualTo(code);
      assertThat(response.headers().allValues("Retry-After")).containsExactly("1");
    }
  }

  @Test
  void resetBeforeHandlingDropsTheConnectionAndCreatesNothing() throws Exception {
    try (Lab lab = start(FaultPlan.firstN(SUBMIT, 1, Fault.reset()))) {
      LabHttp http = new LabHttp(lab);

      assertThatThrownBy(() -> http.postJson("/v1/job", LabHttp.job("q", null)))
          .isInstanceOf(UncheckedIOException.class)
          .hasCauseInstanceOf(IOException.class);
      assertThat(lab.stats().jobsCreated()).isZero();

      assertThat(http.postJson("/v1/job", LabHttp.job("q", null)).statusCode()).isEqualTo(200);
      assertThat(lab.stats().jobsCreated()).isEqualTo(1);
      assertThat(lab.stats().faultsInjected()).isEqualTo(Map.of("reset", 1L));
      Await.idle(lab);
    }
  }

  @Test
  void resetOnAReadIsAConnectionErrorEvenAfterTheClientRetries() throws Exception {
    // The JDK client replays a GET once when a reused connection closes without an answer, so
    // only a route that always resets is sure to surface; the second count proves the replay.
    try (Lab lab = start(FaultPlan.always(SEARCH, Fault.reset()))) {
      LabHttp http = new LabHttp(lab);
      assertThat(http.get("/v1/").statusCode()).isEqualTo(200);

      assertThatThrownBy(() -> http.get("/v1/job/search")).isInstanceOf(UncheckedIOException.class);
      assertThat(lab.stats().requestCount(SEARCH)).isBetween(1L, 2L);
      assertThat(lab.stats().faultCount("reset")).isEqualTo(lab.stats().requestCount(SEARCH));
    }
  }

  @Test
  void slowAnswersCorrectlyButLate() throws Exception {
    Duration delay = Duration.ofMillis(300);
    try (Lab lab = start(FaultPlan.firstN(SUBMIT, 1, Fault.slow(delay)))) {
      LabHttp http = new LabHttp(lab);

      long start = System.nanoTime();
      String id = http.submit(LabHttp.job("q", null));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      // The lab waits at least the delay; the upper bound only catches a hang.
      assertThat(took).isGreaterThanOrEqualTo(delay).isLessThan(Duration.ofSeconds(15));
      assertThat(http.get("/v1/job/" + id).statusCode()).isEqualTo(200);
      assertThat(lab.stats().faultsInjected()).isEqualTo(Map.of("slow", 1L));
      Await.idle(lab);
    }
  }

  @Test
  void slowDefaultsToTwoSeconds() {
    assertThat(Fault.slow().delay()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void slowAnswersHoldNoHttpThreadAndCloseDropsThem() throws Exception {
    // More slow answers pending than the lab has HTTP threads, and a quick call still passes.
    List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
    try (Lab lab = start(FaultPlan.always(SEARCH, Fault.slow(Duration.ofMinutes(5))))) {
      LabHttp http = new LabHttp(lab);
      for (int i = 0; i < 40; i++) {
        slow.add(http.sendAsync(http.request("/v1/job/search").GET().build()));
      }
      Await.until(
          "every slow request reached the lab",
          Duration.ofSeconds(10),
          () -> lab.stats().requestCount(SEARCH) == 40);

      assertThat(http.get("/v1/").statusCode()).isEqualTo(200);
      assertThat(slow).noneMatch(CompletableFuture::isDone);
    }
    // Well before the client's own 20 s timeout, so it is close() that ends them.
    Await.until(
        "close() drops the pending answers",
        Duration.ofSeconds(10),
        () -> slow.stream().allMatch(CompletableFuture::isDone));
    for (CompletableFuture<HttpResponse<String>> future : slow) {
      assertThatThrownBy(future::join).hasCauseInstanceOf(IOException.class);
    }
  }

  @Test
  void firstNFailsExactlyNRequestsThenWorks() throws Exception {
    try (Lab lab = start(FaultPlan.firstN(SEARCH, 3, Fault.status(502)))) {
      LabHttp http = new LabHttp(lab);
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        statuses.add(http.get("/v1/job/search").statusCode());
      }

      assertThat(statuses).containsExactly(502, 502, 502, 200, 200, 200);
      assertThat(lab.stats().faultsInjected()).isEqualTo(Map.of("502", 3L));
    }
  }

  @Test
  void alwaysFailsOnlyItsRouteAndCombinedPlansEachApply() throws Exception {
    FaultPlan plan =
        FaultPlan.always(SEARCH, Fault.status(404))
            .orElse(FaultPlan.firstN(RESULT, 1, Fault.status(503)));
    try (Lab lab = start(plan)) {
      LabHttp http = new LabHttp(lab);
      String id = UUID.randomUUID().toString();

      for (int i = 0; i < 5; i++) {
        assertThat(http.get("/v1/job/search").statusCode()).isEqualTo(404);
      }
      assertThat(http.get("/v1/result/" + id).statusCode()).isEqualTo(503);
      assertThat(http.get("/v1/result/" + id).statusCode()).isEqualTo(204);
      assertThat(http.get("/v1/agents/queues").statusCode()).isEqualTo(200);
      assertThat(lab.stats().faultsInjected()).isEqualTo(Map.of("404", 5L, "503", 1L));
      assertThat(lab.stats().faultsTotal()).isEqualTo(6);
    }
  }

  @Test
  void statusAfterHandlingReallyCreatedTheJob() throws Exception {
    try (Lab lab = startHolding(FaultPlan.firstN(SUBMIT, 1, Fault.status(500).onceHandled()))) {
      LabHttp http = new LabHttp(lab);
      String id = UUID.randomUUID().toString();

      assertThat(http.postJson("/v1/job", held(id)).statusCode()).isEqualTo(500);

      HttpResponse<String> job = http.get("/v1/job/" + id);
      assertThat(job.statusCode()).isEqualTo(200);
      assertThat(LabHttp.json(job).get("job_id").asText()).isEqualTo(id);
      assertThat(lab.stats().jobsCreated()).isEqualTo(1);
      assertThat(lab.stats().faultsInjected()).isEqualTo(Map.of("500-after-handling", 1L));
    }
  }

  @Test
  void resetAfterHandlingReallyCreatedTheJob() throws Exception {
    try (Lab lab = startHolding(FaultPlan.firstN(SUBMIT, 1, Fault.reset().onceHandled()))) {
      LabHttp http = new LabHttp(lab);
      String id = UUID.randomUUID().toString();

      assertThatThrownBy(() -> http.postJson("/v1/job", held(id)))
          .isInstanceOf(UncheckedIOException.class);

      assertThat(http.get("/v1/job/" + id).statusCode()).isEqualTo(200);
      assertThat(lab.stats().jobsCreated()).isEqualTo(1);
      assertThat(lab.stats().faultsInjected()).isEqualTo(Map.of("reset-after-handling", 1L));
    }
  }

  @Test
  void statusBeforeHandlingCreatedNothing() throws Exception {
    try (Lab lab = startHolding(FaultPlan.firstN(SUBMIT, 1, Fault.status(500)))) {
      LabHttp http = new LabHttp(lab);
      String id = UUID.randomUUID().toString();

      assertThat(http.postJson("/v1/job", held(id)).statusCode()).isEqualTo(500);

      assertThat(http.get("/v1/job/" + id).statusCode()).isEqualTo(204);
      assertThat(lab.stats().jobsCreated()).isZero();
    }
  }

  /** What a client saw for one request: a status, or "reset" for a connection error. */
  private static List<String> outcomes(Lab lab, int rounds) {
    LabHttp http = new LabHttp(lab);
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      String id = "00000000-0000-4000-8000-" + String.format("%012d", i);
      seen.add(outcome(() -> http.postJson("/v1/job", held(id))));
      seen.add(outcome(() -> http.get("/v1/result/" + id)));
      seen.add(outcome(() -> http.get("/v1/job/search")));
    }
    return seen;
  }

  private static String outcome(java.util.function.Supplier<HttpResponse<String>> call) {
    try {
      return String.valueOf(call.get().statusCode());
    } catch (UncheckedIOException e) {
      return "reset";
    }
  }

  @Test
  void randomWithTheSameSeedInjectsTheSameFaultsInTheSameOrder() throws Exception {
    FaultPlan plan =
        FaultPlan.random(0.4, Set.of(Fault.status(500), Fault.status(503), Fault.reset()), 7);
    List<String> first;
    LabStats firstStats;
    try (Lab lab = startHolding(plan)) {
      first = outcomes(lab, 20);
      firstStats = lab.stats();
    }
    List<String> second;
    LabStats secondStats;
    try (Lab lab =
        startHolding(
            FaultPlan.random(
                0.4, List.of(Fault.reset(), Fault.status(503), Fault.status(500)), 7))) {
      second = outcomes(lab, 20);
      secondStats = lab.stats();
    }

    assertThat(second).isEqualTo(first);
    assertThat(secondStats.faultsInjected()).isEqualTo(firstStats.faultsInjected());
    assertThat(secondStats.jobsCreated()).isEqualTo(firstStats.jobsCreated());
    // The seed gives a mix, so the comparison above is not between two lists of 200s.
    assertThat(first).contains("200", "500", "503", "reset");
    assertThat(firstStats.faultsInjected().keySet())
        .anyMatch(kind -> kind.endsWith("-after-handling"));
  }

  @Test
  void statsCountEveryInjectedFaultByKind() throws Exception {
    FaultPlan plan =
        FaultPlan.firstOf(
            FaultPlan.firstN(SEARCH, 2, Fault.status(503)),
            FaultPlan.firstN(RESULT, 1, Fault.slow(Duration.ZERO)),
            FaultPlan.firstN(SUBMIT, 1, Fault.status(500).onceHandled()));
    try (Lab lab = startHolding(plan)) {
      LabHttp http = new LabHttp(lab);
      http.get("/v1/job/search");
      http.get("/v1/job/search");
      http.get("/v1/job/search");
      http.get("/v1/result/" + UUID.randomUUID());
      http.postJson("/v1/job", held(UUID.randomUUID().toString()));

      assertThat(lab.stats().faultsInjected())
          .isEqualTo(Map.of("503", 2L, "slow", 1L, "500-after-handling", 1L));
      assertThat(lab.stats().requestCount(SEARCH)).isEqualTo(3);
    }
  }

  @Test
  void aPlanThatThrowsAnswers500AndTheLabServesOn() throws Exception {
    FaultPlan broken =
        (route, count) -> {
          if (count == 1) {
            throw new IllegalStateException("broken plan");
          }
          return java.util.Optional.empty();
        };
    try (Lab lab = start(broken)) {
      LabHttp http = new LabHttp(lab);

      assertThat(http.get("/v1/job/search").statusCode()).isEqualTo(500);
      assertThat(http.get("/v1/job/search").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aWellBehavedLabCountsNoFaults() throws Exception {
    try (Lab lab = Lab.start(LabConfig.defaults().withSimulate(true))) {
      new LabHttp(lab).get("/v1/job/search");

      assertThat(lab.stats().faultsInjected()).isEmpty();
      assertThat(lab.stats().restarts()).isZero();
    }
  }
}
