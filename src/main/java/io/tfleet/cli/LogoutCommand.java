package io.tfleet.cli;

import io.tfleet.client.auth.AuthFile;
import io.tfleet.client.auth.AuthFileException;
import io.tfleet.job.InputException;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Forgets the login kept for a server, for tfleet and the upstream CLI alike. */
@Command(
    name = "logout",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = "Forget the login kept for the server (shared with the testflinger CLI).")
public final class LogoutCommand implements Callable<Integer> {
  private final Context context;

  LogoutCommand(Context context) {
    this.context = context;
  }

  @Mixin ServerOptions server = new ServerOptions();

  @Override
  public Integer call() throws InputException {
    URI url = server.serverUrl(context.env());
    Optional<AuthFile> file = ServerOptions.authFile(context.env(), url);
    if (file.isEmpty()) {
      context.out().println("Not logged in to " + url + " (no configuration folder).");
      return ExitCodes.OK;
    }
    try {
      boolean removed = file.get().remove();
      context
          .out()
          .println(
              removed
                  ? "Logged out of " + url + ": removed " + file.get().path() + "."
                  : "Not logged in to " + url + " (no " + file.get().path() + ").");
    } catch (IOException e) {
      throw new AuthFileException("remove the saved login", file.get().path(), e);
    }
    return ExitCodes.OK;
  }
}
