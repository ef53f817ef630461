package io.tfleet.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.client.ApiException;
import io.tfleet.client.DeviceInfo;
import io.tfleet.client.ReservedAccess;
import io.tfleet.client.ServerUnreachableException;
import io.tfleet.client.TestflingerClient;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Looks at reservations until their machines are reachable, or until they end: one result request
 * per reservation and look, every {@link Pace#untilReachable} until its ssh command is known, then
 * every {@link Pace#untilEnded}. Each reservation that ends is filed in its machine's folder.
 */
final class ReservationWatch {
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
    String state;
    long nextLookNanos;
    Instant failingSince;
    String lastProblem;

    Watched(Reserved reserved) {
      this.reserved = reserved;
    }
  }

  List<Reserved> watch(List<Reserved> reservations, boolean untilEnded)
      throws IOException, InterruptedException, FleetAbortedException {
    List<Watched> all = new ArrayList<>();
    reservations.forEach(r -> all.add(new Watched(r)));
    while (true) {
      long now = System.nanoTime();
      long next = Long.MAX_VALUE;
      for (Watched w : all) {
        if (done(w, untilEnded)) {
          continue;
        }
        if (w.nextLookNanos - now <= 0) {
          look(w);
          Duration pause = w.reserved.reachable() ? pace.untilEnded() : pace.untilReachable();
          w.nextLookNanos = System.nanoTime() + pause.toNanos();
        }
        if (!done(w, untilEnded)) {
          next = Math.min(next, w.nextLookNanos);
        }
      }
      if (next == Long.MAX_VALUE) {
        break;
      }
      long wait = next - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
    }
    return all.stream().map(w -> w.reserved).toList();
  }

  private static boolean done(Watched w, boolean untilEnded) {
    return w.reserved.over() || (!untilEnded && w.reserved.reachable());
  }

  /** Asks for the job's result once, and tells what changed. */
  private void look(Watched w) throws IOException, InterruptedException, FleetAbortedException {
    Reserved r = w.reserved;
    MachineFolder folder = tree.machine(r.machine());
    Optional<ObjectNode> answer;
    try {
      answer = client.result(r.jobId());
      retry.answered();
    } catch (ApiException e) {
      retry.answered();
      if (e.isAuthProblem()) {
        throw new FleetAbortedException(e.getMessage(), e);
      }
      if (Retry.isPassing(e)) {
        failing(w, e);
      } else {
        // The job may well go on: nothing is filed, a later tfleet monitor files it.
        end(w, r.with(r.access(), null, "cannot watch the reservation: " + e.getMessage()));
      }
      return;
    } catch (InterruptedIOException e) {
      throw new InterruptedException(e.getMessage());
    } catch (IOException e) {
      if (e instanceof ServerUnreachableException && !retry.serverSeen()) {
        throw new FleetAbortedException(e.getMessage(), e);
      }
      failing(w, e);
      return;
    }
    w.failingSince = null;
    w.lastProblem = null;
    if (answer.isEmpty()) {
      String reason = "no such job on the server (unknown, or expired after 7 days)";
      folder.writeError(reason);
      end(w, r.with(r.access(), null, reason));
      return;
    }
    ObjectNode result = answer.get();
    String state = Results.state(result);
    if (state != null && !state.equals(w.state)) {
      folder.recordState(state, Instant.now());
      w.state = state;
    }
    if (!r.reachable()) {
      Optional<Access> access = access(result, state);
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
   * output, else, while the job is in its reserve phase, {@code ssh ubuntu@<device_ip>} (an agent
   * that prints no such line).
   */
  static Optional<Access> access(JsonNode result, String state) {
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
    if ("reserve".equals(state)) {
      return Optional.of(new Access("ssh ubuntu@" + device.get().deviceIp(), null));
    }
    return Optional.empty();
  }
}
