package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The plans' decisions, without a server. */
class FaultPlanTest {
  private static final Set<Fault> KINDS = Set.of(Fault.status(500), Fault.reset(), Fault.slow());

  private static List<Optional<Fault>> decisions(FaultPlan plan, String route, int n) {
    return LongStream.rangeClosed(1, n)
        .mapToObj(count -> plan.faultFor(route, count))
        .collect(Collectors.toList());
  }

  @Test
  void randomWithTheSameSeedDecidesTheSameWhateverTheOrderOfKinds() {
    FaultPlan a = FaultPlan.random(0.3, KINDS, 42);
    FaultPlan b =
        FaultPlan.random(0.3, List.of(Fault.slow(), Fault.reset(), Fault.status(500)), 42);

    for (String route : List.of("POST /v1/job", "GET /v1/result/{id}", "GET /v1/job/search")) {
      assertThat(decisions(b, route, 500)).isEqualTo(decisions(a, route, 500));
    }
    assertThat(b).isEqualTo(a);
  }

  @Test
  void randomDependsOnlyOnRouteAndCountNotOnCallOrder() {
    FaultPlan plan = FaultPlan.random(0.5, KINDS, 3);
    List<Optional<Fault>> forward = decisions(plan, "GET /v1/result/{id}", 100);
    List<Optional<Fault>> backward = new ArrayList<>();
    for (long count = 100; count >= 1; count--) {
      plan.faultFor("GET /v1/job/search", count);
      backward.add(0, plan.faultFor("GET /v1/result/{id}", count));
    }

    assertThat(backward).isEqualTo(forward);
  }

  @Test
  void anotherSeedDecidesOtherwise() {
    assertThat(decisions(FaultPlan.random(0.5, KINDS, 2), "POST /v1/job", 200))
        .isNotEqualTo(decisions(FaultPlan.random(0.5, KINDS, 1), "POST /v1/job", 200));
  }

