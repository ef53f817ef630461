package io.tfleet.job;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A local file or folder to ship with a job, and where it lands in the archive: {@code
 * phase/agentPath}.
 */
public record Attachment(String phase, Path local, String agentPath) {
  public Attachment {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(local, "local");
    if (agentPath == null || agentPath.isEmpty() || agentPath.startsWith("/")) {
      throw new IllegalArgumentException("agent path must be relative and non-empty: " + agentPath);
    }
  }

  /** The entry name in the archive. */
  public String archivePath() {
    return phase + "/" + agentPath;
  }
}
