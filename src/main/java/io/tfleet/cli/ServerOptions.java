package io.tfleet.cli;

import io.tfleet.client.Credentials;
import io.tfleet.client.TestflingerClient;
import io.tfleet.fleet.Backoff;
import io.tfleet.fleet.Durations;
import io.tfleet.fleet.FleetSettings;
import io.tfleet.job.InputException;
import io.tfleet.store.RunManifest;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Which Testflinger server to talk to. */
public final class ServerOptions {
  static final String DEFAULT_SERVER = "https://testflinger.canonical.com";
  /** Generous for one API call; a server slower than this is treated as not answering. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "Testflinger server (default: $TESTFLINGER_SERVER, else " + DEFAULT_SERVER + ").")
  String server;

  @Option(
      names = "--allow-server-change",
      description = "Use --server even though the output tree's jobs were submitted to another server.")
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
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "16",
      description = "HTTP requests in flight at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--retry-for",
      paramLabel = "DURATION",
      defaultValue = "2m",
      description = "How long to keep trying a call that fails in a way that may pass (default: ${DEFAULT-VALUE}).")
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
    return new TestflingerClient(
        serverUrl(env, tree),
        REQUEST_TIMEOUT,
        credentials(env),
        trace == null ? line -> {} : line -> trace.println("http: " + line));
  }

  /** The credentials from the flags, else the environment; null for anonymous use. */
  Credentials credentials(Environment env) throws InputException {
    String id = clientId != null ? clientId : env.get("TESTFLINGER_CLIENT_ID").orElse(null);
    String key = secretKey != null ? secretKey : env.get("TESTFLINGER_SECRET_KEY").orElse(null);
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
   * tree's jobs were submitted to, else the environment, else the public server. A {@code --server}
   * other than the tree's is refused unless {@code --allow-server-change} says it is meant: the
   * tree's jobs do not exist anywhere else.
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
          "the output tree's jobs were submitted to " + recorded + ", not to --server " + given
              + ". Leave --server out to use the tree's server, or add --allow-server-change if the"
              + " jobs really are on " + given + ".");
    }
    return given;
  }

  private static boolean sameServer(URI a, URI b) {
    return normalized(a).equals(normalized(b));
  }

  private static String normalized(URI uri) {
    return uri.toString().toLowerCase(Locale.ROOT).replaceAll("/+$", "");
  }

  /** The server URL: the flag, else the environment, else the public server; checked. */
  URI serverUrl(Environment env) throws InputException {
    String text = server != null ? server : env.get("TESTFLINGER_SERVER").orElse(DEFAULT_SERVER);
    return parse(text, server != null ? "--server" : "TESTFLINGER_SERVER");
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
}
