package io.tfleet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.lab.LabTls;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server that moved from http to https, as a real one redirects: GETs follow it and the person is
 * told once; a POST is never sent again to the new address.
 */
class RedirectTest {
  private static Lab lab;
  private static HttpServer redirector;
  private static final List<String> seen = Collections.synchronizedList(new ArrayList<>());
  private static URI http;

  @BeforeAll
  static void start() throws Exception {
    lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO), LabTls.madeAtStart());
    redirector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    redirector.createContext(
        "/",
        exchange -> {
          seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          exchange
              .getResponseHeaders()
              .set("Location", lab.url() + exchange.getRequestURI().toString());
          exchange.sendResponseHeaders(308, -1);
          exchange.close();
        });
    redirector.start();
    http = URI.create("http://127.0.0.1:" + redirector.getAddress().getPort());
  }

  @AfterAll
  static void stop() {
    if (redirector != null) {
      redirector.stop(0);
    }
    if (lab != null) {
      lab.close();
    }
  }

  @BeforeEach
  void forget() {
    seen.clear();
  }

  private static TestflingerClient client(List<String> notices, List<String> trace) {
    NetworkSettings trusting =
        new NetworkSettings(lab.caFile().orElseThrow(), "--ca-cert", Proxies.DIRECT);
    return new TestflingerClient(
        http, Duration.ofSeconds(20), TokenSource.NONE, trace::add, trusting, notices::add);
  }

  @Test
  void getsFollowTheRedirectToHttpsAndThePersonIsToldOnce() throws Exception {
    List<String> notices = new ArrayList<>();
    List<String> trace = new ArrayList<>();
    TestflingerClient client = client(notices, trace);

    assertThat(client.allAgents()).isEmpty();
    assertThat(client.job("00000000-0000-0000-0000-000000000000")).isEmpty();

    assertThat(notices)
        .containsExactly(
            "the server "
                + http
                + " redirects to "
                + lab.url()
                + ": use --server "
                + lab.url()
                + " directly");
    assertThat(seen)
        .containsExactly("GET /v1/agents/data", "GET /v1/job/00000000-0000-0000-0000-000000000000");
    assertThat(trace.get(0)).startsWith("GET " + http + "/v1/agents/data -> 308");
    assertThat(trace.get(1)).startsWith("GET " + lab.url() + "/v1/agents/data -> 200");
  }

  @Test
  void aPostIsNotSentAgainToTheNewAddress() throws Exception {
    List<String> notices = new ArrayList<>();
    ObjectNode job = new ObjectMapper().createObjectNode().put("job_queue", "q1");

    assertThatThrownBy(() -> client(notices, new ArrayList<>()).submit(job))
        .isInstanceOf(ApiException.class)
        .hasMessage(
            "cannot submit a job: the server redirects this POST to "
                + lab.url()
                + "/v1/job, and tfleet does not send it again to another address: use --server "
                + lab.url()
                + " directly")
        .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(308));
    assertThat(seen).containsExactly("POST /v1/job");
    assertThat(lab.stats().jobsCreated()).isZero();
  }

  @Test
  void theSuggestedServerKeepsAPathTheApiLivesUnder() {
    assertThat(
            Redirects.suggestedServer(
                URI.create("http://h/tf/v1/job/1"),
                URI.create("http://h/tf"),
                URI.create("https://h/tf/v1/job/1")))
        .isEqualTo("https://h/tf");
    assertThat(
            Redirects.suggestedServer(
                URI.create("http://h/v1/agents/data"),
                URI.create("http://h"),
                URI.create("https://login.h/sso")))
        .isEqualTo("https://login.h/sso");
  }
}
