package io.tfleet.cli;

import io.tfleet.client.Credentials;
import io.tfleet.client.NetworkSettings;
import io.tfleet.client.TestflingerClient;
import io.tfleet.client.auth.AuthFile;
import io.tfleet.client.auth.CliSettings;
import io.tfleet.client.auth.ConfigHome;
import io.tfleet.client.auth.Login;
import io.tfleet.fleet.Backoff;
import io.tfleet.fleet.Durations;
import io.tfleet.fleet.FleetSettings;
import io.tfleet.job.InputException;
import io.tfleet.store.RunManifest;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Which Testflinger server to talk to. */
public final class ServerOptions {
  static final String DEFAULT_SERVER = "https://testflinger.canonical.com";

  /** Generous for one API call; a server slower than this is treated as not answering. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /** The command this is mixed into, for where to talk to the person; null outside picocli. */
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "Testflinger server (default: the output tree's, else the testflinger CLI's settings,"
              + " else $TESTFLINGER_SERVER, else "
              + DEFAULT_SERVER
              + ").")
  String server;

  @Option(
      names = "--allow-server-change",
      description =
          "Use --server even though the output tree's jobs were submitted to another server.")
  boolean allowServerChange;

  @Option(
      names = "--client-id",
      paramLabel = "ID",
      description = "Client id for authentication (default: $TESTFLINGER_CLIENT_ID).")
  String clientId;

  @Option(
      names = "--secret-key",
      paramLabel = "KEY",
      description = "Secret key for authentication (default: $TESTFLINGER_SECRET_KEY).")
  String secretKey;

  @Option(
      names = "--ca-cert",
      paramLabel = "FILE",
      description =
          "Also trust the certificate authorities in this PEM file, as well as Java's own (default: $REQUESTS_CA_BUNDLE, else $SSL_CERT_FILE).")
  Path caCert;

  @Option(
      names = "--proxy",
      paramLabel = "URL",
      description =
          "HTTP proxy for every request, http://[USER:PASSWORD@]HOST:PORT, or none to go direct (default: $HTTPS_PROXY for https servers, $HTTP_PROXY for http ones; $NO_PROXY lists hosts reached direct).")
  String proxy;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "" + FleetSettings.DEFAULT_CONCURRENCY,
      description = "HTTP requests in flight at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--retry-for",
      paramLabel = "DURATION",
      defaultValue = "2m",
      description =
          "How long to keep trying a call that fails in a way that may pass (default: ${DEFAULT-VALUE}).")
  String retryFor;

  /** The fleet settings these options decide: requests in flight and how calls are retried. */
  FleetSettings settings() throws InputException {
    if (concurrency < 1 || concurrency > 256) {
      throw new InputException("--concurrency must be between 1 and 256, not " + concurrency);
    }
    Duration budget;
    try {
      budget = Durations.parse(retryFor);
    } catch (IllegalArgumentException e) {
      throw new InputException("--retry-for: " + e.getMessage());
    }
    return FleetSettings.defaults()
        .withConcurrency(concurrency)
        .withBackoff(Backoff.DEFAULT.withBudget(budget));
  }

  /** A client for the chosen server; {@code trace} set, every exchange is printed to it. */
  TestflingerClient client(Environment env, PrintStream trace) throws InputException {
    return client(env, trace, Optional.empty());
  }

  /**
   * A client for the server of an output tree whose manifest is {@code tree} (empty for a new tree
   * or one of the original script); {@code trace} set, every exchange is printed to it.
   */
  TestflingerClient client(Environment env, PrintStream trace, Optional<RunManifest> tree)
      throws InputException {
    URI url = serverUrl(env, tree);
    return client(env, url, login(env, url), trace);
  }

  /** A client for {@code url} that logs in with {@code login}. */
  TestflingerClient client(Environment env, URI url, Login login, PrintStream trace)
      throws InputException {
    NetworkSettings network = network(env);
    if (trace != null) {
      trace.println("http: " + network.proxies().describeRoute(url));
    }
    return new TestflingerClient(
        url,
        REQUEST_TIMEOUT,
        login,
        trace == null ? line -> {} : line -> trace.println("http: " + line),
        network,
        notice -> err().println("tfleet: " + notice));
  }

  /**
   * The trusted authorities and proxies: {@code --ca-cert}, else {@code REQUESTS_CA_BUNDLE}, else
   * {@code SSL_CERT_FILE} (the first set), besides Java's own; {@code --proxy}, else the
   * environment's proxies as the testflinger CLI's {@code requests} reads them.
   */
  NetworkSettings network(Environment env) throws InputException {
    return NetworkSetup.settings(env, caCert, proxy);
  }

  /** Tokens the upstream CLI's way: credentials, else the stored login, else a device login. */
  Login login(Environment env, URI url) throws InputException {
    return new Login(credentials(env), authFile(env, url).orElse(null), person(env));
  }

  /** The login shared with the upstream CLI for {@code url}; empty with no configuration folder. */
  static Optional<AuthFile> authFile(Environment env, URI url) {
    return ConfigHome.of(env.variables()).map(home -> AuthFile.of(home, url));
  }

  TerminalPerson person(Environment env) {
    return new TerminalPerson(env, err());
  }

  private PrintWriter err() {
    return mixee != null
        ? mixee.commandLine().getErr()
        : new PrintWriter(System.err, /* autoFlush= */ true);
  }

  /** The upstream CLI's own settings file, or none. */
  static CliSettings cliSettings(Environment env) {
    Optional<Path> home = ConfigHome.of(env.variables());
    return home.isPresent()
        ? CliSettings.read(home.get())
        : new CliSettings(Path.of("testflinger-cli.conf"), Map.of());
  }

  /** The credentials from the flags, else the environment; null for anonymous use. */
  Credentials credentials(Environment env) throws InputException {
    // The upstream CLI's order: the flag, its settings file, the environment.
    CliSettings settings = cliSettings(env);
    String id =
        clientId != null
            ? clientId
            : settings.get("client_id").or(() -> env.get("TESTFLINGER_CLIENT_ID")).orElse(null);
    String key =
        secretKey != null
            ? secretKey
            : settings.get("secret_key").or(() -> env.get("TESTFLINGER_SECRET_KEY")).orElse(null);
    if (id == null && key == null) {
      return null;
    }
    if (id == null || key == null || id.isBlank() || key.isBlank()) {
      throw new InputException(
          "give both a client id and a secret key (--client-id/--secret-key or"
              + " TESTFLINGER_CLIENT_ID/TESTFLINGER_SECRET_KEY), or neither");
    }
    return new Credentials(id.strip(), key.strip());
  }

  /**
   * The server URL for a tree whose manifest is {@code tree}: {@code --server}, else the server the
   * tree's jobs were submitted to, else {@link #defaultServer}. A {@code --server} other than the
   * tree's is refused unless {@code --allow-server-change} says it is meant: the tree's jobs do not
   * exist anywhere else.
   */
  URI serverUrl(Environment env, Optional<RunManifest> tree) throws InputException {
    if (tree.isEmpty()) {
      return serverUrl(env);
    }
    URI recorded = parse(tree.get().server(), RunManifest.FILE);
    if (server == null) {
      return recorded;
    }
    URI given = serverUrl(env);
    if (!sameServer(given, recorded) && !allowServerChange) {
      throw new InputException(
          "the output tree's jobs were submitted to "
              + recorded
              + ", not to --server "
              + given
              + ". Leave --server out to use the tree's server, or add --allow-server-change if the"
              + " jobs really are on "
              + given
              + ".");
    }
    return given;
  }

  private static boolean sameServer(URI a, URI b) {
    return normalized(a).equals(normalized(b));
  }

  private static String normalized(URI uri) {
    return uri.toString().toLowerCase(Locale.ROOT).replaceAll("/+$", "");
  }

  /** The server URL: the flag, else {@link #defaultServer}; checked. */
  URI serverUrl(Environment env) throws InputException {
    ConfiguredServer configured =
        server != null ? new ConfiguredServer(server, "--server") : defaultServer(env);
    return parse(configured.url(), configured.source());
  }

  private static URI parse(String text, String source) throws InputException {
    try {
      URI uri = new URI(text.strip());
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new InputException(source + ": '" + text + "' is not an http(s) URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new InputException(source + ": '" + text + "' is not a URL (" + e.getReason() + ")");
    }
  }

  /** A server URL and where it was set, for messages. */
  record ConfiguredServer(String url, String source) {}

  /**
   * The server when no --server is given, in the upstream CLI's order: the {@code server} of its
   * settings file ({@code $XDG_CONFIG_HOME/testflinger-cli.conf}, section {@code
   * [testflinger-cli]}), else {@code TESTFLINGER_SERVER}, else the public server. Agreeing with the
   * CLI on the server is what lets the two share one login.
   */
  static ConfiguredServer defaultServer(Environment env) {
    CliSettings settings = cliSettings(env);
    Optional<String> fromFile = settings.get("server");
    if (fromFile.isPresent()) {
      return new ConfiguredServer(fromFile.get(), "server in " + settings.file());
    }
    Optional<String> fromEnv = env.get("TESTFLINGER_SERVER");
    return fromEnv.isPresent()
        ? new ConfiguredServer(fromEnv.get(), "TESTFLINGER_SERVER")
        : new ConfiguredServer(DEFAULT_SERVER, "the default server");
  }
}
