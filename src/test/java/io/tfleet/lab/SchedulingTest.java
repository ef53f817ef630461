package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulingTest {
  @TempDir Path dir;

  @Test
  void machineTakesHighestPriorityFirstThenArrivalOrder() throws Exception {
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO))) {
      LabHttp http = new LabHttp(lab);
      String blocker = http.submit(LabHttp.job("q", "sleep 30"));
      Await.until(
          "the blocker runs its test",
          Duration.ofSeconds(10),
          () -> http.state(blocker).equals("test"));
      Path order = dir.resolve("order");
      for (String[] job :
          new String[][] {{"a", "1"}, {"b", "5"}, {"c", "0"}, {"d", "5"}, {"e", "1"}}) {
        http.submit(
            LabHttp.job("q", "echo " + job[0] + " >> '" + order + "'")
                .put("job_priority", Integer.parseInt(job[1])));
      }
      // Jobs ahead: b and d (5), a (1), then e, with c last.
      JsonNode queued = LabHttp.json(http.get("/v1/queues/q/jobs"));
      assertThat(queued.size()).isEqualTo(6);

      http.cancel(blocker);
      Await.idle(lab);

      assertThat(Files.readAllLines(order)).containsExactly("b", "d", "a", "e", "c");
    }
  }

  @Test
  void positionCountsTheJobsAheadOnTheQueue() throws Exception {
    try (Lab lab = Lab.start(LabConfig.defaults().withQueues(Set.of("served")))) {
      LabHttp http = new LabHttp(lab);
      String first = http.submit(LabHttp.job("other", null));
      String second = http.submit(LabHttp.job("other", null));
      String urgent = http.submit(LabHttp.job("other", null).put("job_priority", 9));

      assertThat(http.get("/v1/job/" + urgent + "/position").body()).isEqualTo("0");
      assertThat(http.get("/v1/job/" + first + "/position").body()).isEqualTo("1");
      assertThat(http.get("/v1/job/" + second + "/position").body()).isEqualTo("2");
      for (String id : List.of(first, second, urgent)) {
        http.cancel(id);
      }
    }
  }

  @Test
  void jobOnAQueueOutsideTheQueueSetWaitsAndItsAgentsAnswer404() throws Exception {
    try (Lab lab =
        Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO).withQueues(Set.of("known")))) {
      LabHttp http = new LabHttp(lab);
      String stranded = http.submit(LabHttp.job("unknown", "true"));
      String served = http.submit(LabHttp.job("known", "true"));
      Await.until(
          "the served job completes",
          Duration.ofSeconds(10),
          () -> http.state(served).equals("complete"));

      assertThat(LabHttp.json(http.get("/v1/result/" + stranded)))
          .isEqualTo(LabHttp.json("{\"job_state\": \"waiting\"}"));
      HttpResponse<String> agents = http.get("/v1/queues/unknown/agents");
      assertThat(agents.statusCode()).isEqualTo(404);
      assertThat(LabHttp.json(agents).get("message").asText())
          .isEqualTo("Queue 'unknown' does not exist.");
      assertThat(LabHttp.json(http.get("/v1/agents/queues")).fieldNames())
          .toIterable()
          .containsExactly("known");
      JsonNode known = LabHttp.json(http.get("/v1/queues/known/agents"));
      assertThat(known.get(0).get("name").asText()).isEqualTo("known-agent");
      assertThat(known.get(0).get("state").asText()).isEqualTo("waiting");
      assertThat(lab.stats().jobsActive()).isEqualTo(1);

      // As upstream: every job the queue ever had, finished ones too.
      JsonNode knownJobs = LabHttp.json(http.get("/v1/queues/known/jobs"));
      assertThat(knownJobs.get(0).get("job_id").asText()).isEqualTo(served);
      assertThat(knownJobs.get(0).get("job_state").asText()).isEqualTo("complete");
      assertThat(knownJobs.get(0).get("job_queue").asText()).isEqualTo("known");
      assertThat(http.get("/v1/queues/never-used/jobs").statusCode()).isEqualTo(204);
      assertThat(LabHttp.json(http.get("/v1/queues/unknown/jobs")).get(0).get("job_id").asText())
          .isEqualTo(stranded);
      http.cancel(stranded);
      Await.idle(lab);
    }
  }

  @Test
  void labWithoutQueueSetServesAnyQueueOnFirstUse() throws Exception {
    try (Lab lab = Lab.start(LabConfig.defaults())) {
      LabHttp http = new LabHttp(lab);
      assertThat(http.get("/v1/queues/fresh/agents").statusCode()).isEqualTo(200);
      assertThat(LabHttp.json(http.get("/v1/agents/queues")).has("fresh")).isTrue();
    }
  }

  @Test
  void busyMachineShowsItsJobsPhase() throws Exception {
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO))) {
      LabHttp http = new LabHttp(lab);
      String id = http.submit(LabHttp.job("q", "sleep 30"));
      Await.until(
          "the job runs its test", Duration.ofSeconds(10), () -> http.state(id).equals("test"));

      JsonNode agent = LabHttp.json(http.get("/v1/queues/q/agents")).get(0);
      assertThat(agent.get("state").asText()).isEqualTo("test");
      assertThat(agent.get("job_id").asText()).isEqualTo(id);
      http.cancel(id);
      Await.idle(lab);
    }
  }

  @Test
  void manyJobsOnManyQueuesAllComplete() throws Exception {
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO))) {
      LabHttp http = new LabHttp(lab);
      Semaphore inFlight = new Semaphore(32);
      List<CompletableFuture<String>> ids = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        inFlight.acquire();
        String body = LabHttp.job("queue-" + (i % 100), null).toString();
        ids.add(
            http.sendAsync(
                    http.request("/v1/job")
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                        .build())
                .whenComplete((r, e) -> inFlight.release())
                .thenApply(r -> LabHttp.json(r).get("job_id").asText()));
      }
      CompletableFuture.allOf(ids.toArray(CompletableFuture[]::new)).join();
      Await.idle(lab);

      for (CompletableFuture<String> id : ids) {
        assertThat(http.state(id.join())).isEqualTo("complete");
      }
      assertThat(lab.stats().jobsCreated()).isEqualTo(500);
      assertThat(lab.stats().requestCount("POST /v1/job")).isEqualTo(500);
      assertThat(LabHttp.json(http.get("/v1/agents/queues")).size()).isEqualTo(100);
    }
  }
}
