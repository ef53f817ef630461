package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.testing.InProcess;
import io.tfleet.testing.TfleetProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault flags of {@code tfleet lab}: bad values stop it before it serves, with exit 2. A good
 * start serves until Ctrl-C, so it is not run in-process here.
 */
class LabFlagsTest {
  private static TfleetProcess.Result lab(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "lab";
    all[1] = "--port";
    all[2] = "0";
    System.arraycopy(args, 0, all, 3, args.length);
    return InProcess.run(all);
  }

  @Test
  void helpListsTheFaultFlags() {
    TfleetProcess.Result result = InProcess.run("lab", "--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .contains("--fault-rate", "--fault-kinds", "--fault-seed", "--restart-after")
        .contains("--max-commands", "offline or maintenance")
        .contains("500,503,reset,slow")
        .contains("--fault-routes", "html", "truncate", "badjson")
        .contains(
            "--provision-failure-rate",
            "--lose-job-rate",
            "--agent-offline-rate",
            "--agent-offline-seconds",
            "--trouble-seed");
  }

  @Test
  void troubleRatesOutsideZeroToOneOrAddingUpToMoreThanOneAreRefused() {
    TfleetProcess.Result high = lab("--lose-job-rate", "1.2");
    assertThat(high.exitCode()).isEqualTo(2);
    assertThat(high.err()).contains("must be numbers from 0 to 1");

    TfleetProcess.Result sum = lab("--provision-failure-rate", "0.7", "--lose-job-rate", "0.4");
    assertThat(sum.exitCode()).isEqualTo(2);
    assertThat(sum.err()).contains("add up to more than 1");

    assertThat(lab("--agent-offline-seconds", "-1").err())
        .contains("--agent-offline-seconds must be a number >= 0");
  }

  @Test
  void aBadMachineSettingInTheQueuesFileIsRefusedNamingFileAndLine(@TempDir Path dir)
      throws Exception {
    Path file = Files.writeString(dir.resolve("queues.txt"), "m1\nm2 test-status=x\n");

    TfleetProcess.Result result = lab("--queues-file", file.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains(file + ":2: queue m2: bad setting 'test-status=x'");
  }

  @Test
  void unknownFaultRouteIsRefusedNamingTheKnownOnes() {
    TfleetProcess.Result result =
        lab("--fault-rate", "1", "--fault-kinds", "503", "--fault-routes", "GET /v1/artifact");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .contains("--fault-routes: unknown route 'GET /v1/artifact'")
        .contains("GET /v1/result/{id}/artifact");
    assertThat(lab("--fault-routes", "GET /v1/job/search,,").err())
        .contains("--fault-routes has an empty item");
  }

  @Test
  void faultRateOutsideZeroToOneIsRefused() {
    for (String rate : new String[] {"1.5", "-0.1", "NaN"}) {
      TfleetProcess.Result result = lab("--fault-rate", rate);

      assertThat(result.exitCode()).as(rate).isEqualTo(2);
      assertThat(result.err()).contains("--fault-rate must be a number from 0 to 1");
    }
  }

  @Test
  void unknownFaultKindIsRefusedEvenWithFaultsOff() {
    TfleetProcess.Result result = lab("--fault-kinds", "500,boom");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--fault-kinds: unknown fault 'boom'");
  }

  @Test
  void badStatusCodeAndEmptyItemAreRefused() {
    assertThat(lab("--fault-rate", "0.1", "--fault-kinds", "999").err())
        .contains("--fault-kinds: fault status must be 200..599, not 999");
    assertThat(lab("--fault-rate", "0.1", "--fault-kinds", "500,,reset").err())
        .contains("--fault-kinds has an empty item");
    assertThat(lab("--fault-rate", "0.1", "--fault-kinds", "slow:soon").err())
        .contains("--fault-kinds: slow delay is not a number of seconds: slow:soon");
  }

  @Test
  void negativeRestartAfterIsRefused() {
    TfleetProcess.Result result = lab("--restart-after", "-1");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--restart-after must be >= 0, not -1");
  }

  @Test
  void negativeMaxCommandsIsRefused() {
    TfleetProcess.Result result = lab("--max-commands", "-1");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--max-commands must be >= 0, not -1");
  }

  @Test
  void badQueuesFileLineIsRefusedNamingFileAndLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("queues.txt"), "rq-01\nrq-02 asleep\n");

    TfleetProcess.Result result = lab("--queues-file", file.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains(file + ":2: unknown state 'asleep' for queue rq-02");
  }

  @Test
  void nonNumericSeedIsAUsageError() {
    TfleetProcess.Result result = lab("--fault-seed", "x");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--fault-seed");
  }

  @Test
  void latencyBelowItsJitterIsRefused() {
    TfleetProcess.Result result = lab("--latency", "10", "--latency-jitter", "20");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--latency and --latency-jitter");
  }

  @Test
  void everyAnswerComesNoSoonerThanTheLatency() throws Exception {
    Duration latency = Duration.ofMillis(300);
    try (Lab lab = Lab.start(LabConfig.defaults().withLatency(latency, Duration.ZERO))) {
      HttpClient http = HttpClient.newHttpClient();
      long start = System.nanoTime();
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(lab.url() + "/v1/agents/queues")).build(),
              HttpResponse.BodyHandlers.ofString());
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(answer.statusCode()).isEqualTo(200);
      // A lower bound only: how much later than the latency it comes depends on the machine.
      assertThat(took).isGreaterThanOrEqualTo(latency);
    }
  }
}
