package io.tfleet.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.client.ApiException;
import io.tfleet.client.TestflingerClient;
import io.tfleet.fleet.Results;
import io.tfleet.job.RenderedJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The original script's way through a fleet, for the benchmark's comparison: one machine after
 * another, the requests its {@code testflinger} calls send, the files it writes. Its process starts
 * (one per call) are left out, so the comparison flatters it.
 */
final class OneAtATime {
  /** What a pass through the fleet took. */
  record Pass(Duration submit, Duration total, long passed) {}

  private OneAtATime() {}

  /**
   * Submits every job in turn ({@code testflinger submit}: the queue's agents, then the job), then
   * asks each remaining job its state once per round ({@code testflinger status}) and fetches each
   * finished one's result ({@code testflinger-cli results}), pausing {@code pause} between rounds.
   */
  static Pass run(TestflingerClient client, List<RenderedJob> jobs, Path out, Duration pause)
      throws IOException, ApiException, InterruptedException {
    long start = System.nanoTime();
    Map<String, String> remaining = new LinkedHashMap<>();
    for (RenderedJob job : jobs) {
      String machine = job.machine().value();
      // The original writes each rendered job to a file for the CLI to read, then deletes it.
      Path jobFile = Files.writeString(out.resolve(machine + "_tf-job.yaml"), job.yaml());
      client.queueAgents(job.queue());
      String jobId = client.submit(job.json());
      Files.delete(jobFile);
      Path folder = Files.createDirectories(out.resolve(machine));
      Files.writeString(folder.resolve("tf_job_id.txt"), jobId);
      remaining.put(machine, jobId);
    }
    Duration submit = Duration.ofNanos(System.nanoTime() - start);
    long passed = 0;
    while (true) {
      List<String> ended = new ArrayList<>();
      for (Map.Entry<String, String> job : remaining.entrySet()) {
        String state =
            client.result(job.getValue()).map(r -> r.path("job_state").asText()).orElse("");
        if (state.equals("cancelled")) {
          ended.add(job.getKey());
        } else if (state.equals("complete") || state.equals("completed")) {
          Optional<ObjectNode> result = client.result(job.getValue());
          String output = result.map(r -> r.path("test_output").asText("")).orElse("");
          Path folder = out.resolve(job.getKey());
          Files.writeString(folder.resolve("output.txt"), output);
          Files.writeString(folder.resolve("hw_status.txt"), Results.hwStatus(output));
          passed += result.filter(r -> r.path("test_status").asInt(-1) == 0).isPresent() ? 1 : 0;
          ended.add(job.getKey());
        }
      }
      ended.forEach(remaining::remove);
      if (remaining.isEmpty()) {
        return new Pass(submit, Duration.ofNanos(System.nanoTime() - start), passed);
      }
      Thread.sleep(pause.toMillis());
    }
  }
}
