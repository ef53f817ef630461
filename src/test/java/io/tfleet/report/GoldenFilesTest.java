package io.tfleet.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reports of {@link Fixtures#sixMachines()}, {@link Fixtures#retries()} and {@link
 * Fixtures#repeat()} byte for byte. After a deliberate format change, regenerate with {@code
 * -Dtfleet.updateGolden=true} and review the diff.
 */
class GoldenFilesTest {
  private static final Path GOLDEN_SOURCES = Path.of("src/test/resources/report/golden");

  /** Each run and the folder of its golden files under {@code golden/} ("" for the top). */
  private static final Map<String, Supplier<RunReport>> RUNS =
      Map.of("", Fixtures::sixMachines, "retries", Fixtures::retries, "repeat", Fixtures::repeat);

  /** The reports that have golden files. */
  private static final List<String> FILES =
      List.of(Reports.SUMMARY_JSON, Reports.JUNIT_XML, Reports.SUMMARY_MD);

  @TempDir Path out;

  static Stream<Arguments> goldenFiles() {
    return Stream.of("", "retries", "repeat")
        .flatMap(run -> FILES.stream().map(name -> Arguments.of(run, name)));
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("goldenFiles")
  void reportMatchesItsGoldenFile(String run, String name) throws Exception {
    Reports.writeAll(RUNS.get(run).get(), out);
    String actual = Files.readString(out.resolve(name), StandardCharsets.UTF_8);
    String path = run.isEmpty() ? name : run + "/" + name;

    if (Boolean.getBoolean("tfleet.updateGolden")) {
      Path file = GOLDEN_SOURCES.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(golden(path));
  }

  private static String golden(String path) throws Exception {
    try (InputStream in = GoldenFilesTest.class.getResourceAsStream("/report/golden/" + path)) {
      assertThat(in).as("golden file %s", path).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
