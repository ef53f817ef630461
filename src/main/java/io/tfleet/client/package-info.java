/**
 * The Testflinger REST API over {@code java.net.http}: one client, typed answers, one-line error
 * messages, and the contract that an {@code IOException} means the call may not have reached the
 * server while an {@code ApiException} carries the server's answer.
 *
 * <p>Imports nothing from the rest of tfleet.
 */
package io.tfleet.client;
