package io.tfleet.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.tfleet.testing.Await;
import io.tfleet.testing.LabHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** A lab leaves nothing behind: no threads, no port, no scratch files, no processes. */
@Isolated("it counts every thread of the JVM")
class LeakTest {
  private static List<String> labThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("tfleet-lab-"))
        .collect(Collectors.toList());
  }

  private static long threadsNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().equals(name))
        .count();
  }

  @Test
  void startingAndClosingTwentyLabsLeavesNoThreadPortOrFolder() throws Exception {
    long dispatchersBefore = threadsNamed("HTTP-Dispatcher");
    List<Path> scratchFolders = new java.util.ArrayList<>();
    int lastPort = -1;
    for (int i = 0; i < 20; i++) {
      try (Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO))) {
        LabHttp http = new LabHttp(lab);
        // Exercise every pool: HTTP, the phase scheduler and the command pool.
        String id = http.submit(LabHttp.job("q" + i, "echo " + i));
        Await.idle(lab);
        assertThat(http.result(id).get("test_output").asText()).isEqualTo(i + "\n");
        lastPort = lab.url().getPort();
        scratchFolders.add(lab.scratch());
      }
    }

    // close() joins its threads; this only proves it.
    assertThat(labThreads()).isEmpty();
    // The JDK names its server's thread itself; HttpServer.stop joins it, but poll to be fair.
    Await.until(
        "no JDK server thread outlives its lab, among " + Thread.getAllStackTraces().keySet(),
        Duration.ofSeconds(5),
        () -> threadsNamed("HTTP-Dispatcher") <= dispatchersBefore);
    assertThat(scratchFolders).hasSize(20).noneMatch(Files::exists);
    try (ServerSocket socket = new ServerSocket(lastPort, 50, InetAddress.getByName("127.0.0.1"))) {
      assertThat(socket.getLocalPort()).isEqualTo(lastPort);
    }
  }

  @Test
  void aRestartLeavesNoThreadOfTheOldServer() throws Exception {
    long dispatchersBefore = threadsNamed("HTTP-Dispatcher");
    try (Lab lab = Lab.start(LabConfig.defaults().withSimulate(true).withRestartAfter(1))) {
      LabHttp http = new LabHttp(lab);
      assertThat(http.get("/v1/").statusCode()).isEqualTo(200);
      Await.until("the lab restarted", Duration.ofSeconds(10), () -> lab.stats().restarts() == 1);
      assertThat(http.get("/v1/").statusCode()).isEqualTo(200);

      // The old server's dispatcher is gone; only the new one runs.
      assertThat(threadsNamed("HTTP-Dispatcher")).isEqualTo(dispatchersBefore + 1);
    }
    assertThat(labThreads()).isEmpty();
    Await.until(
        "no JDK server thread outlives its lab",
        Duration.ofSeconds(5),
        () -> threadsNamed("HTTP-Dispatcher") <= dispatchersBefore);
  }

  @Test
  void closingALabKillsItsRunningCommandsAndIsIdempotent() throws Exception {
    Lab lab = Lab.start(LabConfig.defaults().withPhaseTime(Duration.ZERO));
    List<ProcessHandle> sleepers;
    try {
      LabHttp http = new LabHttp(lab);
      http.submit(LabHttp.job("q", "sleep 29"));
      // The job enters "test" before its command thread starts the process, so wait for that.
      Await.until("the command runs", Duration.ofSeconds(10), () -> !sleepers().isEmpty());
      sleepers = sleepers();

      lab.close();
    } finally {
      // A failure above must not leave this lab's threads for the next test to find.
      lab.close();
    }

    for (ProcessHandle p : sleepers) {
      Await.until("process " + p.pid() + " is gone", Duration.ofSeconds(5), () -> !p.isAlive());
    }
    assertThat(labThreads()).isEmpty();
  }

  /**
   * This JVM's processes that run this test's command (a sleep no other test runs): other tests'
   * processes, such as the browser that serves the whole JVM, are no business of this lab's.
   */
  private static List<ProcessHandle> sleepers() {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("sleep 29"))
        .collect(Collectors.toList());
  }

  @Test
  void portInUseFailsStartWithoutLeakingThreads() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      try {
        Lab.start(LabConfig.defaults().withPort(taken.getLocalPort())).close();
        throw new AssertionError("a lab started on a port in use");
      } catch (IOException expected) {
        // As wanted.
      }
    }
    assertThat(labThreads()).isEmpty();
  }
}
