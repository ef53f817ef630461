/**
 * The lab: a local server speaking the Testflinger API v1 as upstream answers it, with simulated
 * machines, tokens, device logins and injected faults. {@link io.tfleet.lab.Lab} starts it.
 * Requests go {@code FaultLayer → Router (Guard) → *Endpoint}. It imports nothing from the rest of
 * tfleet: it shares only the API's shapes with {@code io.tfleet.client}, so each proves the other.
 */
package io.tfleet.lab;
