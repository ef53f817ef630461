package io.tfleet.lab;

import static io.tfleet.lab.Response.array;
import static io.tfleet.lab.Response.empty;
import static io.tfleet.lab.Response.json;
import static io.tfleet.lab.Response.message;
import static io.tfleet.lab.Response.object;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code /v1/agents} and {@code /v1/queues}: the simulated machines, their queues and jobs. */
final class AgentsEndpoint {
  private final JobStore store;
  private final Machines machines;

  AgentsEndpoint(JobStore store, Machines machines) {
    this.store = store;
    this.machines = machines;
  }

  Response getQueues(Request r) {
    ObjectNode answer = object();
    for (Machines.Slot slot : machines.servedQueues()) {
      answer.put(slot.name, "Simulated machine " + slot.agent.name);
    }
    return json(200, answer);
  }

  Response getQueueAgents(Request r) {
    String queue = r.param(0);
    Machines.Agent agent = machines.agent(queue);
    if (agent == null) {
      return message(404, "Queue '" + queue + "' does not exist.");
    }
    ArrayNode agents = array();
    agents.add(AgentData.ofQueue(Machines.view(machines.slot(queue))));
    return json(200, agents);
  }

  Response getAgents(Request r) {
    ArrayNode agents = array();
    for (Machines.AgentView agent : machines.agents()) {
      agents.add(AgentData.full(agent));
    }
    return json(200, agents);
  }

  Response getAgent(Request r) {
    Machines.AgentView agent = machines.agentNamed(r.param(0));
    if (agent == null) {
      return message(404, "Agent " + r.param(0) + " does not exist.");
    }
    return json(200, AgentData.full(agent));
  }

  Response getQueueJobs(Request r) {
    String queue = r.param(0);
    ArrayNode jobs = array();
    // Every job ever submitted to the queue, finished ones too, as upstream lists them.
    for (LabJob job : store.all()) {
      if (job.queue.equals(queue)) {
        jobs.add(job.summary().put("job_queue", job.queue));
      }
    }
    return jobs.isEmpty() ? empty() : json(200, jobs);
  }
}
