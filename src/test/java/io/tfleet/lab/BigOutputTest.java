package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabExtension;
import io.tfleet.testing.LabHttp;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Outputs are kept in files and streamed into answers: what a test printed comes back byte for
 * byte, in the result and in the log, and lives on disk rather than in the lab's memory.
 */
class BigOutputTest {
  private static final long MB = 1024 * 1024;

  @RegisterExtension
  static final LabExtension LAB =
      new LabExtension(LabConfig.defaults().withPhaseTime(Duration.ZERO));

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String finished(String testCmds) {
    String id = LAB.http().submit(LabHttp.job("q", testCmds));
    Await.idle(LAB.lab());
    return id;
  }

  @Test
  void thePatternCommandPrintsExactlyWhatTheJavaPatternIs() throws Exception {
    ByteArrayOutputStream java = new ByteArrayOutputStream();
    OutputPattern.write(java, 100_003);
    Process shell =
        new ProcessBuilder("/bin/sh", "-c", OutputPattern.command(100_003))
            .redirectErrorStream(true)
            .start();
    byte[] printed = shell.getInputStream().readAllBytes();

    assertThat(shell.waitFor()).isZero();
    assertThat(printed).isEqualTo(java.toByteArray());
    assertThat(sha256(java.toString(StandardCharsets.US_ASCII)))
        .isEqualTo(OutputPattern.sha256(100_003));
    assertThat(java.toString(StandardCharsets.US_ASCII))
        .startsWith(OutputPattern.LINE + "\n" + OutputPattern.LINE + "\n");
  }

  @Test
  void aLargeOutputComesBackWholeInTheResultAndTheLogAndIsKeptOnDisk() throws Exception {
    long size = 3 * MB + 5;
    // The sleep makes the log pump cut the output into several fragments while it is written.
    String id =
        finished(
            "echo '{\"status\": \"Certified\"}'; "
                + OutputPattern.command(size / 2)
                + "; sleep 0.3; "
                + OutputPattern.command(size - size / 2));
    String expected =
        "{\"status\": \"Certified\"}\n" + pattern(size / 2) + pattern(size - size / 2);

    JsonNode result = LAB.http().result(id);
    assertThat(result.get("test_status").asInt()).isZero();
    assertThat(result.get("test_output").asText()).hasSize(expected.length());
    assertThat(sha256(result.get("test_output").asText())).isEqualTo(sha256(expected));

    JsonNode log = LabHttp.json(LAB.http().get("/v1/result/" + id + "/log/output?phase=test"));
    assertThat(sha256(log.at("/output/test/log_data").asText())).isEqualTo(sha256(expected));

    try (Stream<Path> files = Files.walk(LAB.lab().scratch().resolve("outputs"))) {
      assertThat(files.filter(f -> f.toString().endsWith(id + "/test.out")))
          .singleElement()
          .satisfies(f -> assertThat(Files.size(f)).isEqualTo(expected.length()));
    }
  }

  private static String pattern(long bytes) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutputPattern.write(out, bytes);
    return out.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void logFragmentsOfThePhaseJoinToItsOutputAndStartFragmentGivesTheRest() {
    String id = finished("echo one; sleep 0.3; echo two; sleep 0.3; echo three");

    JsonNode all = LabHttp.json(LAB.http().get("/v1/result/" + id + "/log/output?phase=test"));
    int last = all.at("/output/test/last_fragment_number").asInt();
    assertThat(all.at("/output/test/log_data").asText()).isEqualTo("one\ntwo\nthree\n");

    JsonNode rest =
        LabHttp.json(
            LAB.http().get("/v1/result/" + id + "/log/output?phase=test&start_fragment=" + last));
    assertThat(rest.at("/output/test/last_fragment_number").asInt()).isEqualTo(last);
    assertThat("one\ntwo\nthree\n").endsWith(rest.at("/output/test/log_data").asText());
    assertThat(rest.at("/output/test/log_data").asText())
        .isNotEmpty()
        .isNotEqualTo("one\ntwo\nthree\n");
  }

  @Test
  void bytesThatAreNotUtf8ReadAsReplacementCharacters() {
    String id = finished("printf 'ok \\377\\376 done\\n'");

    assertThat(LAB.http().result(id).get("test_output").asText())
        .isEqualTo("ok \uFFFD\uFFFD done\n");
  }

  @Test
  void aStreamedResultCutShortIsItsFirstHalfWithAContentLength() throws Exception {
    FaultPlan secondResultReadCut =
        (route, count) ->
            route.equals("GET /v1/result/{id}") && count == 2
                ? Optional.of(Fault.truncate())
                : Optional.empty();
    try (Lab lab =
        Lab.start(
            LabConfig.defaults().withPhaseTime(Duration.ZERO).withFaults(secondResultReadCut))) {
      LabHttp http = new LabHttp(lab);
      String id = http.submit(LabHttp.job("q", OutputPattern.command(100_000)));
      Await.idle(lab);

      HttpResponse<byte[]> whole = http.getBytes("/v1/result/" + id);
      HttpResponse<byte[]> cut = http.getBytes("/v1/result/" + id);

      // The whole answer streams in chunks; the cut one says its length, as a proxy ending it
      // would.
      assertThat(whole.headers().firstValue("Content-Length")).isEmpty();
      assertThat(whole.body().length).isGreaterThan(100_000);
      assertThat(cut.headers().firstValueAsLong("Content-Length"))
          .hasValue(whole.body().length / 2L);
      assertThat(cut.body())
          .isEqualTo(java.util.Arrays.copyOf(whole.body(), whole.body().length / 2));
    }
  }
}