  @Test
  void randomInjectsAboutTheRateAndEveryKind() {
    List<Optional<Fault>> seen =
        decisions(FaultPlan.random(0.2, KINDS, 9), "GET /v1/job/{id}", 5000);

    long faulted = seen.stream().filter(Optional::isPresent).count();
    assertThat(faulted).isBetween(800L, 1200L);
    assertThat(seen.stream().flatMap(Optional::stream).map(Fault::kind).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("500", "reset", "slow");
  }

  @Test
  void randomFailsStateChangesBeforeOrAfterHandlingAndReadsOnlyBefore() {
    FaultPlan plan = FaultPlan.random(1, KINDS, 5);

    for (String route :
        List.of("POST /v1/job", "POST /v1/job/{id}/attachments", "POST /v1/job/{id}/action")) {
      assertThat(decisions(plan, route, 200))
          .extracting(f -> f.orElseThrow().afterHandling())
          .contains(true, false);
    }
    assertThat(decisions(plan, "GET /v1/result/{id}", 200))
        .allMatch(f -> f.isPresent() && !f.get().afterHandling());
  }

  @Test
  void randomNeverFailsTokenCalls() {
    FaultPlan plan = FaultPlan.random(1, KINDS, 1);

    assertThat(decisions(plan, "POST /v1/oauth2/token", 100)).allMatch(Optional::isEmpty);
    assertThat(decisions(plan, "POST /v1/oauth2/refresh", 100)).allMatch(Optional::isEmpty);
  }

  @Test
  void rateZeroNeverFails() {
    assertThat(decisions(FaultPlan.random(0, KINDS, 1), "POST /v1/job", 1000))
        .allMatch(Optional::isEmpty);
  }

  @Test
  void firstNAlwaysAndCombinations() {
    FaultPlan plan =
        FaultPlan.firstN("GET /v1/job/search", 2, Fault.status(503))
            .orElse(FaultPlan.always("GET /v1/job/search", Fault.status(404)))
            .orElse(FaultPlan.always("POST /v1/job", Fault.reset()));

    assertThat(decisions(plan, "GET /v1/job/search", 4))
        .containsExactly(
            Optional.of(Fault.status(503)),
            Optional.of(Fault.status(503)),
            Optional.of(Fault.status(404)),
            Optional.of(Fault.status(404)));
    assertThat(plan.faultFor("POST /v1/job", 1_000_000)).contains(Fault.reset());
    assertThat(plan.faultFor("GET /v1/result/{id}", 1)).isEmpty();
    assertThat(FaultPlan.none().faultFor("POST /v1/job", 1)).isEmpty();
    assertThat(FaultPlan.firstN("POST /v1/job", 0, Fault.reset()).faultFor("POST /v1/job", 1))
        .isEmpty();
  }

  @Test
  void kindsNameTheFaultAndItsTiming() {
    assertThat(Fault.status(503).kind()).isEqualTo("503");
    assertThat(Fault.status(500).onceHandled().kind()).isEqualTo("500-after-handling");
    assertThat(Fault.reset().kind()).isEqualTo("reset");
    assertThat(Fault.slow(Duration.ofMillis(5)).onceHandled().kind())
        .isEqualTo("slow-after-handling");
    assertThat(Fault.reset().onceHandled().beforeHandling()).isEqualTo(Fault.reset());
  }

  @Test
  void parseReadsCommandLineNames() {
    assertThat(Fault.parse("503")).isEqualTo(Fault.status(503));
    assertThat(Fault.parse(" Reset ")).isEqualTo(Fault.reset());
    assertThat(Fault.parse("slow")).isEqualTo(Fault.slow(Duration.ofSeconds(2)));
    assertThat(Fault.parse("slow:0.25")).isEqualTo(Fault.slow(Duration.ofMillis(250)));
    assertThatThrownBy(() -> Fault.parse("boom")).hasMessageContaining("unknown fault 'boom'");
    assertThatThrownBy(() -> Fault.parse("99")).hasMessageContaining("200..599");
    assertThatThrownBy(() -> Fault.parse("600")).hasMessageContaining("200..599");
    assertThatThrownBy(() -> Fault.parse("slow:x")).hasMessageContaining("seconds");
    assertThatThrownBy(() -> Fault.parse("slow:-1")).hasMessageContaining("< 0");
  }

  @Test
  void badPlansFailFast() {
    assertThatThrownBy(() -> FaultPlan.random(1.5, KINDS, 1))
        .hasMessageContaining("between 0 and 1");
    assertThatThrownBy(() -> FaultPlan.random(Double.NaN, KINDS, 1))
        .hasMessageContaining("between 0 and 1");
    assertThatThrownBy(() -> FaultPlan.random(0.1, Set.of(), 1)).hasMessageContaining("no fault");
    assertThatThrownBy(() -> FaultPlan.firstN("POST /v1/job", -1, Fault.reset()))
        .hasMessageContaining("n < 0");
    assertThatThrownBy(() -> Fault.slow(Duration.ofSeconds(-1))).hasMessageContaining("< 0");
  }

  @Test
  void parseReadsTheBadAnswerKinds() {
    assertThat(Fault.parse("html")).isEqualTo(Fault.html());
    assertThat(Fault.parse(" Truncate")).isEqualTo(Fault.truncate());
    assertThat(Fault.parse("badjson")).isEqualTo(Fault.badJson());
    assertThat(Fault.html().onceHandled().kind()).isEqualTo("html-after-handling");
    assertThat(Fault.badJson().kind()).isEqualTo("badjson");
    // A cut answer needs the answer, so its kind carries no timing.
    assertThat(Fault.truncate().kind()).isEqualTo("truncate");
    assertThat(Fault.truncate().beforeHandling().afterHandling()).isTrue();
    assertThatThrownBy(() -> Fault.parse("jsonish"))
        .hasMessageContaining("html, truncate or badjson");
  }

  @Test
  void randomPicksTheBadAnswerKindsAlikeForTheSameSeed() {
    List<Fault> kinds = List.of(Fault.html(), Fault.truncate(), Fault.badJson());
    List<Optional<Fault>> seen =
        decisions(FaultPlan.random(0.15, kinds, 4), "GET /v1/result/{id}", 2000);

    assertThat(
            decisions(
                FaultPlan.random(0.15, List.of(kinds.get(2), kinds.get(0), kinds.get(1)), 4),
                "GET /v1/result/{id}",
                2000))
        .isEqualTo(seen);
    assertThat(seen.stream().filter(Optional::isPresent).count()).isBetween(220L, 380L);
    assertThat(seen.stream().flatMap(Optional::stream).map(Fault::kind).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("html", "truncate", "badjson");
  }

  @Test
  void onRoutesFailsOnlyThoseRoutesAndDecidesThereAsThePlanAlone() {
    FaultPlan all = FaultPlan.random(0.5, KINDS, 8);
    FaultPlan some =
        all.onRoutes(List.of("GET /v1/result/{id}/artifact", " get   /v1/job/search "));

    assertThat(decisions(some, "GET /v1/result/{id}/artifact", 300))
        .isEqualTo(decisions(all, "GET /v1/result/{id}/artifact", 300));
    assertThat(decisions(some, "GET /v1/job/search", 300))
        .isEqualTo(decisions(all, "GET /v1/job/search", 300));
    assertThat(decisions(some, "GET /v1/result/{id}", 300)).allMatch(Optional::isEmpty);
    assertThat(decisions(some, "POST /v1/job", 300)).allMatch(Optional::isEmpty);
  }

  @Test
  void onRoutesRefusesARouteTheLabDoesNotServeNamingTheRoutesItDoes() {
    assertThatThrownBy(() -> FaultPlan.none().onRoutes(List.of("GET /v1/results/{id}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown route 'GET /v1/results/{id}'")
        .hasMessageContaining("GET /v1/result/{id}/artifact");
    assertThatThrownBy(() -> FaultPlan.none().onRoutes(List.of()))
        .hasMessageContaining("no routes");
  }

  @Test
  void routeKeysAreTheCountedRoutes() {
    assertThat(FaultPlan.routeKeys())
        .contains(
            "POST /v1/job",
            "GET /v1/job/search",
            "GET /v1/result/{id}",
            "GET /v1/result/{id}/log/{type}",
            "GET /v1/result/{id}/artifact",
            "GET /v1/agents/data")
        .doesNotHaveDuplicates()
        .noneMatch(key -> key.contains("oidc") || key.contains("/device"));
  }
}
