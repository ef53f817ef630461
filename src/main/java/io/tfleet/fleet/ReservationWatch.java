package io.tfleet.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.client.ApiException;
import io.tfleet.client.DeviceInfo;
import io.tfleet.client.ReservedAccess;
import io.tfleet.client.ServerUnreachableException;
import io.tfleet.client.TestflingerClient;
import io.tfleet.client.TestflingerClient.JobSummary;
import io.tfleet.fleet.Reservations.Access;
import io.tfleet.fleet.Reservations.Listener;
import io.tfleet.fleet.Reservations.Pace;
import io.tfleet.fleet.Reservations.Reserved;
import io.tfleet.store.MachineFolder;
import io.tfleet.store.OutputTree;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Looks at reservations until their machines are reachable, or until they end, every {@link
 * Pace#untilReachable}: one result request per reservation until its ssh command is known, then one
 * search per run tag for all of them, and a result request for each that ended. Each reservation
 * that ends is filed in its machine's folder.
 */
final class ReservationWatch {
  /**
   * How long a reserve phase may go without its connect line before the device's address is taken
   * instead: importing keys takes an agent seconds, a minute at worst.
   */
  static final Duration NO_LINE_AFTER = Duration.ofMinutes(1);

  private final TestflingerClient client;
  private final OutputTree tree;
  private final FleetSettings settings;
  private final Retry retry;
  private final Listener listener;
  private final Pace pace;

  ReservationWatch(
      TestflingerClient client,
      OutputTree tree,
      FleetSettings settings,
      Retry retry,
      Listener listener,
      Pace pace) {
    this.client = client;
    this.tree = tree;
    this.settings = settings;
    this.retry = retry;
    this.listener = listener;
    this.pace = pace;
  }

  /** One reservation being looked at. */
  private static final class Watched {
    Reserved reserved;
    final String tag;
    String state;
    long nextLookNanos;

    /** When a look first found the job in its reserve phase; 0 before. */
    long reserveSeenNanos;

    Instant failingSince;
    String lastProblem;

    /** The states seen so far, as {@code states.json} has them; kept here, never read back. */
    final java.util.List<MachineFolder.StateSeen> states = new java.util.ArrayList<>();

    Watched(Reserved reserved, String tag) {
      this.reserved = reserved;
      this.tag = tag;
    }
  }

  List<Reserved> watch(List<Reserved> reservations, boolean untilEnded)
      throws IOException, InterruptedException, FleetAbortedException {
    List<Watched> all = new ArrayList<>();
    for (Reserved r : reservations) {
      all.add(new Watched(r, tree.machine(r.machine()).runTag().orElse(null)));
    }
    Set<String> searchRefused = new HashSet<>();
    while (true) {
      List<Watched> going = all.stream().filter(w -> !done(w, untilEnded)).toList();
      if (going.isEmpty()) {
        break;
      }
      round(going, searchRefused);
      if (all.stream().anyMatch(w -> !done(w, untilEnded))) {
        Thread.sleep(pace.untilReachable().toMillis());
      }
    }
    return all.stream().map(w -> w.reserved).toList();
  }

  private static boolean done(Watched w, boolean untilEnded) {
    return w.reserved.over() || (!untilEnded && w.reserved.reachable());
  }

  /**
   * One round: a reservation whose machine is not reachable yet is asked for its result (its
   * reserve phase's output tells how to connect); those that are reachable are found with one
   * search per run tag, and only those no longer active are asked for their result. Where the
   * server refuses search, each is asked for its result every {@link Pace#untilEnded}.
   */
  private void round(List<Watched> going, Set<String> searchRefused)
      throws IOException, InterruptedException, FleetAbortedException {
    List<Watched> toLook = new ArrayList<>();
    Map<String, List<Watched>> byTag = new LinkedHashMap<>();
    long now = System.nanoTime();
    for (Watched w : going) {
      if (!w.reserved.reachable()) {
        toLook.add(w);
      } else if (w.tag != null && !searchRefused.contains(w.tag)) {
        byTag.computeIfAbsent(w.tag, t -> new ArrayList<>()).add(w);
      } else if (w.nextLookNanos - now <= 0) {
        w.nextLookNanos = now + pace.untilEnded().toNanos();
        toLook.add(w);
      }
    }
    for (Map.Entry<String, List<Watched>> group : byTag.entrySet()) {
      Map<String, String> active;
      try {
        active = search(group.getKey());
      } catch (ApiException e) {
        // As the monitor: a server may keep search from some clients and still answer results.
        if (e.isAuthProblem() || e.status() == 404 || e.status() == 405) {
          searchRefused.add(group.getKey());
          listener.notice("the server refuses job search; asking reservation by reservation");
        } else {
          group.getValue().forEach(w -> failing(w, e));
        }
        continue;
      } catch (InterruptedIOException e) {
        throw new InterruptedException(e.getMessage());
      } catch (IOException e) {
        group.getValue().forEach(w -> failing(w, e));
        continue;
      }
      for (Watched w : group.getValue()) {
        String state = active.get(w.reserved.jobId());
        if (state == null) {
          toLook.add(w); // no longer active: its result says how it ended
        } else {
          recovered(w);
          observe(w, state);
        }
      }
    }
    for (Watched w : toLook) {
      look(w);
    }
  }

  /** The active jobs of a run tag by id, with their states. */
  private Map<String, String> search(String tag) throws IOException, ApiException {
    Map<String, String> states = new HashMap<>();
    for (JobSummary job : client.search(List.of(tag), /* activeOnly= */ true)) {
      states.put(job.jobId(), job.state());
    }
    return states;
  }

  private static void recovered(Watched w) {
    w.failingSince = null;
    w.lastProblem = null;
  }

  /** Records a state the job was first seen in, in its machine's {@code states.json}. */
  private void observe(Watched w, String state) throws IOException {
    if (state != null && !state.equals(w.state)) {
      w.states.add(new MachineFolder.StateSeen(state, Instant.now()));
      tree.machine(w.reserved.machine()).writeStates(w.states);
      w.state = state;
    }
  }

  /** Asks for the job's result once, and tells what changed. */
  private void look(Watched w) throws IOException, InterruptedException, FleetAbortedException {
    Reserved r = w.reserved;
    MachineFolder folder = tree.machine(r.machine());
    Optional<ObjectNode> answer;
    try {
      answer = client.result(r.jobId());
    } catch (ApiException e) {
      if (e.isAuthProblem()) {
        throw new FleetAbortedException(e.getMessage(), e);
      }
      if (client.judge(e).mayPass()) {
        failing(w, e);
      } else {
        // The job may well go on: nothing is filed, a later tfleet monitor files it.
        end(w, r.with(r.access(), null, "cannot watch the reservation: " + e.getMessage()));
      }
      return;
    } catch (InterruptedIOException e) {
      throw new InterruptedException(e.getMessage());
    } catch (IOException e) {
      if (e instanceof ServerUnreachableException && !client.serverSeen()) {
        throw new FleetAbortedException(e.getMessage(), e);
      }
      failing(w, e);
      return;
    }
    recovered(w);
    if (answer.isEmpty()) {
      String reason = "no such job on the server (unknown, or expired after 7 days)";
      folder.writeError(reason);
      end(w, r.with(r.access(), null, reason));
      return;
    }
    ObjectNode result = answer.get();
    String state = Results.state(result);
    observe(w, state);
    if ("reserve".equals(state) && w.reserveSeenNanos == 0) {
      w.reserveSeenNanos = System.nanoTime();
    }
    // A reservation that ended before it was seen reachable can be reached no more.
    if (!r.reachable() && !Results.isTerminal(state)) {
      Duration inReserve =
          w.reserveSeenNanos == 0
              ? Duration.ZERO
              : Duration.ofNanos(System.nanoTime() - w.reserveSeenNanos);
      Optional<Access> access = access(result, state, inReserve);
      if (access.isPresent()) {
        r = r.with(access.get(), null, null);
        w.reserved = r;
        listener.reachable(r.machine(), access.get());
      }
    }
    if (Results.isTerminal(state)) {
      file(folder, result, state);
      end(
          w,
          r.with(
              r.access(),
              state,
              r.reachable()
                  ? null
                  : "it ended before its machine was reachable: " + Results.failureReason(result)));
    }
  }

  private void end(Watched w, Reserved ended) {
    w.reserved = ended;
    listener.ended(ended);
  }

  /** Files an ended reservation as the monitor files a job: phase outputs, then the result. */
  private void file(MachineFolder folder, ObjectNode result, String state) throws IOException {
    for (Map.Entry<String, String> output : Results.phaseOutputs(result).entrySet()) {
      folder.writePhaseOutput(output.getKey(), output.getValue());
    }
    String test = Results.testOutput(result);
    String hw = Results.hwStatus(test, settings.statusPattern());
    folder.writeResult(result, Results.isCompleted(state) ? test : null, hw);
  }

  /**
   * A look that failed in a way that may pass: told once per problem, and after {@link
   * FleetSettings#giveUpAfter} without an answer the reservation is no longer waited for.
   */
  private void failing(Watched w, Exception e) {
    Instant now = Instant.now();
    if (w.failingSince == null) {
      w.failingSince = now;
    }
    if (Duration.between(w.failingSince, now).compareTo(settings.giveUpAfter()) >= 0) {
      Reserved r = w.reserved;
      end(
          w,
          r.with(
              r.access(),
              null,
              "no answer for "
                  + Durations.format(settings.giveUpAfter())
                  + " ("
                  + e.getMessage()
                  + "); the machine may still be reserved"));
      return;
    }
    if (!e.getMessage().equals(w.lastProblem)) {
      w.lastProblem = e.getMessage();
      listener.notice(w.reserved.machine() + ": " + e.getMessage() + " (will keep trying)");
    }
  }

  /**
   * How to reach the machine, once its device is known: the connect line of the reserve phase's
   * output, else, once the job has been in its reserve phase for {@link #NO_LINE_AFTER} ({@code
   * inReserve}) without one, {@code ssh ubuntu@<device_ip>}: an agent that prints no such line. Not
   * sooner: an agent enters the phase, then imports the keys, then prints the line, and the machine
   * lets nobody in before.
   */
  static Optional<Access> access(JsonNode result, String state, Duration inReserve) {
    Optional<DeviceInfo> device = DeviceInfo.of(result);
    if (device.isEmpty()) {
      return Optional.empty();
    }
    JsonNode output = result.get("reserve_output");
    Optional<ReservedAccess> line =
        ReservedAccess.parse(output == null || output.isNull() ? null : output.asText());
    if (line.isPresent()) {
      String until = line.get().expiresAt();
      // Microseconds say nothing to a person deciding how long they have.
      return Optional.of(
          new Access(
              line.get().sshCommand(), until == null ? null : until.replaceFirst("\\.[0-9]+", "")));
    }
    if ("reserve".equals(state) && inReserve.compareTo(NO_LINE_AFTER) >= 0) {
      return Optional.of(new Access("ssh ubuntu@" + device.get().deviceIp(), null));
    }
    return Optional.empty();
  }
}
