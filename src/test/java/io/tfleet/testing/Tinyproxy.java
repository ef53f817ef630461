package io.tfleet.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP proxy for tests: Debian's tinyproxy, started in the foreground on a free loopback
 * port, with its own configuration and log file in a folder the test gives. A machine without
 * tinyproxy skips the test, saying so ({@code .ci/run} installs it).
 */
public final class Tinyproxy implements AutoCloseable {
  private static final Duration START_LIMIT = Duration.ofSeconds(20);
  private static final Pattern CONNECT =
      Pattern.compile("Request \\(file descriptor \\d+\\): CONNECT (\\S+) HTTP");
  private static final Pattern REQUEST =
      Pattern.compile("Request \\(file descriptor \\d+\\): ([A-Z]+) (\\S+) HTTP");

  private final Process process;
  private final int port;
  private final Path log;
  private final String credentials;

  private Tinyproxy(Process process, int port, Path log, String credentials) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.credentials = credentials;
  }

  /** tinyproxy's path, if this machine has it. */
  public static Optional<Path> binary() {
    List<Path> places = new ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty()) {
        places.add(Path.of(dir, "tinyproxy"));
      }
    }
    places.add(Path.of("/usr/bin/tinyproxy"));
    places.add(Path.of("/usr/sbin/tinyproxy"));
    return places.stream().filter(Files::isExecutable).findFirst();
  }

  /** An open proxy: anyone on loopback may use it. */
  public static Tinyproxy start(Path dir) throws IOException {
    return start(dir, null, null);
  }

  /** A proxy that wants {@code user} and {@code password} (Basic), or nothing when user is null. */
  public static Tinyproxy start(Path dir, String user, String password) throws IOException {
    Optional<Path> binary = binary();
    assumeTrue(
        binary.isPresent(),
        "tinyproxy is not installed, so the tests with a real proxy are skipped; .ci/run installs"
            + " it (apt-get install tinyproxy-bin)");
    Files.createDirectories(dir);
    Path log = dir.resolve("tinyproxy.log");
    IOException last = null;
    // A free port found now may be taken before tinyproxy binds it: try another then.
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      Path config = dir.resolve("tinyproxy.conf");
      Files.writeString(
          config,
          String.join(
              "\n",
              "Port " + port,
              "Listen 127.0.0.1",
              "Timeout 60",
              "LogFile \"" + log + "\"",
              "LogLevel Connect",
              "MaxClients 100",
              "Allow 127.0.0.1",
              user == null ? "" : "BasicAuth " + user + " " + password,
              ""));
      Files.deleteIfExists(log);
      Process process =
          new ProcessBuilder(binary.get().toString(), "-d", "-c", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("tinyproxy.out").toFile())
              .start();
      Tinyproxy proxy =
          new Tinyproxy(process, port, log, user == null ? null : user + ":" + password);
      try {
        Await.until(
            "tinyproxy listening on port " + port,
            START_LIMIT,
            () -> !process.isAlive() || accepts(port));
        if (process.isAlive()) {
          return proxy;
        }
        last =
            new IOException(
                "tinyproxy exited "
                    + process.exitValue()
                    + ": "
                    + Files.readString(dir.resolve("tinyproxy.out")));
      } catch (AssertionError e) {
        proxy.close();
        throw e;
      }
    }
    throw last;
  }

  /** The proxy's URL, without credentials. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The proxy's URL with its user and password, {@code http://USER:PASSWORD@127.0.0.1:PORT}. */
  public String urlWithCredentials() {
    if (credentials == null) {
      throw new IllegalStateException("this proxy wants no credentials");
    }
    return "http://" + credentials + "@127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The {@code host:port} of every CONNECT the proxy was asked for so far, in order. */
  public List<String> connects() throws IOException {
    return matches(CONNECT, 1);
  }

  /** Every request line the proxy read so far, as {@code METHOD target}. */
  public List<String> requests() throws IOException {
    List<String> found = new ArrayList<>();
    for (String line : logLines()) {
      Matcher m = REQUEST.matcher(line);
      if (m.find()) {
        found.add(m.group(1) + " " + m.group(2));
      }
    }
    return found;
  }

  private List<String> matches(Pattern pattern, int group) throws IOException {
    List<String> found = new ArrayList<>();
    for (String line : logLines()) {
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        found.add(m.group(group));
      }
    }
    return found;
  }

  private List<String> logLines() throws IOException {
    return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
  }

  /** The proxy's log so far, for a failing test's message. */
  public String log() throws IOException {
    return String.join("\n", logLines());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** A loopback port nothing listens on now. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
