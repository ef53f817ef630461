package io.tfleet.lab;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One submitted job and what its machine did with it; every state change happens under the job's
 * monitor, so a cancel and a phase change never interleave.
 */
final class LabJob {
  /** The phases a lab machine walks, in order. */
  static final List<String> PHASES = List.of("setup", "provision", "test", "cleanup");

  /** The phases of a job with {@code reserve_data} and test commands; without either, no test. */
  static final List<String> RESERVE_PHASES =
      List.of("setup", "provision", "test", "reserve", "cleanup");

  /** The log types of {@code /v1/result/<id>/log/<type>}. */
  static final List<String> LOG_TYPES = List.of("output", "serial");

  /** Every phase the API knows, in the order results list them. */
  static final List<String> ALL_PHASES =
      List.of("setup", "provision", "firmware_update", "test", "allocate", "reserve", "cleanup");

  static final Set<String> TERMINAL = Set.of("complete", "completed", "cancelled");

  /** What the upstream agent reports for a phase it stopped because the job was cancelled. */
  static final int INTERRUPTED = 247;

  /** Best first: highest job_priority, then arrival. */
  static final Comparator<LabJob> QUEUE_ORDER =
      Comparator.comparingInt((LabJob j) -> -j.priority).thenComparingLong(j -> j.seq);

  enum Take {
    TAKEN,
    NOT_READY,
    GONE
  }

  enum Cancel {
    WAS_WAITING,
    WAS_RUNNING,
    REFUSED
  }

  /**
   * The job as {@code GET /v1/result/<id>} shows it, taken at one moment.
   *
   * @param fields every field but the phase outputs
   * @param outputs the phases whose output the result carries, to the bytes they had then; each
   *     belongs just before its {@code <phase>_status} field, and the phase in progress, which has
   *     none yet, after the others
   */
  record Result(ObjectNode fields, Map<String, Long> outputs) {}

  /** A log fragment an agent posted: its number, time, phase and text. */
  record Fragment(int number, Instant time, String phase, String text) {}

  final String id;
  final long seq;
  final String queue;
  final int priority;
  final Set<String> tags;
  final Instant createdAt;

  /** The definition as posted; never modified, so readers need no lock. */
  final ObjectNode definition;

  /** Null when the job has no test commands. */
  final String testCmds;

  final boolean attachmentsExpected;

  /** Where the phases' outputs and log fragments are kept. */
  private final OutputStore output;

  /** Serialises uploads of this job's archive, so it is unpacked once. */
  final Object uploadLock = new Object();

  private String state = "waiting";

  /** The phase the machine is in; differs from state once a client cancelled a running job. */
  private String agentPhase;

  private boolean attachmentsReceived;
  private boolean cancelRequested;
  private boolean done;
  private String agentName;
  private Process process;

  /** The packed {@code artifacts/} folder, once the test phase left one; null before or without. */
  private Path artifact;

  private final Map<String, Integer> statuses = new HashMap<>();

  /** The serial console log: only what agents post, since a lab machine has no console. */
  private final List<Fragment> serial = new ArrayList<>();

  /** The device's address, once the machine provisioned it; null before. */
  private String deviceIp;

  /**
   * Null when the job has no {@code reserve_data}; read from the definition, which never changes.
   */
  final Reservation reservation;

  LabJob(
      String id,
      long seq,
      String queue,
      int priority,
      Set<String> tags,
      Instant createdAt,
      ObjectNode definition,
      String testCmds,
      boolean attachmentsExpected,
      OutputStore output) {
    this.id = id;
    this.seq = seq;
    this.queue = queue;
    this.priority = priority;
    this.tags = Set.copyOf(tags);
    this.createdAt = createdAt;
    this.definition = definition;
    this.testCmds = testCmds;
    this.attachmentsExpected = attachmentsExpected;
    this.output = output;
    this.reservation = Reservation.of(definition);
  }

  OutputStore output() {
    return output;
  }

  /**
   * The phases this job's machine walks: {@link #PHASES}, or with {@code reserve_data} a reserve
   * phase before cleanup, where a job without {@code test_data} skips the test phase as upstream's
   * agent skips a phase the job has no data for.
   */
  List<String> phases() {
    if (reservation == null) {
      return PHASES;
    }
    if (definition.path("test_data").isObject()) {
      return RESERVE_PHASES;
    }
    return List.of("setup", "provision", "reserve", "cleanup");
  }

  /** The machine provisioned the device, which answers at {@code ip} from now on. */
  synchronized void provisioned(String ip) {
    deviceIp = ip;
  }

  synchronized String state() {
    return state;
  }

  synchronized boolean isWaiting() {
    return "waiting".equals(state);
  }

  synchronized String agentPhase() {
    return agentPhase;
  }

  synchronized boolean cancelRequested() {
    return cancelRequested;
  }

  synchronized boolean attachmentsReceived() {
    return attachmentsReceived;
  }

  synchronized void attachmentsArrived() {
    attachmentsReceived = true;
  }

  /** A machine takes the job if it still waits and its attachments are in. */
  synchronized Take take(String agent) {
    if (!"waiting".equals(state)) {
      return Take.GONE;
    }
    if (attachmentsExpected && !attachmentsReceived) {
      return Take.NOT_READY;
    }
    state = "running";
    agentPhase = "running";
    agentName = agent;
    return Take.TAKEN;
  }

