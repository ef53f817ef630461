package io.tfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.testing.InProcess;
import io.tfleet.testing.TfleetProcess;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing alone: no server, no files. */
class CommandLineTest {
  @Test
  void helpShowsTheOriginalFlagsAndEverySubcommand() {
    TfleetProcess.Result help = InProcess.run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains("--send-jobs", "--check-status", "--machines-file", "--template-file",
            "--output-dir", "--poll-interval", "--server", "--attachments-relative-to")
        .contains("run", "submit", "monitor", "status", "cancel", "report", "lab", "demo", "bench",
            "generate-completion")
        .contains("Exit codes");
  }

  @Test
  void originalDefaultsAreKept() {
    TfleetCommand command = new TfleetCommand(null);
    new picocli.CommandLine(command).parseArgs();
    assertThat(command.job.machinesFile).hasToString("machines.txt");
    assertThat(command.job.templateFile).hasToString("tf-job.yaml");
    assertThat(command.output.outputDir).hasToString("job_outputs");
    assertThat(command.watch.pollInterval).isEqualTo(30.0);
    assertThat(command.job.attachmentsRelativeTo).hasToString(".");
  }

  @Test
  void serverComesFromTheEnvironmentWhenNotGiven() throws Exception {
    ServerOptions options = new ServerOptions();
    Environment env = new Environment(Map.of("TESTFLINGER_SERVER", "http://lab.example:8000"));
    assertThat(options.serverUrl(env)).hasToString("http://lab.example:8000");
    assertThat(options.serverUrl(new Environment(Map.of())))
        .hasToString(ServerOptions.DEFAULT_SERVER);
  }

  @Test
  void versionIsPrinted() {
    TfleetProcess.Result version = InProcess.run("--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("tfleet ");
  }
}
