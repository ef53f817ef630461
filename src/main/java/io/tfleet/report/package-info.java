/**
 * What a run shows: the summary table, {@code summary.json}, {@code junit.xml} and {@code
 * report.html}, from a {@link io.tfleet.report.RunReport}; {@link io.tfleet.report.Verdict}, the
 * one type for how a machine's run ended, and {@link io.tfleet.report.Cause}, why it did not pass
 * (its test, lab trouble, or its user).
 *
 * <p>Imports {@code store} only (to write files atomically).
 */
package io.tfleet.report;
