package io.tfleet.cli;

import io.tfleet.client.ApiException;
import io.tfleet.client.TestflingerClient;
import io.tfleet.client.TokenAnswer;
import io.tfleet.client.auth.Jwt;
import io.tfleet.client.auth.Login;
import io.tfleet.fleet.FleetAbortedException;
import io.tfleet.job.InputException;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Logs in and keeps the login where the upstream CLI keeps it, for both tools. */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Log in to the server and keep the login for tfleet and the testflinger CLI.",
      "Without credentials: a device login, approved in a browser; tfleet prints the address and"
          + " the code and waits, on a terminal or not.",
      "With credentials (--client-id/--secret-key or the environment): keeps their login."
    })
public final class LoginCommand implements Callable<Integer> {
  private final Context context;

  LoginCommand(Context context) {
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
    if (login.file().isEmpty()) {
      throw new InputException(
          "no configuration folder to keep the login in: set XDG_CONFIG_HOME or HOME");
    }
    TestflingerClient client =
        server.client(context.env(), url, login, verbose ? context.err() : null);
    TokenAnswer answer;
    try {
      if (server.credentials(context.env()) != null) {
        answer = login.credentialsLoginNow(client.auth());
      } else {
        // Asking to log in is a person asking, terminal or not (as the upstream CLI's login):
        // the address and the code are printed and the login waited for. Only an explicit
        // TFLEET_INTERACTIVE=0 says that nobody will approve it.
        if (server.person(context.env()).saidAbsent()) {
          throw new FleetAbortedException(
              "a device login needs a person to approve it, and "
                  + TerminalPerson.INTERACTIVE
                  + " says there is none: unset it, or"
                  + " give --client-id/--secret-key (TESTFLINGER_CLIENT_ID/TESTFLINGER_SECRET_KEY)",
              null);
        }
        Optional<TokenAnswer> device = login.deviceLoginNow(client.auth());
        if (device.isEmpty()) {
          throw new FleetAbortedException(
              url
                  + " offers no device login (no OIDC): it serves anonymous users, or give"
                  + " --client-id/--secret-key",
              null);
        }
        answer = device.get();
      }
    } catch (ApiException | IOException e) {
      throw new FleetAbortedException("cannot log in to " + url + ": " + e.getMessage(), e);
    }
    String who = Jwt.clientId(answer.accessToken()).orElse("?");
    String role = Whoami.role(answer.accessToken());
    context.out().println("Logged in to " + url + " as " + who + " (role " + role + ").");
    if (answer.refreshToken() != null) {
      context
          .out()
          .println(
              "The login is kept in "
                  + login.file().get().path()
                  + "; it serves tfleet and the testflinger CLI until 'tfleet logout'.");
    } else {
      context.out().println("The server gave no refresh token: nothing was kept.");
    }
    return ExitCodes.OK;
  }
}
