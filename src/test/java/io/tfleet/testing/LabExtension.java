package io.tfleet.testing;

import io.tfleet.lab.Lab;
import io.tfleet.lab.LabConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process lab for a test class: started before its tests, closed after them, and after each
 * test it must be idle, so no test leaves a job running for the next. Register it in a static field
 * with {@code @RegisterExtension}.
 */
public final class LabExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private final LabConfig config;
  private Lab lab;
  private LabHttp http;

  public LabExtension(LabConfig config) {
    this.config = config;
  }

  /** The running lab; there is none before the class's tests start. */
  public Lab lab() {
    if (lab == null) {
      throw new IllegalStateException("the lab starts before the test class's first test");
    }
    return lab;
  }

  /** A client of the running lab. */
  public LabHttp http() {
    lab();
    return http;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    lab = Lab.start(config);
    http = new LabHttp(lab);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Await.idle(lab);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    lab.close();
  }
}
