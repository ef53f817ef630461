package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SearchTest {
  private static Lab lab;
  private static LabHttp http;
  private static String redBlue;
  private static String red;
  private static String blueWaiting;

  @BeforeAll
  static void startLab() throws Exception {
    lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO).withQueues(Set.of("q")));
    http = new LabHttp(lab);
    redBlue = http.submit(tagged("q", "red", "blue"));
    red = http.submit(tagged("q", "red"));
    blueWaiting = http.submit(tagged("unserved", "blue"));
    Await.until(
        "the served jobs complete",
        Duration.ofSeconds(10),
        () -> http.state(redBlue).equals("complete") && http.state(red).equals("complete"));
  }

  @AfterAll
  static void stopLab() {
    lab.close();
  }

  private static ObjectNode tagged(String queue, String... tags) {
    ObjectNode job = LabHttp.job(queue, null);
    for (String tag : tags) {
      job.withArrayProperty("tags").add(tag);
    }
    return job;
  }

  private static List<String> ids(String query) {
    HttpResponse<String> response = http.get("/v1/job/search?" + query);
    assertThat(response.statusCode()).as(query).isEqualTo(200);
    JsonNode body = LabHttp.json(response);
    assertThat(body.isArray()).as("a bare array").isTrue();
    List<String> ids = new ArrayList<>();
    for (JsonNode job : body) {
      assertThat(job.fieldNames())
          .toIterable()
          .containsExactlyInAnyOrder("job_id", "created_at", "job_state");
      ids.add(job.get("job_id").asText());
    }
    return ids;
  }

  @Test
  void anyMatchFindsJobsWithOneOfTheTags() {
    assertThat(ids("tags=blue")).containsExactly(redBlue, blueWaiting);
    assertThat(ids("tags=red&tags=blue&match=any")).containsExactly(redBlue, red, blueWaiting);
  }

  @Test
  void allMatchFindsJobsWithEveryTag() {
    assertThat(ids("tags=red&tags=blue&match=all")).containsExactly(redBlue);
  }

  @Test
  void activeStateFindsOnlyUnfinishedJobs() {
    assertThat(ids("tags=blue&tags=red&state=active")).containsExactly(blueWaiting);
  }

  @Test
  void completedStateFindsNothingWhenMachinesPostComplete() {
    assertThat(ids("tags=red&state=completed")).isEmpty();
  }

  @Test
  void statesMissingFromTheServersListAnswer422() {
    for (String state : new String[] {"waiting", "running", "complete"}) {
      HttpResponse<String> response = http.get("/v1/job/search?tags=red&state=" + state);
      assertThat(response.statusCode()).as(state).isEqualTo(422);
      assertThat(LabHttp.json(response).get("message").asText()).isEqualTo("Validation error");
    }
    assertThat(http.get("/v1/job/search?match=some").statusCode()).isEqualTo(422);
  }
}
