/**
 * A run of the fleet: preflight, submitting exactly once, monitoring to the end, cancelling,
 * retries, and judging each machine's outcome.
 *
 * <p>Imports {@code client}, {@code job}, {@code store} and {@code report}; never {@code cli}.
 */
package io.tfleet.fleet;
