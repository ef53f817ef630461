package io.tfleet.testing;

import io.tfleet.cli.Cli;
import io.tfleet.cli.Environment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the command line in this JVM with captured output: what a process started in a folder does,
 * without starting one. The tests keep processes for what only they can show (kills, signals,
 * terminals, heap limits, the launcher).
 */
public final class InProcess {
  private InProcess() {}

  public static TfleetProcess.Result run(String... args) {
    return run(Map.of(), args);
  }

  public static TfleetProcess.Result run(Map<String, String> env, String... args) {
    return run(new Environment(env), args);
  }

  /**
   * Runs tfleet as {@link TfleetProcess#run} would in {@code dir}, in this JVM: relative paths
   * start there and logins are kept under it, never in the real home. Fails the test, interrupting
   * the run, if it outlives {@code limit}.
   */
  public static TfleetProcess.Result run(Path dir, Duration limit, String... args)
      throws InterruptedException {
    return run(dir, Map.of(), limit, args);
  }

  /** The same, with these environment variables besides. */
  public static TfleetProcess.Result run(
      Path dir, Map<String, String> env, Duration limit, String... args)
      throws InterruptedException {
    Map<String, String> variables = new HashMap<>();
    variables.put("XDG_CONFIG_HOME", dir.resolve(".config").toAbsolutePath().toString());
    variables.putAll(env);
    Environment environment = new Environment(variables, dir.toAbsolutePath());
    FutureTask<TfleetProcess.Result> run =
        new FutureTask<>(() -> asTyped(run(environment, args), environment.workingDirectory()));
    Thread thread = new Thread(run, "tfleet " + String.join(" ", args));
    thread.start();
    try {
      return run.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      thread.interrupt();
      thread.join(limit.toMillis());
      throw new AssertionError("tfleet " + String.join(" ", args) + " did not end within " + limit);
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    }
  }

  /**
   * The output as the process would print it: a path given relative to its folder is printed as it
   * was given, while here it was made absolute to be found.
   */
  private static TfleetProcess.Result asTyped(TfleetProcess.Result result, Path dir) {
    String prefix = dir + "/";
    return new TfleetProcess.Result(
        result.exitCode(), result.out().replace(prefix, ""), result.err().replace(prefix, ""));
  }

  private static TfleetProcess.Result run(Environment env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Cli.run(args, o, e, env);
    }
    return new TfleetProcess.Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
