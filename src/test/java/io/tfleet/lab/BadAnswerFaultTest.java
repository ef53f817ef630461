package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The faults that answer 200 with the wrong thing (a sign-in page, JSON cut short, JSON of the
 * wrong shape), and faults kept to some routes, seen by a real client over loopback.
 */
class BadAnswerFaultTest {
  private static final String SUBMIT = "POST /v1/job";
  private static final String SEARCH = "GET /v1/job/search";
  private static final String RESULT = "GET /v1/result/{id}";
  private static final String ARTIFACT = "GET /v1/result/{id}/artifact";

  private static Lab start(FaultPlan plan) throws IOException {
    return Lab.start(LabConfig.defaults().withSimulate(true).withFaults(plan));
  }

  /** A lab whose only machine serves queue q, so jobs on other queues wait and need no cleanup. */
  private static Lab startHolding(FaultPlan plan) throws IOException {
    return Lab.start(
        LabConfig.defaults().withSimulate(true).withQueues(Set.of("q")).withFaults(plan));
  }

  private static String finishedJob(Lab lab, String testCmds) {
    LabHttp http = new LabHttp(lab);
    String id = http.submit(LabHttp.job("q", testCmds));
    Await.idle(lab);
    return id;
  }

  @Test
  void htmlAnswersASignInPageWithStatus200() throws Exception {
    try (Lab lab = start(FaultPlan.always(SEARCH, Fault.html()))) {
      HttpResponse<String> response = new LabHttp(lab).get("/v1/job/search");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .contains("text/html; charset=utf-8");
      assertThat(response.body()).startsWith("<!DOCTYPE html>").contains("<form");
      assertThatThrownBy(() -> LabHttp.json(response)).hasMessageContaining("not JSON");
      assertThat(lab.stats().faultsInjected()).isEqualTo(Map.of("html", 1L));
    }
  }

  @Test
  void htmlBeforeHandlingCreatesNoJobAndAfterHandlingDoes() throws Exception {
    String before = UUID.randomUUID().toString();
    String after = UUID.randomUUID().toString();
    FaultPlan plan =
        (route, count) ->
            route.equals(SUBMIT) && count <= 2
                ? java.util.Optional.of(count == 1 ? Fault.html() : Fault.html().onceHandled())
                : java.util.Optional.empty();
    try (Lab lab = startHolding(plan)) {
      LabHttp http = new LabHttp(lab);

      assertThat(http.postJson("/v1/job", LabHttp.job("nobody", null).put("job_id", before)).body())
          .contains("<form");
      assertThat(http.postJson("/v1/job", LabHttp.job("nobody", null).put("job_id", after)).body())
          .contains("<form");

      assertThat(http.get("/v1/job/" + before).statusCode()).isEqualTo(204);
      assertThat(http.get("/v1/job/" + after).statusCode()).isEqualTo(200);
      assertThat(lab.stats().faultsInjected())
          .isEqualTo(Map.of("html", 1L, "html-after-handling", 1L));
    }
  }

