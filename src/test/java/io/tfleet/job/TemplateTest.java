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
  void templateThatIsNotYamlNamesFileLineColumnTheCauseAndShowsTheLine() throws Exception {
    Template t = template("job_queue: a\ntest_data:\n  test_cmds: [a, b\n  foo: 1\n");
    assertThatThrownBy(() -> t.render(machine))
        .isInstanceOf(InputException.class)
        .hasMessage(
            dir.resolve("tf-job.yaml")
                + ":4:6: not valid YAML: expected ',' or ']', but got :"
                + " (while parsing a flow sequence at line 3, column 14)\n"
                + "    foo: 1\n"
                + "       ^");
  }

  @Test
  void aMisplacedColonIsShownWhereItIs() throws Exception {
    Template t = template("job_queue: a\ntest_data:\n  test_cmds: echo: hi\n");
    assertThatThrownBy(() -> t.render(machine))
        .hasMessageStartingWith(
            dir.resolve("tf-job.yaml")
                + ":3:18: not valid YAML: mapping values are not allowed here")
        .hasMessageEndingWith("\n    test_cmds: echo: hi\n                   ^");
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
    assertThatThrownBy(() -> t.render(machine))
        .hasMessageEndingWith("job_queue must be a non-empty string");
  }

  @Test
  void listInsteadOfMappingIsRejected() throws Exception {
    Template t = template("- job_queue: a\n");
    assertThatThrownBy(() -> t.render(machine))
        .hasMessageEndingWith("must be a YAML mapping (a job), not a list");
  }

  @Test
  void variablesAreReplacedBeforeTheMachineId() throws Exception {
    Path file = dir.resolve("vars.yaml");
    Files.writeString(file, "job_queue: $QUEUE\nname: ${STAGE}-$STAGE_X-$CANONICAL_ID\n");
    Template t =
        Template.read(file, dir, java.util.Map.of("QUEUE", "lab-$CANONICAL_ID", "STAGE", "beta"));
    RenderedJob job = t.render(machine);
    assertThat(job.queue()).isEqualTo("lab-202101-28595");
    assertThat(job.json().get("name").asText()).isEqualTo("beta-$STAGE_X-202101-28595");
    assertThat(t.unknownPlaceholders()).containsExactly("STAGE_X");
  }

  @Test
  void agentVariablesAreNotReportedAsUnknown() throws Exception {
    Template t = template("job_queue: q\ntest_data:\n  test_cmds: ssh ubuntu@$DEVICE_IP $HOME\n");
    assertThat(t.unknownPlaceholders()).containsExactly("HOME");
  }

  @Test
  void tagsMustBeAListOfStrings() throws Exception {
    Template t = template("job_queue: q\ntags: just-one\n");
    assertThatThrownBy(() -> t.render(machine))
        .hasMessageEndingWith("tags must be a list of strings");
  }
}
