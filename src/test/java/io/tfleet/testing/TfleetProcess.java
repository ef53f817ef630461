package io.tfleet.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The real tfleet jar run as a separate process, as a user runs it. */
public final class TfleetProcess {
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private TfleetProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** What the {@code tfleet} launcher script gives the JVM; LauncherIT keeps them the same. */
  public static final List<String> LAUNCHER_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1");

  /** The command that starts tfleet, as a shell reads it (for script(1), which wants one line). */
  public static String shellCommand() {
    List<String> words = new ArrayList<>();
    words.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    words.addAll(LAUNCHER_JVM_OPTIONS);
    words.addAll(archiveOptions());
    words.add("-jar");
    words.add(jar().toAbsolutePath().toString());
    return String.join(" ", words);
  }

  /** The jar that failsafe points at, built by this same Maven run. */
  public static Path jar() {
    String jar = System.getProperty("tfleet.jar");
    Path path = jar != null ? Path.of(jar) : Path.of("target", "tfleet.jar");
    assertThat(path).as("tfleet jar (run tests with mvn verify)").exists();
    return path;
  }

  /** Starts tfleet in {@code dir} with {@code args}; output goes to files in {@code dir}. */
  public static TfleetProcess start(Path dir, Map<String, String> env, String... args)
      throws IOException {
    return start(dir, env, List.of(), args);
  }

  /** Starts tfleet in a JVM with {@code jvmOptions} (such as {@code -Xmx64m}). */
  public static TfleetProcess start(
      Path dir, Map<String, String> env, List<String> jvmOptions, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(LAUNCHER_JVM_OPTIONS);
    archive().ifPresent(a -> command.add("-XX:SharedArchiveFile=" + a));
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar().toAbsolutePath().toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "stdout-", ".txt");
    Path err = Files.createTempFile(dir, "stderr-", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().remove("TESTFLINGER_SERVER");
    // The machine's proxies and CA bundles are not the test's: a lab on loopback is reached direct.
    builder.environment().keySet().removeIf(TfleetProcess::isNetworkVariable);
    // Logins and the testflinger CLI's settings are read from here: never the real home's.
    builder
        .environment()
        .put("XDG_CONFIG_HOME", dir.resolve(".config").toAbsolutePath().toString());
    builder.environment().putAll(env);
    return new TfleetProcess(builder.start(), out, err);
  }

  /**
   * The JVM options that start the build's jar from the tests' class-data archive, for scripts that
   * start it themselves (the action's {@code TFLEET_JAVA_OPTS}); none when there is no archive.
   */
  public static List<String> archiveOptions() {
    return archive().map(a -> List.of("-XX:SharedArchiveFile=" + a)).orElse(List.of());
  }

  /** Made on the first start, for every start of the build's jar; empty when it cannot be. */
  private static Optional<Path> archive;

  /**
   * A class-data sharing archive of the classes a run loads, made once per build from a demo run,
   * as the launcher makes its own: each process of the tests starts about 0.2 s sooner. Without one
   * the processes start as well, only slower.
   */
  private static synchronized Optional<Path> archive() {
    if (archive != null) {
      return archive;
    }
    archive = Optional.empty();
    Path jar = jar().toAbsolutePath();
    Path made = jar.resolveSibling("tfleet-tests.jsa");
    try {
      if (Files.isRegularFile(made)
          && Files.getLastModifiedTime(made).compareTo(Files.getLastModifiedTime(jar)) > 0) {
        archive = Optional.of(made);
        return archive;
      }
      Path work = Files.createTempDirectory("tfleet-archive-");
      Path dump = work.resolve("tfleet.jsa");
      Process demo =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-XX:TieredStopAtLevel=1",
                  "-XX:ArchiveClassesAtExit=" + dump,
                  "-jar",
                  jar.toString(),
                  "demo",
                  "--phase-seconds",
                  "0",
                  "--examples",
                  work.resolve("examples").toString(),
                  "--output-dir",
                  work.resolve("out").toString())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (demo.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)
          && demo.exitValue() == 0
          && Files.size(dump) > 0) {
        Files.move(dump, made, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        archive = Optional.of(made);
      } else {
        demo.destroyForcibly();
      }
    } catch (IOException e) {
      // Started without an archive, only slower.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return archive;
  }

  private static boolean isNetworkVariable(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    return lower.endsWith("_proxy")
        || lower.equals("requests_ca_bundle")
        || lower.equals("curl_ca_bundle")
        || lower.equals("ssl_cert_file");
  }

  /** Runs tfleet to its end (at most {@code limit}) and returns what it did. */
  public static Result run(Path dir, Duration limit, String... args)
      throws IOException, InterruptedException {
    return start(dir, Map.of(), args).await(limit);
  }

  public Process process() {
    return process;
  }

  /** The file the process writes its standard error to. */
  public Path stderr() {
    return stderr;
  }

  /** What the process has written to its standard output so far. */
  public String outSoFar() throws IOException {
    return read(stdout);
  }

  /** What the process has written to its standard error so far. */
  public String errSoFar() throws IOException {
    return read(stderr);
  }

  /** Waits for the process to end; kills it and fails the test if it outlives {@code limit}. */
  public Result await(Duration limit) throws IOException, InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(
          "tfleet did not finish within "
              + limit
              + "\nstdout:\n"
              + read(stdout)
              + "\nstderr:\n"
              + read(stderr));
    }
    return new Result(process.exitValue(), read(stdout), read(stderr));
  }

  /** A file the process writes, as text. */
  public static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /** A finished run: its exit code and everything it printed. */
  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
