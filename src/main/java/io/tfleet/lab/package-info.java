/**
 * The lab: a local server that speaks the Testflinger API v1 like the upstream server, call for
 * call, with simulated machines, fault injection and logins, for trying tfleet without hardware.
 *
 * <p>Imports nothing from the rest of tfleet: it must stay a stand-in for a real server.
 */
package io.tfleet.lab;
