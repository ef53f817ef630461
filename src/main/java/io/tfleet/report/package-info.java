/**
 * What a run shows: the summary table, {@code summary.json}, {@code junit.xml} and {@code
 * report.html}, from a {@link io.tfleet.report.RunReport}; and {@link io.tfleet.report.Verdict},
 * the one type for how a machine's run ended.
 *
 * <p>Imports {@code store} only (to write files atomically).
 */
package io.tfleet.report;
