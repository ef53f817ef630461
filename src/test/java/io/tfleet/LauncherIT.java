package io.tfleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.testing.TfleetProcess;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code tfleet} launcher script, run for real on a copy of the project's layout. */
class LauncherIT {
  @TempDir Path dir;

  /** The launcher beside a copy of the packaged jar, with sources older than the jar. */
  private Path project() throws Exception {
    Path launcher = Files.copy(Path.of("tfleet"), dir.resolve("tfleet"));
    launcher.toFile().setExecutable(true);
    Path jar = Files.createDirectories(dir.resolve("target")).resolve("tfleet.jar");
    Files.copy(TfleetProcess.jar(), jar, StandardCopyOption.COPY_ATTRIBUTES);
    FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
    for (Path source :
        List.of(
            Files.writeString(dir.resolve("pom.xml"), "<project/>\n"),
            Files.createDirectories(dir.resolve("src/main")),
            Files.createDirectories(dir.resolve("examples")))) {
      Files.setLastModifiedTime(source, old);
    }
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
    return launcher;
  }

  private static TfleetProcess.Result launch(Path launcher, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("bash", launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(launcher.getParent().toFile());
    // The launcher runs the java it finds first, as a person's shell would.
    builder
        .environment()
        .put(
            "PATH",
            Path.of(System.getProperty("java.home"), "bin")
                + File.pathSeparator
                + System.getenv("PATH"));
    Process process = builder.start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("launcher finished").isTrue();
    return new TfleetProcess.Result(
        process.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void theLauncherMakesItsStartUpArchiveOnceAndPrintsNothingButTheAnswer() throws Exception {
    Path launcher = project();
    Path archive = dir.resolve("target/tfleet.jsa");
    String version = TfleetProcess.run(dir, java.time.Duration.ofSeconds(60), "--version").out();
    assertThat(version).startsWith("tfleet ");

    TfleetProcess.Result first = launch(launcher, "--version");

    assertThat(first.exitCode()).isZero();
    // Nothing of the archive's making reaches the user: the answer alone, on its stream.
    assertThat(first.out()).isEqualTo(version);
    assertThat(first.err()).isEmpty();
    assertThat(archive).isNotEmptyFile();
    FileTime made = Files.getLastModifiedTime(archive);

    TfleetProcess.Result again = launch(launcher, "--version");

    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).isEqualTo(version);
    assertThat(again.err()).isEmpty();
    assertThat(Files.getLastModifiedTime(archive)).isEqualTo(made);
  }

  @Test
  void anArchiveThatCannotBeMadeIsTriedOncePerBuildAndTheCommandStillRuns() throws Exception {
    Path launcher = project();
    Path jar = dir.resolve("target/tfleet.jar");
    // A jar the JVM refuses: the demo that makes the archive fails, and so does the command.
    Files.writeString(jar, "not a jar");
    Path archive = dir.resolve("target/tfleet.jsa");

    TfleetProcess.Result first = launch(launcher, "--version");

    assertThat(first.exitCode()).as(first.toString()).isEqualTo(1);
    assertThat(first.err()).contains("jar");
    assertThat(archive).isEmptyFile();
    FileTime tried = Files.getLastModifiedTime(archive);

    TfleetProcess.Result again = launch(launcher, "--version");

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(Files.getLastModifiedTime(archive)).isEqualTo(tried);
  }

  @Test
  void theLauncherGivesTheJvmWhatTheProcessTestsGiveIt() throws Exception {
    String exec =
        Files.readAllLines(Path.of("tfleet")).stream()
            .filter(line -> line.startsWith("exec java "))
            .findFirst()
            .orElseThrow();
    assertThat(exec)
        .startsWith("exec java " + String.join(" ", TfleetProcess.LAUNCHER_JVM_OPTIONS) + " ");
  }
}
