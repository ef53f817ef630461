package io.tfleet.lab;

import static io.tfleet.lab.Response.empty;
import static io.tfleet.lab.Response.message;

import java.nio.file.Path;

/**
 * {@code /v1/result/<id>}: a job's result and its artifact bundle; its logs are {@link
 * LogsEndpoint}'s.
 */
final class ResultsEndpoint {
  Response getResult(Request r, String id, LabJob job) {
    return job == null ? empty() : OutputAnswers.result(job);
  }

  /** The tarball of what the test commands left in {@code artifacts/}; 404 as upstream without. */
  Response getArtifact(Request r, String id, LabJob job) {
    Path archive = job == null ? null : job.artifact();
    if (archive == null) {
      return message(404, "No artifacts tarball found for job " + id);
    }
    return Response.file(200, "application/gzip", archive);
  }
}
