package io.tfleet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.client.WatchApi.AgentStatus;
import io.tfleet.fleet.Durations;
import io.tfleet.fleet.QueueSurvey.QueueState;
import io.tfleet.fleet.QueueSurvey.Row;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Prints a queue survey: a table with a line per machine and the totals, or the same as JSON. */
final class QueuesTable {
  private static final String[] HEADERS = {
    "MACHINE", "QUEUE", "STATE", "WAITING", "P50 WAIT", "P90 WAIT", "PROVISIONS", "AGENTS"
  };

  private QueuesTable() {}

  static String word(QueueState state) {
    return state == QueueState.NO_AGENT ? "no agent" : state.name().toLowerCase(Locale.ROOT);
  }

  static void print(List<Row> rows, PrintStream out) {
    List<String[]> lines = new ArrayList<>();
    lines.add(HEADERS);
    for (Row row : rows) {
      List<String> agents = new ArrayList<>();
      List<String> streaks = new ArrayList<>();
      for (AgentStatus agent : row.agents()) {
        agents.add(agent.name() + " " + agent.state());
        streaks.add(
            agent.provisionStreakType() == null
                ? "-"
                : agent.provisionStreakType() + " " + agent.provisionStreakCount());
      }
      lines.add(
          new String[] {
            row.machine(),
            row.queue(),
            word(row.state()),
            row.jobsWaiting() == null ? "-" : row.jobsWaiting().toString(),
            wait(row.p50()),
            wait(row.p90()),
            streaks.isEmpty() ? "-" : String.join(", ", streaks),
            agents.isEmpty() ? "-" : String.join(", ", agents)
          });
    }
    int[] widths = new int[HEADERS.length];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    for (String[] line : lines) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        text.append(line[i]);
        if (i < line.length - 1) {
          text.append(" ".repeat(widths[i] - line[i].length() + 2));
        }
      }
      out.println(text.toString().stripTrailing());
    }
    out.println(totals(rows));
  }

  private static String wait(Duration d) {
    return d == null
        ? "-"
        : Durations.format(Duration.ofSeconds(Math.round(d.toMillis() / 1000.0)));
  }

  /** {@code 1000 machines: 990 available, 6 busy, 4 offline; 7 jobs waiting}. */
  static String totals(List<Row> rows) {
    Map<QueueState, Integer> counts = new EnumMap<>(QueueState.class);
    rows.forEach(r -> counts.merge(r.state(), 1, Integer::sum));
    List<String> parts = new ArrayList<>();
    for (QueueState state : QueueState.values()) {
      int n = counts.getOrDefault(state, 0);
      if (n > 0 || state != QueueState.NO_AGENT) {
        parts.add(n + " " + (state == QueueState.NO_AGENT ? "without an agent" : word(state)));
      }
    }
    int waiting = waitingJobs(rows);
    return rows.size()
        + (rows.size() == 1 ? " machine: " : " machines: ")
        + String.join(", ", parts)
        + "; "
        + waiting
        + (waiting == 1 ? " job" : " jobs")
        + " waiting";
  }

  /** Jobs waiting, each queue counted once however many machines share it. */
  private static int waitingJobs(List<Row> rows) {
    Map<String, Integer> byQueue = new TreeMap<>();
    rows.forEach(
        r -> {
          if (r.jobsWaiting() != null) {
            byQueue.put(r.queue(), r.jobsWaiting());
          }
        });
    return byQueue.values().stream().mapToInt(Integer::intValue).sum();
  }

  static void printJson(List<Row> rows, PrintStream out) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    ArrayNode machines = root.putArray("machines");
    for (Row row : rows) {
      ObjectNode m = machines.addObject();
      m.put("machine", row.machine());
      m.put("queue", row.queue());
      m.put("state", row.state().name().toLowerCase(Locale.ROOT));
      if (row.jobsWaiting() == null) {
        m.putNull("jobs_waiting");
      } else {
        m.put("jobs_waiting", row.jobsWaiting());
      }
      seconds(m, "wait_p50_seconds", row.p50());
      seconds(m, "wait_p90_seconds", row.p90());
      ArrayNode agents = m.putArray("agents");
      for (AgentStatus agent : row.agents()) {
        ObjectNode a = agents.addObject();
        a.put("name", agent.name());
        a.put("state", agent.state());
        a.put("job_id", agent.jobId());
        if (agent.provisionStreakType() == null) {
          a.putNull("provision_streak_type");
        } else {
          a.put("provision_streak_type", agent.provisionStreakType());
        }
        a.put("provision_streak_count", agent.provisionStreakCount());
      }
    }
    ObjectNode totals = root.putObject("totals");
    totals.put("machines", rows.size());
    for (QueueState state : QueueState.values()) {
      totals.put(
          state.name().toLowerCase(Locale.ROOT),
          rows.stream().filter(r -> r.state() == state).count());
    }
    totals.put("jobs_waiting", waitingJobs(rows));
    out.println(root.toPrettyString());
  }

  private static void seconds(ObjectNode node, String field, Duration d) {
    if (d == null) {
      node.putNull(field);
    } else {
      node.put(field, d.toMillis() / 1000.0);
    }
  }
}
