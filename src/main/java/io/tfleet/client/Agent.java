package io.tfleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An agent (a machine), its state ({@code waiting}, {@code offline}, a phase name, ...), the queues
 * it serves, and how many of its last provisions failed in a row (the server's {@code
 * provision_streak_count} when its {@code provision_streak_type} is {@code fail}, else 0).
 */
public record Agent(String name, String state, List<String> queues, int failedProvisions) {
  public Agent {
    queues = List.copyOf(queues);
    if (failedProvisions < 0) {
      throw new IllegalArgumentException("failedProvisions < 0");
    }
  }

  /** The agents of a listing ({@code GET /v1/agents/data}, {@code /v1/queues/<q>/agents}). */
  static List<Agent> listOf(JsonNode answer) {
    List<Agent> agents = new ArrayList<>();
    for (JsonNode agent : answer) {
      List<String> queues = new ArrayList<>();
      agent.path("queues").forEach(q -> queues.add(q.asText()));
      boolean failing = "fail".equals(agent.path("provision_streak_type").asText(""));
      agents.add(
          new Agent(
              agent.path("name").asText(),
              agent.path("state").asText(),
              queues,
              failing ? Math.max(0, agent.path("provision_streak_count").asInt(0)) : 0));
    }
    return agents;
  }
}
