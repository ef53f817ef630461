package io.tfleet.fleet;

import io.tfleet.client.ApiException;
import io.tfleet.client.BadAnswerException;
import io.tfleet.client.Problem;
import io.tfleet.client.Reply;
import io.tfleet.client.TestflingerClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Tries calls to the server again while they fail in a way that may pass ({@link Problem#mayPass}),
 * with {@link Backoff} and the server's {@code Retry-After}, for up to the backoff's budget ({@code
 * --retry-for}). The client judges each failure; this decides when to try again and says so, once
 * per kind of trouble where it would repeat itself.
 */
public final class Retry {
  private final TestflingerClient client;
  private final Backoff backoff;
  private final FleetEvents events;
  private final AtomicBoolean badAnswersTold = new AtomicBoolean();

  public Retry(TestflingerClient client, Backoff backoff, FleetEvents events) {
    this.client = client;
    this.backoff = backoff;
    this.events = events;
  }

  Backoff backoff() {
    return backoff;
  }

  /**
   * Runs a call that is safe to repeat until it is answered, fails for good, or has failed for the
   * budget, pausing in the caller's thread between tries; {@code who} names what the notices are
   * about.
   */
  public <T> Reply<T> reply(String who, Reply.Call<T> call) throws InterruptedException {
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      Reply<T> reply = client.call(call);
      if (reply.ok()) {
        return reply;
      }
      Optional<Duration> pause = pauseAfter(reply.problem(), attempt, started);
      if (pause.isEmpty()) {
        return reply;
      }
      tell(who, reply.problem(), pause.get());
      Thread.sleep(pause.get().toMillis());
    }
  }

  /**
   * As {@link #reply}, for the tools that print what failed: the last failure is rethrown as it
   * was.
   */
  public <T> T run(String who, Reply.Call<T> call)
      throws IOException, ApiException, InterruptedException {
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (IOException | ApiException e) {
        Optional<Duration> pause = pauseAfter(client.judge(e), attempt, started);
        if (pause.isEmpty()) {
          throw e;
        }
        tell(who, client.judge(e), pause.get());
        Thread.sleep(pause.get().toMillis());
      }
    }
  }

  /**
   * Sends what must not exist twice, a job whose id was chosen and recorded before sending: after a
   * failure that leaves it unclear whether the server took it (no answer, a gateway error), the
   * server is asked whether it has the job before it is sent again. Returns the id the server gave,
   * or the last failure: one no machine gets past at once, others once no other try is due or
   * {@code stopped} says the run stops.
   */
  Reply<String> sendOnce(String who, String jobId, Reply.Call<String> send, BooleanSupplier stopped)
      throws InterruptedException {
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      Reply<String> reply = client.call(send);
      if (reply.ok() || reply.problem().stopsRun()) {
        return reply;
      }
      Problem problem = reply.problem();
      if (problem.mayPass()) {
        Reply<Boolean> exists = reply(who, () -> client.job(jobId).isPresent());
        if (exists.ok() && exists.value()) {
          return Reply.of(jobId);
        }
      }
      Optional<Duration> pause = pauseAfter(problem, attempt, started);
      if (pause.isEmpty() || stopped.getAsBoolean()) {
        return reply;
      }
      tell(who, problem, pause.get());
      Thread.sleep(pause.get().toMillis());
    }
  }

  /**
   * After try number {@code attempt} of a call first tried at {@code startedNanos} failed with
   * {@code problem}: how long to wait before the next try, as long as the server asked if it did;
   * empty when no other try is due.
   */
  Optional<Duration> pauseAfter(Problem problem, int attempt, long startedNanos) {
    if (!problem.mayPass()) {
      return Optional.empty();
    }
    Duration pause = backoff.delayAfter(attempt);
    if (problem.retryAfter() != null) {
      Duration asked = problem.retryAfter();
      Duration cap = backoff.max().multipliedBy(4);
      pause = asked.compareTo(cap) > 0 ? cap : asked.compareTo(pause) > 0 ? asked : pause;
    }
    Duration spent = Duration.ofNanos(System.nanoTime() - startedNanos);
    return spent.plus(pause).compareTo(backoff.budget()) > 0
        ? Optional.empty()
        : Optional.of(pause);
  }

  /**
   * Says that a call about {@code who} is tried again after {@code pause}. Answers that are not
   * JSON come in bursts from whatever sits in between: they are told once per run, in words that
   * say what to suspect.
   */
  void tell(String who, Problem problem, Duration pause) {
    if (problem.kind() == Problem.Kind.BAD_ANSWER) {
      if (badAnswersTold.compareAndSet(false, true)) {
        events.notice(
            BadAnswerException.hint()
                + " ("
                + who
                + ": "
                + problem.message()
                + "); such answers are tried again for up to "
                + Durations.format(backoff.budget())
                + " and not told again");
      }
      return;
    }
    events.notice(who + ": " + problem.message() + "; trying again in " + Durations.format(pause));
  }
}
