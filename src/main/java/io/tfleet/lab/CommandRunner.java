package io.tfleet.lab;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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

  /** How the commands ended; their output is in the job's {@link OutputStore}. */
  record Outcome(int status) {}

  private final Duration timeout;
  private final Set<Process> live = ConcurrentHashMap.newKeySet();

  CommandRunner(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * Runs the job's commands and returns their exit status. The output goes straight to the test
   * phase's file in the job's {@link OutputStore}, not a pipe, so a chatty command never blocks on
   * a full pipe, a background child left holding the output open cannot keep us waiting, and the
   * output is never in memory.
   */
  Outcome run(LabJob job, Path workDir) {
    if (job.cancelRequested()) {
      return new Outcome(LabJob.INTERRUPTED);
    }
    Path outputFile = job.output().file("test");
    Process process;
    try {
      Files.createDirectories(workDir);
      Files.createDirectories(outputFile.getParent());
      ProcessBuilder builder =
          new ProcessBuilder("/bin/sh", "-c", job.testCmds)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().put("DEVICE_IP", "127.0.0.1");
      process = builder.start();
    } catch (IOException e) {
      String message = "tfleet-lab: cannot run test_cmds: " + e.getMessage() + "\n";
      job.appendLog("test", message);
      return new Outcome(1);
    }
    live.add(process);
    boolean timedOut = false;
    LogPump pump = new LogPump(job.output());
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
    int status;
    if (timedOut) {
      job.appendLog("test", "\ntfleet-lab: test_cmds timed out after " + timeout + "\n");
      status = TIMED_OUT;
    } else {
      status = process.isAlive() ? LabJob.INTERRUPTED : process.exitValue();
    }
    return new Outcome(status);
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

  /**
   * Turns what a command wrote so far into log fragments, a line at a time. It reads only to find
   * the last newline, so a command that prints hundreds of MB costs it one buffer.
   */
  private static final class LogPump {
    private static final int BUFFER = 64 * 1024;

    private final OutputStore output;
    private final Path file;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);

    /** Where the bytes not yet logged start having no newline; they need not be read again. */
    private long noNewlineFrom;

    LogPump(OutputStore output) {
      this.output = output;
      this.file = output.file("test");
    }

    void pump(boolean everything) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        long size = channel.size();
        long logged = output.size("test");
        long end =
            everything ? size : afterLastNewline(channel, Math.max(logged, noNewlineFrom), size);
        noNewlineFrom = size;
        // Cut at a newline, which is never inside a UTF-8 sequence.
        output.written("test", end);
      } catch (IOException e) {
        // The next pump, or the final one, tries again.
      }
    }

    /** The position after the last newline in {@code [from, to)}, or {@code from} with none. */
    private long afterLastNewline(FileChannel channel, long from, long to) throws IOException {
      long blockEnd = to;
      while (blockEnd > from) {
        long blockStart = Math.max(from, blockEnd - BUFFER);
        buffer.clear().limit((int) (blockEnd - blockStart));
        long at = blockStart;
        while (buffer.hasRemaining()) {
          int n = channel.read(buffer, at);
          if (n < 0) {
            break;
          }
          at += n;
        }
        for (int i = buffer.position() - 1; i >= 0; i--) {
          if (buffer.get(i) == '\n') {
            return blockStart + i + 1;
          }
        }
        blockEnd = blockStart;
      }
      return from;
    }
  }
}
