package io.tfleet.cli;

import io.tfleet.client.ApiException;
import io.tfleet.client.TestflingerClient;
import io.tfleet.client.auth.Login;
import io.tfleet.fleet.FleetAbortedException;
import io.tfleet.job.InputException;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Says who tfleet acts as on a server, and what its token allows; never starts a login. */
@Command(
    name = "whoami",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Say who tfleet acts as on the server, with which role, and what the token allows.",
      "Uses credentials or the kept login; starts no login. Exits 1 when anonymous."
    })
public final class WhoamiCommand implements Callable<Integer> {
  private final Context context;

  WhoamiCommand(Context context) {
    this.context = context;
  }

  @Mixin ServerOptions server = new ServerOptions();

  @Option(
      names = {"-v", "--verbose"},
      description = "Also print every HTTP exchange (credentials masked).")
  boolean verbose;

  @Override
  public Integer call() throws InputException, FleetAbortedException {
    URI url = server.serverUrl(context.env());
    Login login = server.login(context.env(), url);
    TestflingerClient client =
        server.client(context.env(), url, login, verbose ? context.err() : null);
    String token;
    try {
      token = login.current(client.auth());
    } catch (ApiException | IOException e) {
      throw new FleetAbortedException("cannot log in to " + url + ": " + e.getMessage(), e);
    }
    context.out().println("Server:    " + url);
    if (token == null) {
      context
          .out()
          .println(
              "Not logged in: tfleet is anonymous here. Log in with 'tfleet login',"
                  + " or give --client-id/--secret-key.");
      return ExitCodes.FAILURES;
    }
    context
        .out()
        .println(
            "Login:     "
                + switch (login.source()) {
                  case CREDENTIALS -> "credentials (client id and secret key)";
                  case STORED_LOGIN ->
                      "kept login in " + login.file().map(f -> f.path().toString()).orElse("?");
                  default -> login.source().toString();
                });
    Whoami.describe(token, Instant.now()).forEach(context.out()::println);
    return ExitCodes.OK;
  }
}
