package io.tfleet.fleet;

/** What to do, before submitting, about machines whose queue cannot run jobs now. */
public enum Availability {
  /** Stop with the list of machines that cannot run, submitting nothing. */
  CHECK,
  /** Submit to the others; record these as skipped. */
  SKIP,
  /** Wait until every queue can run jobs, then submit. */
  WAIT,
  /** Do not check the queues. */
  NONE
}
