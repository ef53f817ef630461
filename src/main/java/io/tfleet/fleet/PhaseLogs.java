package io.tfleet.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.tfleet.client.ApiException;
import io.tfleet.store.MachineFolder;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Map;

/**
 * Keeps what every phase of a finished job printed, beside the test output: {@code
 * <phase>_output.txt} from the result, and, for a machine that did not pass, {@code
 * <phase>_serial.txt} when the server has a serial console log for the phase. Serial logs are what
 * one reads when provisioning fails; asking for them on every passed job too would add a request
 * per job to every run.
 */
final class PhaseLogs {
  private PhaseLogs() {}

  /**
   * Files the logs of a finished job, before its result (whose file says the folder is complete). A
   * serial log that cannot be fetched is a notice, not a lost machine: the verdict does not depend
   * on it.
   */
  static void file(
      FleetRuntime rt, MachineFolder folder, String jobId, JsonNode result, boolean passed)
      throws IOException {
    for (Map.Entry<String, String> output : Results.phaseOutputs(result).entrySet()) {
      folder.writePhaseOutput(output.getKey(), output.getValue());
    }
    if (passed) {
      return;
    }
    Map<String, String> serial;
    try {
      serial = rt.client.serialLog(jobId);
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException | ApiException e) {
      rt.events.notice(folder.machine() + ": serial log not kept: " + e.getMessage());
      return;
    }
    for (Map.Entry<String, String> log : serial.entrySet()) {
      folder.writeSerialLog(log.getKey(), log.getValue());
    }
  }
}
