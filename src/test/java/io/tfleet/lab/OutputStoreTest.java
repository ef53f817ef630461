package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job's outputs on disk: fragments by phase, read back in any selection. */
class OutputStoreTest {
  @TempDir Path dir;

  private static String read(InputStream bytes) throws IOException {
    try (bytes) {
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      byte[] buffer = new byte[7];
      int n;
      while ((n = bytes.read(buffer)) > 0) {
        text.write(buffer, 0, n);
      }
      return text.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void fragmentsAreNumberedAcrossPhasesAndEachPhaseKeepsItsOwnFile() throws Exception {
    OutputStore store = new OutputStore(dir.resolve("job"));
    store.append("setup", "set up\n");
    store.append("test", "one\n");
    store.append("test", "");
    store.append("test", "two\n");
    store.append("test", "three\n");

    List<OutputStore.Fragment> test = store.fragments(0, null, "test");
    assertThat(test).extracting(OutputStore.Fragment::number).containsExactly(1, 2, 3);
    assertThat(store.size("test")).isEqualTo(14);
    assertThat(Files.readString(store.file("test"))).isEqualTo("one\ntwo\nthree\n");
    assertThat(read(store.bytes("test", test))).isEqualTo("one\ntwo\nthree\n");
    // Fragments apart in the file read as one text, in the order given.
    assertThat(read(store.bytes("test", List.of(test.get(2), test.get(0)))))
        .isEqualTo("three\none\n");
    assertThat(read(store.bytes("test", 4, 4))).isEqualTo("two\n");
    assertThat(store.fragments(2, null, null))
        .extracting(OutputStore.Fragment::number)
        .containsExactly(2, 3);

    store.delete();
    assertThat(dir.resolve("job")).doesNotExist();
  }

  @Test
  void theResultOfARunningTestShowsItsOutputSoFarWithoutAStatus() throws Exception {
    Path go = dir.resolve("go");
    try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO))) {
      LabHttp http = new LabHttp(lab);
      String id =
          http.submit(
              LabHttp.job("q", "echo early; while [ ! -f '" + go + "' ]; do sleep 0.02; done"));

      Await.until(
          "the early line in the result",
          Duration.ofSeconds(20),
          () -> http.result(id).path("test_output").asText().equals("early\n"));
      JsonNode running = http.result(id);
      assertThat(running.get("job_state").asText()).isEqualTo("test");
      assertThat(running.has("test_status")).isFalse();
      assertThat(running.get("setup_status").asInt()).isZero();

      Files.createFile(go);
      Await.idle(lab);
      assertThat(http.result(id).get("test_status").asInt()).isZero();
    }
  }
}
