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
  void everyKindOfTroubleHasItsOwnExitCode() {
    assertThat(Cli.exitCode(new io.tfleet.job.InputException("bad"))).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.exitCode(new java.net.ConnectException())).isEqualTo(ExitCodes.SERVER);
    assertThat(Cli.exitCode(new java.io.UncheckedIOException(new java.io.IOException("disk full"))))
        .isEqualTo(ExitCodes.TREE);
    assertThat(Cli.exitCode(new InterruptedException())).isEqualTo(ExitCodes.INTERRUPTED);
    assertThat(Cli.exitCode(new java.io.InterruptedIOException())).isEqualTo(ExitCodes.INTERRUPTED);
    assertThat(Cli.exitCode(new IllegalStateException("a bug"))).isEqualTo(ExitCodes.INTERNAL);
  }

  @Test
  void theCarryOnCommandDropsCredentialsAndNewRoundsAndNamesTheServer() {
    String again = CarryOn.again(
        java.util.List.of("run", "--client-id", "ci", "--secret-key=s3cret", "--resubmit",
            "--machines-file", "my machines.txt"),
        java.net.URI.create("http://lab:8000"));
    assertThat(again)
        .isEqualTo("tfleet run --machines-file 'my machines.txt' --server http://lab:8000")
        .doesNotContain("s3cret", "ci");
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
