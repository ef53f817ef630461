package io.tfleet.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reports of {@link Fixtures#sixMachines()} byte for byte. After a deliberate format change,
 * regenerate with {@code -Dtfleet.updateGolden=true} and review the diff.
 */
class GoldenFilesTest {
  private static final Path GOLDEN_SOURCES = Path.of("src/test/resources/report/golden");

  @TempDir Path out;

  @ParameterizedTest
  @ValueSource(strings = {Reports.SUMMARY_JSON, Reports.JUNIT_XML})
  void reportMatchesItsGoldenFile(String name) throws Exception {
    Reports.writeAll(Fixtures.sixMachines(), out);
    String actual = Files.readString(out.resolve(name), StandardCharsets.UTF_8);

    if (Boolean.getBoolean("tfleet.updateGolden")) {
      Files.writeString(GOLDEN_SOURCES.resolve(name), actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(golden(name));
  }

  private static String golden(String name) throws Exception {
    try (InputStream in = GoldenFilesTest.class.getResourceAsStream("/report/golden/" + name)) {
      assertThat(in).as("golden file %s", name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
