package io.tfleet.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tfleet.fleet.Results;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Memory does not grow with the output: a 200 MB test output goes through the reader in a JVM whose
 * whole heap is 32 MB, a twelfth of what the output's characters alone would take.
 */
class StreamingMemoryTest {
  private static final long OUTPUT_CHARS = 200L * 1024 * 1024;
  private static final String HEAP = "32m";

  private static String locationOf(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  @Test
  void aTwoHundredMegabyteTestOutputStreamsThroughAThirtyTwoMegabyteHeap() throws Exception {
    String classPath =
        String.join(
            File.pathSeparator,
            Stream.of(
                    StreamingJson.class, // target/classes
                    BigResultCheck.class, // target/test-classes
                    Results.class,
                    ObjectMapper.class,
                    JsonParser.class,
                    JsonProperty.class)
                .map(
                    type -> {
                      try {
                        return locationOf(type);
                      } catch (URISyntaxException e) {
                        throw new IllegalStateException(e);
                      }
                    })
                .distinct()
                .toList());
    Process check =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + HEAP,
                    "-XX:+UseSerialGC",
                    "-cp",
                    classPath,
                    BigResultCheck.class.getName(),
                    Long.toString(OUTPUT_CHARS)))
            .redirectErrorStream(true)
            .start();
    String printed = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    // A guard against a hang, not a timing: the check takes seconds.
    if (!check.waitFor(5, TimeUnit.MINUTES)) {
      check.destroyForcibly();
    }
    assertThat(check.exitValue()).as(printed).isZero();
    Map<String, String> out = lines(printed);

    // The heap could not hold a quarter of the output, were it kept.
    assertThat(Long.parseLong(out.get("maxHeap"))).isLessThan(OUTPUT_CHARS / 4);
    assertThat(out.get("chars")).isEqualTo(out.get("expectedChars"));
    assertThat(Long.parseLong(out.get("chars"))).isEqualTo(OUTPUT_CHARS);
    assertThat(out.get("sha256")).isEqualTo(out.get("expectedSha256"));
    assertThat(out.get("rawBytes")).isEqualTo(out.get("expectedRawBytes"));
    assertThat(out.get("hwStatus")).isEqualTo("Certified");
    assertThat(out.get("tailEndsWithStatusAndLastLine")).isEqualTo("true");
    assertThat(out.get("tree")).isEqualTo("{\"job_state\":\"complete\",\"test_status\":0}");
  }

  private static Map<String, String> lines(String printed) {
    Map<String, String> values = new HashMap<>();
    for (String line : printed.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return values;
  }
}
