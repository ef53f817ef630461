package io.tfleet.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobIdFileTest {
  private static final String ID = "0f0e0d0c-0000-4000-8000-000000000001";
  private static final String OTHER = "0f0e0d0c-0000-4000-8000-000000000002";

  @TempDir Path dir;

  private MachineFolder folder() throws Exception {
    return OutputTree.open(dir, /* create= */ true).machine("m1").create();
  }

  @Test
  void theAcceptedPendingIdBecomesTheJobIdFileAsTheOriginalWritesIt() throws Exception {
    MachineFolder folder = folder();
    folder.writePendingJobId(ID);
    Files.setLastModifiedTime(
        dir.resolve("m1/" + MachineFolder.PENDING_JOB_ID),
        java.nio.file.attribute.FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    Instant accepted = Instant.now().minusSeconds(1);

    folder.writeJobId(ID, ID);

    assertThat(Files.readString(dir.resolve("m1/tf_job_id.txt"))).isEqualTo(ID);
    assertThat(folder.pendingJobId()).isEmpty();
    assertThat(folder.jobId()).contains(ID);
    // The file's time is when the server accepted the job, not when the id was chosen.
    assertThat(folder.submittedAt()).hasValueSatisfying(t -> assertThat(t).isAfter(accepted));
  }

  @Test
  void aJobIdOtherThanThePendingOneIsWrittenAndThePendingIdForgotten() throws Exception {
    MachineFolder folder = folder();
    folder.writePendingJobId(ID);

    folder.writeJobId(OTHER, ID);

    assertThat(Files.readString(dir.resolve("m1/tf_job_id.txt"))).isEqualTo(OTHER);
    assertThat(folder.pendingJobId()).isEmpty();
  }

  @Test
  void writingTheJobIdLeavesNoTemporaryFileBehind() throws Exception {
    MachineFolder folder = folder();
    folder.writeJobYaml("job_queue: q\n");
    folder.writePendingJobId(ID);
    folder.writeJobId(ID, ID);

    try (var names = Files.list(dir.resolve("m1"))) {
      assertThat(names.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("job.yaml", "tf_job_id.txt");
    }
  }
}
