/**
 * The lab: a local Testflinger API v1 server that answers as upstream does, with simulated
 * machines, tokens, device logins and faults; a request goes FaultLayer → Router (Guard) → an
 * endpoint. It imports nothing from the rest of tfleet: only the API's shapes are shared.
 */
package io.tfleet.lab;
