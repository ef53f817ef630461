package io.tfleet.fleet;

import java.util.Objects;

/**
 * Where a machine's current attempt stands. A machine moves forward through these, each move made
 * by one thread at a time: the submitter, the monitoring round, or the filing of its result.
 */
sealed interface Stage {
  /** The job that the stage is about; null before an id was chosen. */
  String jobId();

  /** No job was sent: the run stopped first, or this machine was not sent yet. */
  record NotSubmitted(String reason) implements Stage {
    public NotSubmitted {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String jobId() {
      return null;
    }
  }

  /** An id was chosen and recorded, and the job may have been sent: the server's answer is not. */
  record Pending(String jobId) implements Stage {
    public Pending {
      Objects.requireNonNull(jobId, "jobId");
    }
  }

  /** The server has the job, last seen in {@code state} (null before it was seen at all). */
  record Active(String jobId, String state) implements Stage {
    public Active {
      Objects.requireNonNull(jobId, "jobId");
    }
  }

  /** The job left the active states: its result is being fetched and filed. */
  record Filing(String jobId, String state) implements Stage {
    public Filing {
      Objects.requireNonNull(jobId, "jobId");
    }
  }

  /**
   * The server's answers about the job were never usable within the retry budget: not finished as
   * far as tfleet knows, with {@code reason}; a later run asks again.
   */
  record Stalled(String jobId, String state, String reason) implements Stage {
    public Stalled {
      Objects.requireNonNull(jobId, "jobId");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The machine's attempt is over, with {@code outcome}. */
  record Settled(Outcome outcome) implements Stage {
    public Settled {
      Objects.requireNonNull(outcome, "outcome");
    }

    @Override
    public String jobId() {
      return outcome.jobId();
    }
  }
}
