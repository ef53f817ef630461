package io.tfleet.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorMessagesTest {
  @Test
  void validationErrorListsFieldMessages() {
    String body =
        "{\"detail\": {\"json\": {\"job_queue\": [\"Missing data for required field.\"]}},"
            + " \"message\": \"Validation error\"}";
    assertThat(Messages.explain(422, body))
        .isEqualTo("422 Validation error: job_queue: Missing data for required field.");
  }

  @Test
  void forbiddenWithoutJsonBlamesAProxy() {
    assertThat(Messages.explain(403, "<html>Access denied</html>")).contains("proxy or VPN");
  }

  @Test
  void unauthorizedHintsAtCredentials() {
    assertThat(Messages.explain(401, "{\"message\": \"Token has expired\"}"))
        .startsWith("401 Token has expired")
        .contains("--client-id");
  }

  @Test
  void plainTextBodyIsKeptOnOneLine() {
    assertThat(Messages.explain(400, "The job is already completed or cancelled\nmore"))
        .isEqualTo("400 The job is already completed or cancelled");
  }
}
