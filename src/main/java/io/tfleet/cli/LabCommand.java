package io.tfleet.cli;

import io.tfleet.job.InputException;
import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.lab.QueuesFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Serves a local Testflinger-compatible lab until interrupted. */
@Command(
    name = "lab",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Runs a local Testflinger-compatible server with simulated machines, until Ctrl-C.",
      "Each queue has one machine that runs test_data.test_cmds with /bin/sh."
    })
public final class LabCommand implements Callable<Integer> {
  private final Context context;

  LabCommand(Context context) {
    this.context = context;
  }

  @Option(names = "--port", paramLabel = "N", defaultValue = "8000", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--simulate", description = "Run no commands; answer an hwctl-like status line instead.")
  boolean simulate;

  @Option(names = "--phase-seconds", paramLabel = "S", defaultValue = "0.5", description = "How long each job phase lasts, in seconds; 0 allowed (default: ${DEFAULT-VALUE}).")
  double phaseSeconds;

  @Option(names = "--queues-file", paramLabel = "FILE", description = "Only these queues have a machine (one name a line); without it every queue gets one on first use.")
  Path queuesFile;

  @Option(names = "--final-state", paramLabel = "STATE", defaultValue = "complete", description = "State a finished job ends in: complete (what agents post) or completed (default: ${DEFAULT-VALUE}).")
  String finalState;

  @Option(names = "--client", paramLabel = "ID:SECRET", description = "Require credentials: a client id and secret key that may get tokens (repeatable).")
  List<String> clients = List.of();

  @Override
  public Integer call() throws InputException, IOException, InterruptedException {
    LabConfig config = config();
    CountDownLatch stopped = new CountDownLatch(1);
    Lab lab = Lab.start(config);
    Thread hook =
        new Thread(
            () -> {
              lab.close();
              stopped.countDown();
            },
            "tfleet-lab-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    context.out().println("tfleet lab listening on " + lab.url() + " (Ctrl-C to stop)");
    context.out().flush();
    stopped.await();
    return ExitCodes.OK;
  }

  LabConfig config() throws InputException {
    if (!(phaseSeconds >= 0) || Double.isInfinite(phaseSeconds)) {
      throw new InputException("--phase-seconds must be a number >= 0, not " + phaseSeconds);
    }
    if (port < 0 || port > 65535) {
      throw new InputException("--port must be between 0 and 65535, not " + port);
    }
    if (!finalState.equals("complete") && !finalState.equals("completed")) {
      throw new InputException("--final-state must be complete or completed, not " + finalState);
    }
    Map<String, String> credentials = new LinkedHashMap<>();
    for (String client : clients) {
      int colon = client.indexOf(':');
      if (colon <= 0 || colon == client.length() - 1) {
        throw new InputException("--client must be ID:SECRET");
      }
      credentials.put(client.substring(0, colon), client.substring(colon + 1));
    }
    LabConfig config =
        LabConfig.defaults()
            .withBind(bind)
            .withPort(port)
            .withSimulate(simulate)
            .withPhaseTime(Duration.ofMillis(Math.round(phaseSeconds * 1000)))
            .withFinalState(finalState)
            .withClients(credentials);
    if (queuesFile != null) {
      try {
        config = config.withQueues(QueuesFile.read(queuesFile));
      } catch (IOException e) {
        throw new InputException(e.getMessage());
      }
    }
    return config;
  }
}