  @Test
  void badJsonIsAnArrayWhereAnObjectIsPromisedAndAnObjectWhereAnArrayIs() throws Exception {
    FaultPlan plan =
        FaultPlan.always(RESULT, Fault.badJson())
            .orElse(FaultPlan.always(SEARCH, Fault.badJson()))
            .orElse(FaultPlan.always(SUBMIT, Fault.badJson()));
    try (Lab lab = startHolding(plan)) {
      LabHttp http = new LabHttp(lab);

      HttpResponse<String> result = http.get("/v1/result/" + UUID.randomUUID());
      HttpResponse<String> search = http.get("/v1/job/search");
      HttpResponse<String> submit = http.postJson("/v1/job", LabHttp.job("nobody", null));

      for (HttpResponse<String> response : List.of(result, search, submit)) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
      }
      assertThat(LabHttp.json(result).isArray()).isTrue();
      assertThat(LabHttp.json(result)).isEmpty();
      assertThat(LabHttp.json(submit).isArray()).isTrue();
      JsonNode object = LabHttp.json(search);
      assertThat(object.isObject()).isTrue();
      assertThat(object.has("unexpected")).isTrue();
      assertThat(lab.stats().faultCount("badjson")).isEqualTo(3);
      assertThat(lab.stats().jobsCreated()).isZero();
    }
  }

  @Test
  void truncateSendsTheFirstHalfOfTheRealAnswerWithAContentLengthThatSaysSo() throws Exception {
    // The first result read is whole, the second cut short.
    FaultPlan plan =
        (route, count) ->
            route.equals(RESULT) && count == 2
                ? java.util.Optional.of(Fault.truncate())
                : java.util.Optional.empty();
    try (Lab lab = startHolding(plan)) {
      String id = finishedJob(lab, null);
      LabHttp http = new LabHttp(lab);

      byte[] whole = http.getBytes("/v1/result/" + id).body();
      HttpResponse<byte[]> cut = http.getBytes("/v1/result/" + id);

      assertThat(cut.statusCode()).isEqualTo(200);
      assertThat(cut.body()).isEqualTo(Arrays.copyOf(whole, whole.length / 2));
      assertThat(cut.headers().firstValueAsLong("Content-Length")).hasValue(whole.length / 2L);
      assertThat(LabHttp.json(new String(whole, java.nio.charset.StandardCharsets.UTF_8)))
          .isNotNull();
      assertThatThrownBy(
              () -> LabHttp.json(new String(cut.body(), java.nio.charset.StandardCharsets.UTF_8)))
          .hasMessageContaining("not JSON");
      assertThat(lab.stats().faultsInjected()).isEqualTo(Map.of("truncate", 1L));
    }
  }

  @Test
  void truncateCutsAFileAnswerInHalfToo() throws Exception {
    FaultPlan plan =
        (route, count) ->
            route.equals(ARTIFACT) && count == 2
                ? java.util.Optional.of(Fault.truncate())
                : java.util.Optional.empty();
    try (Lab lab = Lab.start(LabConfig.defaults().withQueues(Set.of("q")).withFaults(plan))) {
      String id = finishedJob(lab, "mkdir artifacts && seq 1 20000 > artifacts/numbers.txt");
      LabHttp http = new LabHttp(lab);

      byte[] whole = http.getBytes("/v1/result/" + id + "/artifact").body();
      HttpResponse<byte[]> cut = http.getBytes("/v1/result/" + id + "/artifact");

      assertThat(whole.length).isGreaterThan(1000);
      assertThat(cut.body()).isEqualTo(Arrays.copyOf(whole, whole.length / 2));
      assertThat(cut.headers().firstValueAsLong("Content-Length")).hasValue(whole.length / 2L);
    }
  }

  @Test
  void truncateOnASubmissionCreatedTheJobBecauseTheAnswerHadToExistFirst() throws Exception {
    String id = UUID.randomUUID().toString();
    try (Lab lab = startHolding(FaultPlan.firstN(SUBMIT, 1, Fault.truncate()))) {
      LabHttp http = new LabHttp(lab);

      HttpResponse<String> cut =
          http.postJson("/v1/job", LabHttp.job("nobody", null).put("job_id", id));

      assertThat(cut.statusCode()).isEqualTo(200);
      String whole = "{\"job_id\":\"" + id + "\"}";
      assertThat(cut.body()).isEqualTo(whole.substring(0, whole.length() / 2));
      assertThat(http.get("/v1/job/" + id).statusCode()).isEqualTo(200);
      assertThat(lab.stats().faultsInjected()).isEqualTo(Map.of("truncate", 1L));
    }
  }

  @Test
  void faultsOnSomeRoutesLeaveEveryOtherRouteAlone() throws Exception {
    FaultPlan plan = FaultPlan.random(1, List.of(Fault.status(503)), 1).onRoutes(List.of(ARTIFACT));
    try (Lab lab = Lab.start(LabConfig.defaults().withQueues(Set.of("q")).withFaults(plan))) {
      String id = finishedJob(lab, "mkdir artifacts && echo x > artifacts/x.txt");
      LabHttp http = new LabHttp(lab);

      assertThat(http.get("/v1/result/" + id).statusCode()).isEqualTo(200);
      assertThat(http.get("/v1/job/search").statusCode()).isEqualTo(200);
      for (int i = 0; i < 5; i++) {
        assertThat(http.get("/v1/result/" + id + "/artifact").statusCode()).isEqualTo(503);
      }
      assertThat(lab.stats().faultsInjected()).isEqualTo(Map.of("503", 5L));
      assertThat(lab.stats().requestCount(SUBMIT)).isEqualTo(1);
    }
  }
}
