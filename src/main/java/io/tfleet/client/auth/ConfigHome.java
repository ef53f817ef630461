package io.tfleet.client.auth;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The XDG configuration folder the upstream CLI keeps its files in. */
public final class ConfigHome {
  private ConfigHome() {}

  /**
   * {@code $XDG_CONFIG_HOME} when set to an absolute path (the XDG spec ignores a relative one),
   * else {@code $HOME/.config}; empty when neither is known, and then nothing is read or written.
   */
  public static Optional<Path> of(Map<String, String> env) {
    String xdg = env.get("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Optional.of(Path.of(xdg));
    }
    String home = env.get("HOME");
    if (home != null && !home.isBlank()) {
      return Optional.of(Path.of(home, ".config"));
    }
    return Optional.empty();
  }
}
