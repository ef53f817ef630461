package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import io.tfleet.lab.MachineSetup;
import io.tfleet.lab.OutputPattern;
import io.tfleet.lab.Trouble;
import io.tfleet.testing.FleetFiles;
import io.tfleet.testing.TfleetProcess;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Big test outputs never cost a result: tfleet with a 128 MB heap files 32 machines' 32 MB outputs
 * and one machine's 200 MB, each byte for byte, because results stream to disk. (The benchmark
 * prints the peak heap of the same fleet; see docs/scale.md.)
 */
@Order(1) // among the longest: started first (docs/development.md)
class BigOutputsIT {
  private static final long MB = 1024 * 1024;

  @TempDir Path dir;

  @Test
  void thirtyTwoTimes32MbAndOne200MbOutputPassWithA128MbHeapAndEveryOutputIsExact()
      throws Exception {
    Map<String, Long> sizes = new LinkedHashMap<>();
    for (int i = 1; i <= 32; i++) {
      sizes.put(String.format("big-%02d", i), 32 * MB);
    }
    sizes.put("huge-01", 200 * MB);
    Map<String, MachineSetup> setups = new LinkedHashMap<>();
    sizes.forEach((m, n) -> setups.put(m, MachineSetup.plain().withTestOutput(n)));
    LabConfig config =
        LabConfig.defaults()
            .withSimulate(true)
            .withPhaseTime(Duration.ofMillis(20))
            .withTrouble(Trouble.none().withMachines(setups));
    try (Lab lab = Lab.start(config)) {
      Path machines = FleetFiles.machines(dir, new ArrayList<>(sizes.keySet()));
      Path template = FleetFiles.template(dir, "job_queue: $CANONICAL_ID\n");
      TfleetProcess.Result run =
          TfleetProcess.start(
                  dir,
                  Map.of(),
                  List.of("-Xmx128m"),
                  "--server",
                  lab.url().toString(),
                  "--machines-file",
                  machines.toString(),
                  "--template-file",
                  template.toString(),
                  "--output-dir",
                  "out",
                  "--poll-interval",
                  "0.5",
                  "-q")
              .await(Duration.ofMinutes(4));

      assertThat(run.exitCode()).as(run.toString()).isZero();
      for (Map.Entry<String, Long> machine : sizes.entrySet()) {
        String m = machine.getKey();
        Path output = dir.resolve("out").resolve(m).resolve("output.txt");
        String prefix = "{\"status\": \"Certified\", \"machine\": \"" + m + "-agent\"}\n";
        assertThat(Files.size(output)).as(m).isEqualTo(prefix.length() + machine.getValue());
        assertThat(sha256(output))
            .as(m)
            .isEqualTo(OutputPattern.sha256(prefix, machine.getValue()));
        assertThat(dir.resolve("out").resolve(m).resolve("hw_status.txt"))
            .content()
            .isEqualTo("Certified");
      }
    }
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
