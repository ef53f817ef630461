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
    return start(dir, env, args).await(limit);
  }

  /**
   * Starts tfleet as {@link TfleetProcess#start} would in {@code dir}, in a thread of this JVM, for
   * a test that acts while it runs (approves a login it shows, say).
   */
  public static Started start(Path dir, Map<String, String> env, String... args) {
    Map<String, String> variables = new HashMap<>();
    variables.put("XDG_CONFIG_HOME", dir.resolve(".config").toAbsolutePath().toString());
    variables.putAll(env);
    return new Started(new Environment(variables, dir.toAbsolutePath()), args);
  }

  /** A run going on in this JVM. */
  public static final class Started {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Path dir;
    private final String name;
    private final FutureTask<Integer> run;
    private final Thread thread;

    private Started(Environment env, String... args) {
      this.dir = env.workingDirectory();
      this.name = "tfleet " + String.join(" ", args);
      this.run = new FutureTask<>(() -> capture(out, err, env, args));
      this.thread = new Thread(run, name);
      thread.start();
    }

    /** What it printed to its standard output so far, as a process in its folder prints it. */
    public String outSoFar() {
      return asTyped(out.toString(StandardCharsets.UTF_8), dir);
    }

    /** What it printed to its standard error so far, as a process in its folder prints it. */
    public String errSoFar() {
      return asTyped(err.toString(StandardCharsets.UTF_8), dir);
    }

    public boolean isRunning() {
      return !run.isDone();
    }

    /** Waits for its end; interrupts it and fails the test if it outlives {@code limit}. */
    public TfleetProcess.Result await(Duration limit) throws InterruptedException {
      int code;
      try {
        code = run.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        thread.interrupt();
        thread.join(limit.toMillis());
        throw new AssertionError(
            name
                + " did not end within "
                + limit
                + "\nstdout:\n"
                + outSoFar()
                + "\nstderr:\n"
                + errSoFar());
      } catch (ExecutionException e) {
        throw new AssertionError(e.getCause());
      }
      return new TfleetProcess.Result(code, outSoFar(), errSoFar());
    }
  }

  /**
   * The output as the process would print it: a path given relative to its folder is printed as it
   * was given, while here it was made absolute to be found.
   */
  private static String asTyped(String printed, Path dir) {
    return printed.replace(dir + "/", "");
  }

  private static TfleetProcess.Result run(Environment env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = capture(out, err, env, args);
    return new TfleetProcess.Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Runs the command line with its standard output and error going to {@code out} and {@code err}.
   */
  private static int capture(
      ByteArrayOutputStream out, ByteArrayOutputStream err, Environment env, String... args) {
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      return Cli.run(args, o, e, env);
    }
  }
}
