package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.testing.Await;
import io.tfleet.testing.LabExtension;
import io.tfleet.testing.LabHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AttachmentsTest {
  @RegisterExtension
  static final LabExtension LAB =
      new LabExtension(LabConfig.defaults().withPhaseTime(Duration.ZERO));

  private final Lab lab = LAB.lab();
  private final LabHttp http = LAB.http();

  private static ObjectNode jobWithAttachment(String queue, String testCmds) {
    ObjectNode job = LabHttp.job(queue, testCmds);
    job.withObjectProperty("test_data").putArray("attachments").addObject().put("agent", "run.sh");
    return job;
  }

  private HttpResponse<String> upload(String id, byte[] archive) {
    return http.post("/v1/job/" + id + "/attachments", Archive.formType(), Archive.form(archive));
  }

  @Test
  void jobWaitsForItsArchiveThenRunsTheUnpackedExecutable() {
    String held = http.submit(jobWithAttachment("q", "./attachments/test/run.sh"));
    String other = http.submit(LabHttp.job("q", "true"));
    Await.until(
        "the job behind it completes",
        Duration.ofSeconds(10),
        () -> http.state(other).equals("complete"));
    assertThat(http.state(held)).isEqualTo("waiting");
    assertThat(LabHttp.json(http.get("/v1/job/" + held)).get("attachments_status").asText())
        .isEqualTo("waiting");

    byte[] archive =
        new Archive().file("test/run.sh", 0755, "#!/bin/sh\necho from attachment\n").gzipped();
    HttpResponse<String> response = upload(held, archive);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("OK");
    Await.idle(lab);

    JsonNode result = http.result(held);
    assertThat(result.get("test_output").asText()).isEqualTo("from attachment\n");
    assertThat(result.get("test_status").asInt()).isZero();
  }

  @Test
  void secondUploadAnswers200AndKeepsTheFirst() {
    String id = http.submit(jobWithAttachment("q2", "cat attachments/test/data.txt"));
    assertThat(
            upload(id, new Archive().file("test/data.txt", 0644, "first").gzipped()).statusCode())
        .isEqualTo(200);
    assertThat(
            upload(id, new Archive().file("test/data.txt", 0644, "second").gzipped()).statusCode())
        .isEqualTo(200);
    Await.idle(lab);

    assertThat(http.result(id).get("test_output").asText()).isEqualTo("first");
  }

  @Test
  void archiveEscapingTheJobFolderIsRefusedAndTheJobKeepsWaiting() {
    String id = http.submit(jobWithAttachment("q3", "cat attachments/test/ok.txt"));

    assertThat(upload(id, new Archive().file("../../evil.txt", 0644, "x").gzipped()).statusCode())
        .isEqualTo(400);
    assertThat(upload(id, new Archive().symlink("test/link", "../../..").gzipped()).statusCode())
        .isEqualTo(400);
    assertThat(http.state(id)).isEqualTo("waiting");

    assertThat(upload(id, new Archive().file("test/ok.txt", 0644, "fine").gzipped()).statusCode())
        .isEqualTo(200);
    Await.idle(lab);
    assertThat(http.result(id).get("test_output").asText()).isEqualTo("fine");
  }

  @Test
  void uploadForAJobWithoutAttachmentsOrAnUnknownJobAnswers422() {
    String plain = http.submit(LabHttp.job("q4", null));
    byte[] archive = new Archive().file("test/x", 0644, "x").gzipped();

    assertThat(upload(plain, archive).statusCode()).isEqualTo(422);
    assertThat(upload(UUID.randomUUID().toString(), archive).statusCode()).isEqualTo(422);
    assertThat(upload("not-a-uuid", archive).statusCode()).isEqualTo(400);
  }

  @Test
  void uploadThatIsNotAnArchiveIsRefused() {
    String id = http.submit(jobWithAttachment("q5", null));

    assertThat(upload(id, "not a tarball at all".repeat(40).getBytes()).statusCode())
        .isEqualTo(400);
    assertThat(
            http.post("/v1/job/" + id + "/attachments", "application/json", "{}".getBytes())
                .statusCode())
        .isEqualTo(400);
    assertThat(http.cancel(id).statusCode()).isEqualTo(200);
  }
}
