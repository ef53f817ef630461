package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tfleet.report.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * action.yml is a composite action GitHub can load, and the CI page's workflow uses it as it is.
 */
class ActionYamlTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Path ACTION = Path.of("action.yml");

  private static JsonNode action() throws Exception {
    return YAML.readTree(ACTION.toFile());
  }

  private static List<JsonNode> steps() throws Exception {
    List<JsonNode> steps = new ArrayList<>();
    action().at("/runs/steps").forEach(steps::add);
    return steps;
  }

  @Test
  void hasTheKeysGithubRequiresAndDescribesEveryInputAndOutput() throws Exception {
    JsonNode action = action();
    assertThat(action.path("name").asText()).isNotBlank();
    assertThat(action.path("description").asText()).isNotBlank();
    assertThat(action.at("/runs/using").asText()).isEqualTo("composite");
    assertThat(action.path("inputs").size()).isPositive();
    action
        .path("inputs")
        .fields()
        .forEachRemaining(
            input ->
                assertThat(input.getValue().path("description").asText())
                    .as(input.getKey())
                    .isNotBlank());
    assertThat(action.path("outputs").size()).isPositive();
    action
        .path("outputs")
        .fields()
        .forEachRemaining(
            output -> {
              assertThat(output.getValue().path("description").asText())
                  .as(output.getKey())
                  .isNotBlank();
              // A composite action's output must say which step's output it is.
              assertThat(output.getValue().path("value").asText())
                  .as(output.getKey())
                  .isEqualTo("${{ steps.run.outputs." + output.getKey() + " }}");
            });
    assertThat(steps()).isNotEmpty();
  }

  @Test
  void everyRunStepNamesItsShellAndEveryActionItsVersion() throws Exception {
    for (JsonNode step : steps()) {
      assertThat(step.has("run") != step.has("uses")).as(step.toString()).isTrue();
      if (step.has("run")) {
        assertThat(step.path("shell").asText()).as(step.toString()).isEqualTo("bash");
        // Inputs reach scripts through env only: ${{ }} in a script is a script injection.
        assertThat(step.path("run").asText()).as(step.toString()).doesNotContain("${{");
        assertThat(step.path("run").asText())
            .startsWith("\"$GITHUB_ACTION_PATH/ci/action-run.sh\" ");
      } else {
        assertThat(step.path("uses").asText()).as(step.toString()).matches("actions/[a-z-]+@v\\d+");
      }
    }
    assertThat(Path.of("ci/action-run.sh")).isExecutable();
  }

  @Test
  void outputsCoverEveryVerdictTheExitCodeAndTheArtifact() throws Exception {
    Set<String> outputs = new TreeSet<>();
    action().path("outputs").fieldNames().forEachRemaining(outputs::add);
    for (Verdict v : Verdict.values()) {
      assertThat(outputs).contains(v.key());
    }
    assertThat(outputs).contains("machines", "exit-code", "output-dir", "artifact-name");
  }

  @Test
  void credentialsTravelAsEnvironmentVariablesAndEveryInputReachesTheScript() throws Exception {
    JsonNode run =
        steps().stream().filter(s -> s.path("id").asText().equals("run")).findFirst().orElseThrow();
    JsonNode env = run.path("env");
    assertThat(env.path("TESTFLINGER_CLIENT_ID").asText()).isEqualTo("${{ inputs.client-id }}");
    assertThat(env.path("TESTFLINGER_SECRET_KEY").asText()).isEqualTo("${{ inputs.secret-key }}");
    String script = Files.readString(Path.of("ci/action-run.sh"));
    Set<String> inputs = new TreeSet<>();
    action().path("inputs").fieldNames().forEachRemaining(inputs::add);
    for (String input : inputs) {
      String variable = "INPUT_" + input.toUpperCase().replace('-', '_');
      if (input.equals("client-id") || input.equals("secret-key") || input.equals("upload")) {
        continue; // passed as TESTFLINGER_*, or used by the upload step itself
      }
      boolean mapped =
          steps().stream()
              .anyMatch(
                  s -> s.path("env").path(variable).asText().equals("${{ inputs." + input + " }}"));
      assertThat(mapped).as(variable + " set from inputs." + input).isTrue();
      assertThat(script).as(variable + " read by the script").contains(variable);
    }
  }

  @Test
  void theTreeIsUploadedAlwaysWithItsHiddenManifest() throws Exception {
    JsonNode upload =
        steps().stream()
            .filter(s -> s.path("uses").asText().startsWith("actions/upload-artifact@"))
            .findFirst()
            .orElseThrow();
    assertThat(upload.path("if").asText()).contains("always()");
    assertThat(upload.at("/with/include-hidden-files").asBoolean()).isTrue();
    assertThat(upload.at("/with/path").asText()).isEqualTo("${{ steps.run.outputs.output-dir }}");
    JsonNode last = steps().get(steps().size() - 1);
    assertThat(last.path("run").asText()).endsWith(" gate");
    assertThat(last.at("/env/INPUT_EXIT_CODE").asText())
        .isEqualTo("${{ steps.run.outputs.exit-code }}");
  }

  @Test
  void theCiPagesWorkflowParsesAndUsesOnlyTheActionsInputsAndOutputs() throws Exception {
    String readme = Files.readString(Path.of("docs/ci.md"));
    int section = readme.indexOf("\n## A sharded matrix\n");
    assertThat(section).as("docs/ci.md section A sharded matrix").isPositive();
    Matcher block = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertThat(block.find(section)).isTrue();
    JsonNode workflow = YAML.readTree(block.group(1));

    Set<String> inputs = new TreeSet<>();
    action().path("inputs").fieldNames().forEachRemaining(inputs::add);
    Set<String> outputs = new TreeSet<>();
    action().path("outputs").fieldNames().forEachRemaining(outputs::add);
    int uses = 0;
    for (JsonNode job : workflow.path("jobs")) {
      for (JsonNode step : job.path("steps")) {
        if (step.path("uses").asText().contains("/tfleet@")) {
          uses++;
          step.path("with")
              .fieldNames()
              .forEachRemaining(name -> assertThat(inputs).contains(name));
        }
      }
    }
    assertThat(uses).isEqualTo(2); // the shards, then the merge
    Matcher used =
        Pattern.compile("steps\\.[a-z-]+\\.outputs\\.([a-z_-]+)").matcher(block.group(1));
    while (used.find()) {
      assertThat(outputs).contains(used.group(1));
    }
    JsonNode matrix = workflow.at("/jobs/shards/strategy/matrix/shard");
    assertThat(matrix.size()).isEqualTo(3);
  }
}
