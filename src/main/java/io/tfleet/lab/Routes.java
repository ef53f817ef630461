package io.tfleet.lab;

import static io.tfleet.lab.Auth.NONE;
import static io.tfleet.lab.Auth.OPEN;
import static io.tfleet.lab.Auth.REQUIRED_WITH_CREDENTIALS;
import static io.tfleet.lab.Auth.TOKEN_IF_PRESENTED;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The lab's route table: every endpoint it serves, and what each asks of the caller's token. */
final class Routes {
  private Routes() {}

  /**
   * The keys of the counted routes, in table order. Building the table runs no endpoint, so it is
   * built here without the lab's parts just to read its keys.
   */
  static List<String> keys() {
    List<String> keys = new ArrayList<>();
    for (Router.Route route : of(new Guard(null, false), null, null, null, null, null).routes()) {
      if (route.counted()) {
        keys.add(route.key());
      }
    }
    return List.copyOf(keys);
  }

  /**
   * @param logins the device logins to serve, with OIDC on; null serves none, as a server with OIDC
   *     off
   * @param uploads where attachment archives are written while they arrive
   */
  static Router of(
      Guard guard,
      JobStore store,
      Machines machines,
      Tokens tokens,
      Path uploads,
      DeviceLogins logins) {
    JobsEndpoint jobs = new JobsEndpoint(store, machines);
    AttachmentsEndpoint attachments = new AttachmentsEndpoint(machines, uploads);
    ResultsEndpoint results = new ResultsEndpoint();
    LogsEndpoint logs = new LogsEndpoint(store);
    WaitTimesEndpoint waitTimes =
        new WaitTimesEndpoint(machines == null ? null : machines.waitTimes());
    AgentsEndpoint agents = new AgentsEndpoint(store, machines);
    TokensEndpoint tokenCalls = new TokensEndpoint(tokens);
    Router router =
        new Router(guard)
            .add("GET", "/v1/", OPEN, r -> Response.text(200, "Testflinger Server"))
            .add("POST", "/v1/job", REQUIRED_WITH_CREDENTIALS, jobs::submitJob)
            // Before /v1/job/{id}, which would otherwise take "search" for an id.
            .add("GET", "/v1/job/search", TOKEN_IF_PRESENTED, jobs::searchJobs)
            .add("GET", "/v1/job/{id}", TOKEN_IF_PRESENTED, JobEndpoint.in(store, jobs::getJob))
            .add(
                "POST",
                "/v1/job/{id}/attachments",
                REQUIRED_WITH_CREDENTIALS,
                JobEndpoint.in(store, attachments::postAttachments))
            .add("POST", "/v1/job/{id}/action", REQUIRED_WITH_CREDENTIALS, jobs::postAction)
            .add(
                "GET",
                "/v1/job/{id}/position",
                TOKEN_IF_PRESENTED,
                JobEndpoint.in(store, jobs::getPosition))
            .add(
                "GET",
                "/v1/result/{id}",
                TOKEN_IF_PRESENTED,
                JobEndpoint.in(store, results::getResult))
            // The log type is checked before the id, as upstream's route converter checks it.
            .add("GET", "/v1/result/{id}/log/{type}", TOKEN_IF_PRESENTED, logs::get)
            .add("POST", "/v1/result/{id}/log/{type}", REQUIRED_WITH_CREDENTIALS, logs::post)
            .add(
                "GET",
                "/v1/result/{id}/artifact",
                TOKEN_IF_PRESENTED,
                JobEndpoint.in(store, results::getArtifact))
            .add("GET", "/v1/agents/queues", TOKEN_IF_PRESENTED, agents::getQueues)
            .add("GET", "/v1/agents/data", TOKEN_IF_PRESENTED, agents::getAgents)
            .add("GET", "/v1/agents/data/{name}", TOKEN_IF_PRESENTED, agents::getAgent)
            .add("GET", "/v1/queues/wait_times", TOKEN_IF_PRESENTED, waitTimes::get)
            .add("GET", "/v1/queues/{queue}/agents", TOKEN_IF_PRESENTED, agents::getQueueAgents)
            .add("GET", "/v1/queues/{queue}/jobs", TOKEN_IF_PRESENTED, agents::getQueueJobs)
            // Basic credentials or a refresh token, never a Bearer token.
            .add("POST", "/v1/oauth2/token", NONE, tokenCalls::postToken)
            .add("POST", "/v1/oauth2/refresh", NONE, tokenCalls::postRefresh);
    if (logins != null) {
      DeviceLoginEndpoint device = new DeviceLoginEndpoint(logins);
      login(router, "POST", "/oidc/auth-init", device::init);
      login(router, Router.ANY, "/oidc/auth-init", device::loginMethodNotAllowed);
      login(router, "POST", "/oidc/auth-poll/{request_id...}", device::poll);
      login(router, Router.ANY, "/oidc/auth-poll/{request_id...}", device::loginMethodNotAllowed);
      login(router, Router.ANY, "/device", device::page);
    }
    return router;
  }

  /** A route of the login itself, which is no API call: never counted, never failed. */
  private static void login(
      Router router, String method, String template, Router.Endpoint endpoint) {
    router.add(new Router.Route(method, template, NONE, /* counted= */ false, endpoint));
  }
}
