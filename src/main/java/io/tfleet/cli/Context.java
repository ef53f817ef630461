package io.tfleet.cli;

import java.io.PrintStream;

/** Where a command writes and what environment it sees. */
record Context(PrintStream out, PrintStream err, Environment env) {}
