package io.tfleet.lab;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a job's test commands the way an agent's device would: {@code /bin/sh -c} in the job's
 * scratch folder, output and errors merged, under a timeout.
 */
final class CommandRunner {
  /** What {@code timeout(1)} exits with, so a timed-out phase reads like a familiar failure. */
  static final int TIMED_OUT = 124;

  /** How often a running command's new output becomes log fragments. */
  private static final long LOG_PERIOD_MILLIS = 100;

  record Outcome(int status, String output) {}

  private final Duration timeout;
  private final Set<Process> live = ConcurrentHashMap.newKeySet();

  CommandRunner(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * Runs the job's commands and returns their exit status and output. The output goes to a file,
   * not a pipe, so a chatty command never blocks on a full pipe and a background child left holding
   * the output open cannot keep us waiting.
   */
  Outcome run(LabJob job, Path workDir, Path outputFile) {
    if (job.cancelRequested()) {
      return new Outcome(LabJob.INTERRUPTED, "");
    }
    Process process;
    try {
      Files.createDirectories(workDir);
      Files.createDirectories(outputFile.getParent());
      ProcessBuilder builder =
          new ProcessBuilder("/bin/sh", "-c", job.testCmds)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(outputFile.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().put("DEVICE_IP", "127.0.0.1");
      process = builder.start();
    } catch (IOException e) {
      String message = "tfleet-lab: cannot run test_cmds: " + e.getMessage() + "\n";
      job.appendLog("test", message);
      return new Outcome(1, message);
    }
    live.add(process);
    boolean timedOut = false;
    LogPump pump = new LogPump(job, outputFile);
    try {
      job.attachProcess(process);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (process.waitFor(
            Math.max(1, Math.min(LOG_PERIOD_MILLIS, leftMillis)), TimeUnit.MILLISECONDS)) {
          break;
        }
        pump.pump(/* all= */ false);
        if (deadline - System.nanoTime() <= 0) {
          timedOut = true;
          killTree(process);
          process.waitFor();
          break;
        }
      }
    } catch (InterruptedException e) {
      // The lab is closing.
      killTree(process);
      Thread.currentThread().interrupt();
    } finally {
      live.remove(process);
      job.detachProcess();
    }
    pump.pump(/* all= */ true);
    String output = pump.all();
    int status;
    if (timedOut) {
      String note = "\ntfleet-lab: test_cmds timed out after " + timeout + "\n";
      job.appendLog("test", note);
      output += note;
      status = TIMED_OUT;
    } else {
      status = process.isAlive() ? LabJob.INTERRUPTED : process.exitValue();
    }
    return new Outcome(status, output);
  }

  /** Kills every command still running; the lab is closing. */
  void killAll() {
    for (Process p : live) {
      killTree(p);
    }
  }

  /**
   * Kills the shell and what it started. The shell goes first: killed after its children, it would
   * see them die and run its next command. Its children, found beforehand, follow.
   */
  static void killTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  /** Turns what a command wrote so far into log fragments, a line at a time. */
  private static final class LogPump {
    private final LabJob job;
    private final Path file;
    private final ByteArrayOutputStream all = new ByteArrayOutputStream();

    /** Read but not yet logged: at most the last, unfinished line. */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    private long position;

    LogPump(LabJob job, Path file) {
      this.job = job;
      this.file = file;
    }

    void pump(boolean everything) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        int n;
        while ((n = channel.read(buffer, position)) > 0) {
          all.write(buffer.array(), 0, n);
          pending.write(buffer.array(), 0, n);
          position += n;
          buffer.clear();
        }
      } catch (IOException e) {
        // The next pump, or the final one, tries again.
      }
      byte[] bytes = pending.toByteArray();
      int end = bytes.length;
      if (!everything) {
        // Cut at a newline, which is never inside a UTF-8 sequence.
        while (end > 0 && bytes[end - 1] != '\n') {
          end--;
        }
      }
      if (end > 0) {
        job.appendLog("test", new String(bytes, 0, end, StandardCharsets.UTF_8));
        pending.reset();
        pending.write(bytes, end, bytes.length - end);
      }
    }

    String all() {
      return all.toString(StandardCharsets.UTF_8);
    }
  }
}
