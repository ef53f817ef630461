package io.tfleet.lab;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The lab's machines in the shapes of upstream's agent endpoints. */
final class AgentData {
  /** Where every lab machine is. */
  static final String LOCATION = "tfleet-lab";

  /** The lab provisions nothing; a lab job's provision phase only passes time. */
  static final String PROVISION_TYPE = "noprovision";

  private AgentData() {}

  /** An item of {@code GET /v1/queues/<queue>/agents}. */
  static ObjectNode ofQueue(Machines.AgentView agent) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("name", agent.name());
    node.put("state", agent.state());
    node.putArray("queues").add(agent.queue());
    node.put("location", LOCATION);
    node.put("provision_type", PROVISION_TYPE);
    // Upstream clears job_id to "" when an agent is idle rather than dropping it.
    node.put("job_id", agent.jobId());
    node.put("comment", agent.comment());
    return node;
  }

  /**
   * An item of {@code GET /v1/agents/data}, and the answer of {@code GET /v1/agents/data/<name>}.
   */
  static ObjectNode full(Machines.AgentView agent) {
    ObjectNode node = ofQueue(agent);
    // Upstream's agents send location and name as their identifier.
    node.put("identifier", LOCATION + "-" + agent.name());
    node.put("updated_at", agent.updatedAt().toString());
    node.put("provision_streak_type", agent.streak().type());
    node.put("provision_streak_count", agent.streak().count());
    node.putObject("restricted_to");
    return node;
  }
}
