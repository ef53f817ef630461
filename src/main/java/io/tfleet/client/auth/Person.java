package io.tfleet.client.auth;

import java.net.URI;
import java.time.Duration;

/** The person running tfleet, as far as a login needs them. */
public interface Person {
  /** Whether someone is there to approve a device login; when not, nothing waits for them. */
  boolean present();

  /** Tells them something (a login code, a forgotten login): one line. */
  void tell(String line);

  /** Opens {@code uri} in their browser if one can be started; never fails. */
  void open(URI uri);

  /** Waits between polls; tests replace it. */
  default void sleep(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }
}