  /** Returns false when a cancel tells the machine to stop before this phase. */
  synchronized boolean enterPhase(String phase) {
    if (cancelRequested) {
      return false;
    }
    state = phase;
    agentPhase = phase;
    return true;
  }

  /**
   * Records a finished phase, whose output is in {@link #output()}; returns false when a cancel
   * tells the machine to stop here, in which case the phase counts as interrupted, keeping its
   * partial output.
   */
  synchronized boolean endPhase(String phase, int status) {
    if (cancelRequested) {
      statuses.put(phase, INTERRUPTED);
      return false;
    }
    statuses.put(phase, status);
    return true;
  }

  /** The machine posts its outcome; returns true the first time the job is done. */
  synchronized boolean finish(String finalState) {
    state = finalState;
    agentPhase = null;
    return markDone();
  }

  /** Drops a waiting job that a resubmission under the same id replaced; true when it was. */
  synchronized boolean supersede() {
    if (!"waiting".equals(state)) {
      return false;
    }
    state = "cancelled";
    return markDone();
  }

  private boolean markDone() {
    if (done) {
      return false;
    }
    done = true;
    return true;
  }

  synchronized Cancel cancel() {
    if (TERMINAL.contains(state)) {
      return Cancel.REFUSED;
    }
    if ("waiting".equals(state)) {
      state = "cancelled";
      markDone();
      return Cancel.WAS_WAITING;
    }
    // As upstream: the state says cancelled at once; the machine stops at its next phase boundary
    // and then posts its outcome, which overwrites the state again.
    cancelRequested = true;
    state = "cancelled";
    if (process != null) {
      CommandRunner.killTree(process);
    }
    return Cancel.WAS_RUNNING;
  }

  /** Returns false, having killed it, when the job was cancelled while the command started. */
  synchronized boolean attachProcess(Process p) {
    if (cancelRequested) {
      CommandRunner.killTree(p);
      return false;
    }
    process = p;
    return true;
  }

  synchronized void detachProcess() {
    process = null;
  }

  synchronized Path artifact() {
    return artifact;
  }

  synchronized void artifactPacked(Path archive) {
    artifact = archive;
  }

  /** Adds to the phase's output, as one log fragment. */
  void appendLog(String phase, String text) {
    output.append(phase, text);
  }

  /**
   * Stores a fragment an agent posted, under the number it gave; upstream keeps what it is sent, so
   * a number posted twice is there twice.
   */
  synchronized void postLog(String type, Fragment fragment) {
    if (type.equals("serial")) {
      serial.add(fragment);
      serial.sort(Comparator.comparingInt(Fragment::number));
    } else {
      output.posted(fragment.number(), fragment.time(), fragment.phase(), fragment.text());
    }
  }

  /** Returns the job as {@code GET /v1/result/<id>} shows it. */
  synchronized Result result() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    Map<String, Long> outputs = new LinkedHashMap<>();
    node.put("job_state", state);
    for (String phase : ALL_PHASES) {
      Integer status = statuses.get(phase);
      if (status != null) {
        outputs.put(phase, output.size(phase));
        node.put(phase + "_status", status);
      }
    }
    // As upstream rebuilds results from the logs, the phase in progress shows its output so far.
    if (agentPhase != null
        && ALL_PHASES.contains(agentPhase)
        && !statuses.containsKey(agentPhase)
        && output.size(agentPhase) > 0) {
      outputs.put(agentPhase, output.size(agentPhase));
    }
    if (deviceIp != null) {
      ObjectNode device = node.putObject("device_info");
      device.put("agent_name", agentName);
      device.put("device_ip", deviceIp);
    }
    return new Result(node, outputs);
  }

  /**
   * Returns the job as {@code GET /v1/job/<id>} shows it: the definition as submitted, with its id.
   */
  synchronized ObjectNode definitionView() {
    ObjectNode node = definition.deepCopy();
    // Upstream's job schema loads exclude_agents with an empty default; the state is in results.
    if (!node.has("exclude_agents")) {
      node.putArray("exclude_agents");
    }
    node.put("job_id", id);
    if (attachmentsExpected) {
      node.put("attachments_status", attachmentsReceived ? "complete" : "waiting");
    }
    return node;
  }

  /** Returns the output log fragments that match the filters, oldest first. */
  List<OutputStore.Fragment> fragments(int startFragment, Instant startTimestamp, String phase) {
    return output.fragments(startFragment, startTimestamp, phase);
  }

  /** Returns the serial log's fragments that match the filters, by number. */
  synchronized List<Fragment> serialFragments(
      int startFragment, Instant startTimestamp, String phase) {
    List<Fragment> matching = new ArrayList<>();
    for (Fragment f : serial) {
      if (f.number() >= startFragment
          && (startTimestamp == null || f.time().isAfter(startTimestamp))
          && (phase == null || phase.equals(f.phase()))) {
        matching.add(f);
      }
    }
    return matching;
  }

  ObjectNode summary() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("job_id", id);
    node.put("created_at", createdAt.toString());
    node.put("job_state", state());
    return node;
  }
}
