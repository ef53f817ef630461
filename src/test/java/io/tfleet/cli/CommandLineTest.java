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
        .contains(
            "--send-jobs",
            "--check-status",
            "--machines-file",
            "--template-file",
            "--output-dir",
            "--poll-interval",
            "--server",
            "--attachments-relative-to")
        .contains(
            "run",
            "submit",
            "monitor",
            "status",
            "cancel",
            "report",
            "lab",
            "demo",
            "bench",
            "generate-completion")
        .contains("Exit codes");
  }

  @Test
  void aCommandNamedFirstIsTheOnlyOneBuiltAndHelpOrAMisspellingGetsThemAll() {
    assertThat(commands("status", "--output-dir", "out")).containsExactly("status");
    assertThat(commands("--send-jobs", "--output-dir", "out")).isEmpty();
    assertThat(commands("--version")).isEmpty();
    assertThat(commands("--help")).contains("run", "status", "bench", "generate-completion");
    assertThat(commands("--output-dir", "out", "status")).contains("run", "status");
    assertThat(commands("stauts")).contains("status", "logout");
    assertThat(commands("generate-completion")).contains("run", "status");
  }

  @Test
  void theOriginalFlagsAloneStillRunAndAMisspeltCommandIsStillCaught() {
    TfleetProcess.Result seed = InProcess.run("--send-jobs", "--machines-file", "/no/such/file");
    assertThat(seed.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(seed.err()).contains("/no/such/file");
    TfleetProcess.Result typo = InProcess.run("stauts");
    assertThat(typo.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(typo.err()).contains("'stauts' is not a tfleet command", "Did you mean 'status'");
  }

  private static java.util.Set<String> commands(String... args) {
    java.io.PrintStream sink =
        new java.io.PrintStream(java.io.OutputStream.nullOutputStream(), true);
    return Cli.commandLine(new Context(sink, sink, new Environment(Map.of())), args)
        .getSubcommands()
        .keySet();
  }

  @Test
  void everyKindOfTroubleHasItsOwnExitCode() {
    assertThat(Cli.exitCode(new io.tfleet.job.InputException("bad"))).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.exitCode(new java.net.ConnectException())).isEqualTo(ExitCodes.SERVER);
    assertThat(
            Cli.exitCode(
                new io.tfleet.store.TreeException(
                    java.nio.file.Path.of("out"), new java.io.IOException("disk full"))))
        .isEqualTo(ExitCodes.TREE);
    assertThat(
            Cli.exitCode(
                new io.tfleet.client.auth.AuthFileException(
                    "remove the saved login",
                    java.nio.file.Path.of("auth.ini"),
                    new java.io.IOException("read-only file system"))))
        .as("the saved login is a local file too")
        .isEqualTo(ExitCodes.TREE);
    assertThat(Cli.exitCode(new InterruptedException())).isEqualTo(ExitCodes.INTERRUPTED);
    assertThat(Cli.exitCode(new java.io.InterruptedIOException())).isEqualTo(ExitCodes.INTERRUPTED);
    assertThat(Cli.exitCode(new IllegalStateException("a bug"))).isEqualTo(ExitCodes.INTERNAL);
  }

  @Test
  void theCarryOnCommandDropsCredentialsAndNewRoundsAndNamesTheServer() {
    String again =
        CarryOn.again(
            java.util.List.of(
                "run",
                "--client-id",
                "ci",
                "--secret-key=s3cret",
                "--resubmit",
                "--machines-file",
                "my machines.txt"),
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
  void aMistypedCommandOrOptionGetsASuggestion() {
    TfleetProcess.Result command = InProcess.run("stauts");
    assertThat(command.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(command.err())
        .startsWith("tfleet: 'stauts' is not a tfleet command\nDid you mean 'status'")
        .endsWith("Try 'tfleet --help'.\n");

    TfleetProcess.Result option = InProcess.run("run", "--poll-intervall", "3");
    assertThat(option.err())
        .isEqualTo(
            "tfleet: unknown option '--poll-intervall'\n"
                + "Did you mean '--poll-interval'?\nTry 'tfleet run --help'.\n");
  }

  @Test
  void anUnknownCommandWithHelpIsAnErrorNotTheWholeHelp() {
    TfleetProcess.Result root = InProcess.run("frobnicate", "--help");
    assertThat(root.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(root.out()).isEmpty();
    assertThat(root.err())
        .startsWith("tfleet: 'frobnicate' is not a tfleet command\n")
        .endsWith("Try 'tfleet --help'.\n");

    TfleetProcess.Result under = InProcess.run("run", "frobnicate", "--help");
    assertThat(under.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(under.err()).startsWith("tfleet: unexpected argument 'frobnicate'\n");

    TfleetProcess.Result help = InProcess.run("run", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).startsWith("Usage: tfleet run");
  }

  @Test
  void aVariableWithoutAValueSaysWhatItTakes() {
    assertThat(InProcess.run("--var", "FOO").err())
        .startsWith("tfleet: --var takes NAME=VALUE, not 'FOO'\n");
  }

  @Test
  void commandsOfferOnlyTheOptionsTheyUse() {
    assertThat(InProcess.run("report", "--help").out())
        .doesNotContain("-v,", "--verbose", "--no-progress");
    assertThat(InProcess.run("merge", "--help").out()).doesNotContain("--verbose", "--no-progress");
    assertThat(InProcess.run("status", "--help").out())
        .contains("--verbose")
        .doesNotContain("--quiet", "--no-progress");
    assertThat(InProcess.run("cancel", "--help").out())
        .contains("--verbose", "--quiet")
        .doesNotContain("--no-progress");
    assertThat(InProcess.run("run", "--help").out())
        .contains("--verbose", "--quiet", "--no-progress");
    assertThat(InProcess.run("report", "-v").err())
        .isEqualTo("tfleet: unknown option '-v'\nTry 'tfleet report --help'.\n");
  }

  @Test
  void versionNamesTheReleaseTheCommitAndTheJavaRuntime() {
    TfleetProcess.Result version = InProcess.run("--version");
    assertThat(version.exitCode()).isZero();
    // The build asks git; this source tree is a git checkout whenever it has .git.
    String commit =
        java.nio.file.Files.exists(java.nio.file.Path.of(".git"))
            ? "commit [0-9a-f]{12}(, with uncommitted changes)?"
            : "commit (unknown|[0-9a-f]{12})";
    assertThat(version.out())
        .matches("tfleet \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(" + commit + "\\)\nJava 17[^\n]*\n");
  }

  @Test
  void aBuildWithoutGitTakesTheCommitGitArchiveWroteElseSaysItIsUnknown() {
    String hash = "5c159d7a1b2c3d4e5f60718293a4b5c6d7e8f901";
    assertThat(Version.line("1.2.3", "", hash + "\n"))
        .isEqualTo("tfleet 1.2.3 (commit 5c159d7a1b2c)");
    assertThat(Version.line("1.2.3", null, "$Format:%H$\n"))
        .isEqualTo("tfleet 1.2.3 (commit unknown)");
    assertThat(Version.line("1.2.3", "", null)).isEqualTo("tfleet 1.2.3 (commit unknown)");
    assertThat(Version.line("1.2.3", "0123456789ab-dirty\n", hash))
        .isEqualTo("tfleet 1.2.3 (commit 0123456789ab, with uncommitted changes)");
    assertThat(Version.line("${project.version}", "0123456789ab", null))
        .isEqualTo("tfleet (development build) (commit 0123456789ab)");
  }
}
