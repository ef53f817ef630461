/**
 * Where the client's tokens come from, the upstream CLI's way: credentials, the login kept in the
 * CLI's {@code auth.conf}, or an OIDC device login with a person at the terminal.
 *
 * <p>Imports {@code client} only.
 */
package io.tfleet.client.auth;
