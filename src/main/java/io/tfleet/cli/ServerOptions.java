package io.tfleet.cli;

import io.tfleet.job.InputException;
import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.Option;

/** Which Testflinger server to talk to. */
public final class ServerOptions {
  static final String DEFAULT_SERVER = "https://testflinger.canonical.com";

  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "Testflinger server (default: $TESTFLINGER_SERVER, else " + DEFAULT_SERVER + ").")
  String server;

  /** The server URL: the flag, else the environment, else the public server; checked. */
  URI serverUrl(Environment env) throws InputException {
    String text = server != null ? server : env.get("TESTFLINGER_SERVER").orElse(DEFAULT_SERVER);
    String source = server != null ? "--server" : "TESTFLINGER_SERVER";
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
