package io.tfleet.client;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How requests reach the server: which certificate authorities are trusted besides Java's own, and
 * through which proxies. A value: clients with equal settings share one HTTP client.
 *
 * @param caBundle a PEM file of authorities trusted besides Java's; null for none. It is read when
 *     the HTTP client is built, off the caller's thread: a system bundle of 150 certificates takes
 *     a tenth of a second on a cold JVM.
 * @param caSource where the bundle was named, for messages ({@code --ca-cert}); null when none
 * @param proxies which proxy each request goes through
 */
public record NetworkSettings(Path caBundle, String caSource, Proxies proxies) {
  /** Java's trusted authorities only, and no proxy. */
  public static final NetworkSettings DIRECT = new NetworkSettings(null, null, Proxies.DIRECT);

  public NetworkSettings {
    Objects.requireNonNull(proxies, "proxies");
    if ((caBundle == null) != (caSource == null)) {
      throw new IllegalArgumentException("a CA bundle and its source go together");
    }
  }

  /** The bundle and where it was named, as messages show it; null when none. */
  public String trustSource() {
    return caBundle == null ? null : caSource + " " + caBundle;
  }
}
