/**
 * The command line: picocli commands and their option mixins, the progress display, and the one
 * place where exceptions become exit codes ({@link io.tfleet.cli.Cli}, {@link
 * io.tfleet.cli.ExitCodes}). It parses, wires and prints; the decisions are {@code fleet}'s.
 *
 * <p>May import every other package of tfleet; nothing imports it.
 */
package io.tfleet.cli;
