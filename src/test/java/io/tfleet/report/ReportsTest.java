package io.tfleet.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {
  @TempDir Path dir;

  @Test
  void writesTheFourFilesAndNoTemporaryOnes() throws Exception {
    Path out = dir.resolve("outputs/run-1");

    Reports.writeAll(Fixtures.sixMachines(), out);
    Reports.writeAll(Fixtures.sixMachines(), out);

    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              Reports.SUMMARY_JSON, Reports.JUNIT_XML, Reports.REPORT_HTML, Reports.SUMMARY_MD);
    }
  }
}
