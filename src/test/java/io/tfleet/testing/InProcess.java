package io.tfleet.testing;

import io.tfleet.cli.Cli;
import io.tfleet.cli.Environment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the command line in this JVM with captured output. */
public final class InProcess {
  private InProcess() {}

  public static TfleetProcess.Result run(String... args) {
    return run(Map.of(), args);
  }

  public static TfleetProcess.Result run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Cli.run(args, o, e, new Environment(env));
    }
    return new TfleetProcess.Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
