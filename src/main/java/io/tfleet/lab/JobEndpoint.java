package io.tfleet.lab;

import java.io.IOException;

/** An endpoint about one job, whose id is the path's first parameter. */
@FunctionalInterface
interface JobEndpoint {
  /**
   * @param id the job id, canonical (lower case)
   * @param job the job, or null when the lab has none with that id
   */
  Response handle(Request request, String id, LabJob job) throws IOException;

  /** The endpoint a route runs: upstream answers 400 for an id that is no UUID, first of all. */
  static Router.Endpoint in(JobStore store, JobEndpoint endpoint) {
    return r -> {
      String id = r.jobId(0);
      return id == null ? Response.invalidJobId() : endpoint.handle(r, id, store.get(id));
    };
  }
}
