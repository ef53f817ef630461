package io.tfleet.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's Chromium, headless, for checking pages as a person's browser shows them. */
public final class Chromium {
  public static final Path BINARY = Path.of("/usr/bin/chromium");

  /** Generous for a 2-core CI machine; a small page loads in about a second. */
  private static final long TIMEOUT_SECONDS = 60;

  private Chromium() {}

  public static boolean available() {
    return Files.isExecutable(BINARY);
  }

  /** The message tests skip with when Chromium is absent. */
  public static String missing() {
    return "Chromium is not installed at " + BINARY + " (apt-get install chromium); skipping";
  }

  /** Returns the DOM of {@code page} at {@code fragment} after its scripts ran. */
  public static String dumpDom(Path workDir, Path page, String fragment) throws Exception {
    return run(workDir, "--dump-dom", page.toUri() + fragment);
  }

  /**
   * Runs Chromium with a fresh profile under {@code workDir}, waits at most {@link
   * #TIMEOUT_SECONDS}, kills it and its children whatever happens, and returns its standard output.
   * The flags keep it off the network, which is closed here.
   */
  public static String run(Path workDir, String... args) throws Exception {
    Path run = Files.createTempDirectory(workDir, "chromium");
    List<String> command =
        new ArrayList<>(
            List.of(
                BINARY.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + run.resolve("profile")));
    command.addAll(List.of(args));
    Path out = run.resolve("stdout");
    Path err = run.resolve("stderr");
    Process process =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        fail(
            "Chromium did not finish in "
                + TIMEOUT_SECONDS
                + " s; stderr:\n"
                + Files.readString(err));
      }
      assertThat(process.exitValue())
          .as("Chromium's exit code; stderr:\n%s", Files.readString(err))
          .isZero();
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
