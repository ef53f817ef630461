package io.tfleet.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateTest {
  @TempDir Path dir;
  private final MachineId machine = new MachineId("202101-28595", 1);

  private Template template(String text) throws Exception {
    Path file = dir.resolve("tf-job.yaml");
    Files.writeString(file, text);
    return Template.read(file, dir);
  }

  @Test
  void bothPlaceholderFormsAreReplacedTextually() throws Exception {
    RenderedJob job =
        template("job_queue: $CANONICAL_ID\ntest_data:\n  test_cmds: echo ${CANONICAL_ID}-x\n")
            .render(machine);
    assertThat(job.queue()).isEqualTo("202101-28595");
    assertThat(job.json().at("/test_data/test_cmds").asText()).isEqualTo("echo 202101-28595-x");
    assertThat(job.yaml()).doesNotContain("CANONICAL_ID");
  }

  @Test
  void templateThatIsNotYamlNamesFileAndLine() throws Exception {
    Template t = template("job_queue: a\ntest_data: [unclosed\n  x: : y\n");
    assertThatThrownBy(() -> t.render(machine))
        .isInstanceOf(InputException.class)
        .hasMessageMatching(".*tf-job\\.yaml:\\d+: not valid YAML: .+");
  }

  @Test
  void jobWithoutQueueIsRejected() throws Exception {
    Template t = template("provision_data:\n  distro: noble\n");
    assertThatThrownBy(() -> t.render(machine))
        .hasMessage(dir.resolve("tf-job.yaml") + ": the job has no job_queue");
  }

  @Test
  void emptyQueueIsRejected() throws Exception {
    Template t = template("job_queue: ''\n");
    assertThatThrownBy(() -> t.render(machine)).hasMessageEndingWith("job_queue must be a non-empty string");
  }

  @Test
  void listInsteadOfMappingIsRejected() throws Exception {
    Template t = template("- job_queue: a\n");
    assertThatThrownBy(() -> t.render(machine)).hasMessageEndingWith("must be a YAML mapping (a job), not a list");
  }
}
